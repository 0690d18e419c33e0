package io.wslistener.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.support.WsListenerConstants;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.wslistener.testsupport.YamlCamel.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Order and completeness of what reaches the route, and the bound on what waits for it.
 */
class DeliveryTest {

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    private TestWebSocketServer server;

    @BeforeEach
    void createServer() {
        server = new TestWebSocketServer(serverVertx);
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void hundredThousandMessagesArriveInOrderWithNoneMissing() throws Exception {
        int total = 100_000;
        server.autoSendOnConnect(total, Integer::toString).start();
        SequenceRecorder recorder = new SequenceRecorder();
        camel.getRegistry().bind("recorder", recorder);
        yamlCamel.start("""
                - route:
                    id: feed
                    routePolicy: policy
                    from:
                      uri: "ws-listener:127.0.0.1:%d/feed"
                      steps:
                        - process:
                            ref: recorder
                """.formatted(server.port()));

        await().atMost(60, TimeUnit.SECONDS).until(() -> recorder.count() >= total);
        assertEquals("", SequenceCheck.problems(recorder.numbers(), total));
        assertEquals("", recorder.headerProblems());
        assertEquals(1, server.totalConnections());
    }

    @Test
    void aSlowRouteHoldsTheServerBackInsteadOfFillingTheHeap() throws Exception {
        int total = 20_000; // 20 MB: far more than the socket buffers on both sides can hold
        int maxInFlight = 50;
        String padding = "|" + "x".repeat(1024);
        server.autoSendOnConnect(total, i -> i + padding).start();
        policy.setMaxInFlight(maxInFlight);
        CountDownLatch gate = new CountDownLatch(1);
        SequenceRecorder recorder = new SequenceRecorder();
        yamlCamel.startFeed(server.port(), exchange -> {
            gate.await(30, TimeUnit.SECONDS); // the slow step
            recorder.process(exchange);
        });
        WsListenerConsumer consumer = yamlCamel.consumer("feed");
        recorder.watch(consumer::getInFlight);

        try {
            // held up by the slow step: reading stops at maxInFlight, TCP fills up, and the server has to wait
            await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.getInFlight() == maxInFlight);
            AtomicLong lastSample = new AtomicLong(-1);
            await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(300)).until(() -> {
                long sent = server.lastConnection().messagesSent();
                return sent == lastSample.getAndSet(sent); // nothing sent for 300 ms
            });
            assertTrue(server.writeQueueFullObserved());
            assertTrue(lastSample.get() < total / 2,
                    "the server was held back after " + lastSample.get() + " messages");
            assertEquals(maxInFlight, consumer.getInFlight(), "nothing more was taken in while the route was held up");
        } finally {
            gate.countDown();
        }

        await().atMost(30, TimeUnit.SECONDS).until(() -> recorder.count() >= total);
        assertEquals("", SequenceCheck.problems(recorder.numbers(), total));
        assertTrue(recorder.maxInFlight() <= maxInFlight,
                "in flight at most " + maxInFlight + ", was " + recorder.maxInFlight());
    }

    @Test
    void messagesAlreadyReadWhenTheServerClosesAreDeliveredWhileReadingIsPaused() throws Exception {
        int total = 2000;
        AtomicInteger connections = new AtomicInteger();
        HttpServer server = serverVertx.createHttpServer().webSocketHandler(ws -> {
            if (connections.incrementAndGet() == 1) {
                for (int i = 1; i <= total; i++) {
                    ws.writeTextMessage(Integer.toString(i));
                }
                // a restart right after a burst: the close frame follows the data on the wire
                ws.close((short) 1001, "restarting");
            }
        });
        join(server.listen(0, "127.0.0.1"));
        policy.setMaxInFlight(10);
        policy.setInitialDelay(Duration.ofMillis(50));
        CountDownLatch gate = new CountDownLatch(1);
        SequenceRecorder recorder = new SequenceRecorder();
        yamlCamel.startFeed(server.actualPort(), exchange -> {
            gate.await(10, TimeUnit.SECONDS);
            recorder.process(exchange);
        });
        WsListenerConsumer consumer = yamlCamel.consumer("feed");
        await().atMost(5, TimeUnit.SECONDS).until(() -> consumer.getInFlight() == 10);
        gate.countDown();

        await().atMost(10, TimeUnit.SECONDS).until(() -> connections.get() >= 2);
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(
                () -> assertEquals("", SequenceCheck.problems(recorder.numbers(), total)));
    }

    /**
     * Records the number each message starts with, checks its headers, and samples how many messages were in flight.
     * Runs on the route's single delivery thread.
     */
    static final class SequenceRecorder implements Processor {

        private final List<Long> numbers = Collections.synchronizedList(new ArrayList<>());
        private final List<String> headerProblems = Collections.synchronizedList(new ArrayList<>());
        private volatile IntSupplier inFlight = () -> 0;
        private volatile int maxInFlight;

        void watch(IntSupplier inFlight) {
            this.inFlight = inFlight;
        }

        @Override
        public void process(Exchange exchange) {
            maxInFlight = Math.max(maxInFlight, inFlight.getAsInt());
            String body = exchange.getMessage().getBody(String.class);
            int bar = body.indexOf('|');
            long number = Long.parseLong(bar < 0 ? body : body.substring(0, bar));
            numbers.add(number);
            Object sequence = exchange.getMessage().getHeader(WsListenerConstants.SEQUENCE);
            Object connection = exchange.getMessage().getHeader(WsListenerConstants.CONNECTION);
            if (headerProblems.size() < 5
                    && (!Long.valueOf(number).equals(sequence) || !Long.valueOf(1).equals(connection))) {
                headerProblems.add("message " + number + " had connection " + connection + ", sequence " + sequence);
            }
        }

        int count() {
            return numbers.size();
        }

        List<Long> numbers() {
            return List.copyOf(numbers);
        }

        String headerProblems() {
            return String.join("; ", headerProblems);
        }

        int maxInFlight() {
            return maxInFlight;
        }
    }
}
