package io.wslistener.sink.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP sink's buffer is bounded in bytes as well as in messages: behind a server that takes a request and never
 * answers, 1 MiB messages fill the default 16 MiB and then hold the route (so the consumer pauses the socket), instead
 * of taking bufferSize (1000) of them.
 */
class HttpSinkByteBudgetTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    private final CountDownLatch answer = new CountDownLatch(1);
    private final ExecutorService sender = Executors.newSingleThreadExecutor();
    private HttpTestServer server;
    private CamelContext context;

    @AfterEach
    void stop() {
        answer.countDown();
        if (context != null) {
            context.stop();
        }
        sender.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    private HttpSinkEndpoint start(String options) throws Exception {
        context = YamlCamel.create().property("dir", dir).property("url", server.url("/ingest"))
                .start("""
                        - route:
                            from:
                              uri: direct:in
                              steps:
                                - to: "sink-http:ingest?url=RAW({{url}})&responseTimeout=120s&deadLetterDirectory={{dir}}/dead-letter%s"
                        """
                        .formatted(options));
        return (HttpSinkEndpoint) context.getEndpoints().stream().filter(HttpSinkEndpoint.class::isInstance).findFirst()
                .orElseThrow();
    }

    @Test
    void megabyteMessagesBehindAServerThatNeverAnswersHoldTheRouteAtTheByteBudget() throws Exception {
        server = new HttpTestServer().start().onRequest(n -> hold(answer));
        // to see this fail as before the byte budget: -DhttpSinkByteBudgetTest.maxBufferBytes=1GB
        String budget = System.getProperty("httpSinkByteBudgetTest.maxBufferBytes");
        HttpSinkEndpoint sink = start(budget == null ? "" : "&maxBufferBytes=" + budget); // the default: 16MB
        long limit = 16L * MIB;
        int offered = 40;
        String body = "x".repeat(MIB);
        ProducerTemplate template = context.createProducerTemplate();
        AtomicInteger taken = new AtomicInteger();
        AtomicLong mostBuffered = new AtomicLong();
        Future<?> sending = sender.submit(() -> {
            for (int n = 0; n < offered; n++) {
                template.sendBody("direct:in", body);
                taken.incrementAndGet();
                mostBuffered.accumulateAndGet(sink.getBufferedBytes(), Math::max);
            }
        });

        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.requests().isEmpty() && sink.getBufferedBytes() >= limit - MIB);
        // held: for a while nothing more is taken and the route does not finish
        int held = taken.get();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> taken.get() == held && !sending.isDone());
        assertTrue(held <= 16, held + " MiB messages taken");
        assertTrue(sink.getBufferedBytes() <= limit, sink.getBufferedBytes() + " bytes buffered");
        assertTrue(mostBuffered.get() <= limit, mostBuffered.get() + " bytes buffered at most");
        assertEquals(held, sink.getPending());

        answer.countDown();
        sending.get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> server.acceptedBodies().size() == offered);
        assertEquals(0, sink.getBufferedBytes());
    }

    @Test
    void aMessageLargerThanTheBudgetIsStillDeliveredAloneInOrder() throws Exception {
        server = new HttpTestServer().start();
        start("&maxBufferBytes=1KB");
        ProducerTemplate template = context.createProducerTemplate();
        String big = "{\"big\":\"" + "y".repeat(8 * 1024) + "\"}";
        List<String> messages = List.of("{\"n\":1}", big, "{\"n\":3}", big, "{\"n\":5}");
        Future<?> sending = sender.submit(() -> messages.forEach(m -> template.sendBody("direct:in", m)));
        sending.get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.acceptedBodies().size() == messages.size());
        assertEquals(messages, server.acceptedBodies());
    }

    @Test
    void aBadByteBudgetIsRefusedNamingTheSinkAndTheOption() {
        server = new HttpTestServer();
        for (String value : List.of("0", "-1", "lots", "16XB")) {
            Exception error = assertThrows(Exception.class,
                    () -> YamlCamel.create().property("dir", dir)
                            .start("""
                                    - route:
                                        from:
                                          uri: direct:in
                                          steps:
                                            - to: "sink-http:ingest?url=http://127.0.0.1:1/x&deadLetterDirectory={{dir}}/dl&maxBufferBytes=%s"
                                    """
                                    .formatted(value)));
            String causes = HttpSinkRetryTimingTest.causes(error);
            assertTrue(causes.contains("sink-http:ingest: maxBufferBytes must be"), causes);
            assertFalse(causes.contains("NumberFormatException"), causes);
        }
    }

    @Test
    void theKameletPassesTheByteBudgetOn() {
        Exception error = assertThrows(Exception.class, () -> YamlCamel.create().property("dir", dir)
                .start("""
                        - route:
                            from:
                              uri: direct:in
                              steps:
                                - to: "kamelet:ws-http-sink?url=http://127.0.0.1:1/x&name=orders&deadLetterDirectory={{dir}}/dl&maxBufferBytes=lots"
                        """));
        String causes = HttpSinkRetryTimingTest.causes(error);
        assertTrue(causes.contains("sink-http:orders: maxBufferBytes must be a size"), causes);
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
