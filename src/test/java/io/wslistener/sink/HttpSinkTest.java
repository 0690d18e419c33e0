package io.wslistener.sink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.sink.http.HttpSinkEndpoint;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpSinkTest {

    @TempDir
    Path dir;

    private HttpTestServer server;
    private CamelContext context;

    @AfterEach
    void tearDown() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private CamelContext start(String sinkOptions) throws Exception {
        context = YamlCamel.create().property("dir", dir).property("url", server.url("/ingest")).start("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - to: "kamelet:ws-http-sink?url={{url}}&name=orders&deadLetterDirectory={{dir}}/dead-letter%s"
                """.formatted(sinkOptions));
        return context;
    }

    private void send(List<String> messages) {
        ProducerTemplate template = context.createProducerTemplate();
        messages.forEach(m -> template.sendBody("direct:in", m));
    }

    private List<String> deadLetters() {
        return SinkFiles.linesOfAll(dir.resolve("dead-letter"), ".jsonl");
    }

    private static List<String> messages(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(n -> "{\"n\":" + n + "}").toList();
    }

    @Test
    void postsEveryMessageInOrderWithTheConfiguredHeaders() throws Exception {
        server = HttpTestServer.onFreePort().start();
        start("&headers=RAW(X-Feed: quotes)&secretHeaders=RAW(Authorization: Bearer t0k3n)");
        send(messages(50));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().size() == 50);
        assertEquals(messages(50), server.receivedBodies());
        HttpTestServer.Request first = server.requests().get(0);
        assertEquals("quotes", first.header("X-Feed"));
        assertEquals("Bearer t0k3n", first.header("Authorization"));
        assertEquals("application/json", first.header("Content-Type").replaceAll(";.*", ""));
        assertTrue(deadLetters().isEmpty());
    }

    @Test
    void postsWaitingMessagesAsOneJsonArray() throws Exception {
        CountDownLatch firstRequestHeld = new CountDownLatch(1);
        server = HttpTestServer.onFreePort().onRequest(n -> {
            if (n == 0) {
                awaitQuietly(firstRequestHeld);
            }
        }).start();
        start("&batchSize=10");
        List<String> sent = new ArrayList<>(messages(24));
        sent.add("plain text");
        send(sent);
        // all sent while the first request waits at the server: the rest queue up and go in full batches
        firstRequestHeld.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> joinedArrays(server.receivedBodies()).size() == 25);
        List<String> expected = new ArrayList<>(messages(24));
        expected.add("\"plain text\"");
        assertEquals(expected, joinedArrays(server.receivedBodies()));
        assertTrue(server.receivedBodies().stream().allMatch(b -> b.startsWith("[") && b.endsWith("]")),
                server.receivedBodies().toString());
        assertEquals(10, joinedArrays(List.of(server.receivedBodies().get(1))).size(),
                server.receivedBodies().toString());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The elements of the JSON arrays posted (our test messages hold no commas). */
    private static List<String> joinedArrays(List<String> bodies) {
        List<String> elements = new ArrayList<>();
        for (String body : bodies) {
            for (String element : body.substring(1, body.length() - 1).split(",")) {
                elements.add(element);
            }
        }
        return elements;
    }

    @Test
    void retriesWhileTheServerIsDownAndDeliversEverythingInOrderOnceItIsUp() throws Exception {
        server = HttpTestServer.onFreePort();
        start("&maxRetries=-1&initialDelay=50ms&multiplier=1.5&maxDelay=300ms&connectTimeout=1s");
        send(messages(10));

        HttpSinkEndpoint sink = context.getEndpoints().stream().filter(HttpSinkEndpoint.class::isInstance)
                .map(HttpSinkEndpoint.class::cast).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.getRetryCount() >= 2);
        assertEquals(10, sink.getPending());
        server.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().size() >= 10);
        assertEquals(messages(10), server.receivedBodies());
        assertTrue(deadLetters().isEmpty());
    }

    @Test
    void serverErrorsUntilRetriesRunOutGoToTheDeadLetterWithTheCause() throws Exception {
        server = HttpTestServer.onFreePort().defaultStatus(500).start();
        start("&maxRetries=2&initialDelay=20ms");
        send(messages(2));

        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters().size() == 2);
        assertEquals(6, server.requests().size(), "1 attempt + 2 retries for each message");
        List<String> records = deadLetters();
        for (int i = 0; i < 2; i++) {
            String record = records.get(i);
            assertEquals(messages(2).get(i), DeadLetterRecord.originalMessage(record));
            assertTrue(record.contains("\"status\":500"), record);
            assertTrue(record.contains("\"attempts\":3"), record);
            assertTrue(record.contains("\"cause\":\"HttpOperationFailedException"), record);
            assertTrue(record.contains("\"sink\":\"sink-http:orders\""), record);
            assertTrue(record.contains("\"time\":\""), record);
        }
    }

    @Test
    void badRequestGoesStraightToTheDeadLetter() throws Exception {
        server = HttpTestServer.onFreePort().defaultStatus(400).start();
        start("&maxRetries=5&initialDelay=20ms");
        send(List.of("{\"bad\":true}"));

        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters().size() == 1);
        assertEquals(1, server.requests().size());
        String record = deadLetters().get(0);
        assertTrue(record.contains("\"status\":400"), record);
        assertTrue(record.contains("\"attempts\":1"), record);
        assertEquals("{\"bad\":true}", DeadLetterRecord.originalMessage(record));
    }

    @Test
    void aListBodyIsABatchOfMessagesEachPostedAndDeadLetteredOnItsOwn() throws Exception {
        // the second message is refused for good; the others are delivered
        server = HttpTestServer.onFreePort().respondWith(200, 400, 200).start();
        start("&maxRetries=5&initialDelay=20ms");
        List<String> batch = messages(3);
        context.createProducerTemplate().sendBody("direct:in", batch);

        await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().size() == 3 && deadLetters().size() == 1);
        assertEquals(batch, server.receivedBodies(), "one POST per element, in order");
        assertEquals(List.of(batch.get(0), batch.get(2)), server.acceptedBodies());
        assertEquals(batch.get(1), DeadLetterRecord.originalMessage(deadLetters().get(0)));
    }

    @Test
    void tooManyRequestsWaitsWhatRetryAfterSays() throws Exception {
        server = HttpTestServer.onFreePort().respondWithRetryAfter(429, "1").start();
        start("&initialDelay=10ms");
        send(messages(1));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().size() == 2);
        long waitedNanos = server.requests().get(1).receivedAtNanos() - server.requests().get(0).receivedAtNanos();
        assertTrue(waitedNanos >= Duration.ofSeconds(1).toNanos(), "retried after " + waitedNanos / 1_000_000 + " ms");
        assertEquals(messages(1), List.of(server.receivedBodies().get(1)));
        assertTrue(deadLetters().isEmpty());
    }

    @Test
    void aGracefulStopDeliversWhatIsBuffered() throws Exception {
        server = HttpTestServer.onFreePort().start();
        start("&bufferSize=500");
        send(messages(300));
        context.stop();

        assertEquals(messages(300), server.receivedBodies());
        assertTrue(deadLetters().isEmpty());
    }

    @Test
    void whatCannotBeDeliveredBeforeTheStopDeadlineGoesToTheDeadLetter() throws Exception {
        server = HttpTestServer.onFreePort();
        start("&maxRetries=-1&initialDelay=50ms&drainTimeout=300ms&connectTimeout=1s");
        send(messages(5));
        context.stop();

        List<String> records = deadLetters();
        assertEquals(messages(5), records.stream().map(DeadLetterRecord::originalMessage).toList());
        assertFalse(records.isEmpty());
    }

    /**
     * A server that takes the request and never answers holds the delivery thread in its post until responseTimeout:
     * the stop cuts that post short once it gives up, so the context stops within its budget and the message being
     * posted is in the dead letter with the others.
     */
    @Test
    void aStopBehindAServerThatNeverAnswersEndsWithinTheBudgetWithThePostInTheDeadLetter() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        CountDownLatch posted = new CountDownLatch(1);
        server = HttpTestServer.onFreePort().onRequest(n -> {
            posted.countDown();
            awaitQuietly(answer);
        }).start();
        try {
            context = YamlCamel.create().shutdownTimeout(3).property("dir", dir).property("url", server.url("/ingest"))
                    .start("""
                            - route:
                                from:
                                  uri: direct:in
                                  steps:
                                    - to: "kamelet:ws-http-sink?url={{url}}&name=orders&deadLetterDirectory={{dir}}/dead-letter&responseTimeout=60s"
                            """);
            send(messages(3));
            assertTrue(posted.await(10, TimeUnit.SECONDS));

            long start = System.nanoTime();
            context.stop();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertTrue(millis < 4_000, "stopped in " + millis + " ms, shutdownTimeout 3 s");
            assertEquals(messages(3), deadLetters().stream().map(DeadLetterRecord::originalMessage).toList(),
                    "the message being posted first, then the two waiting, once each");
        } finally {
            answer.countDown();
        }
    }
}
