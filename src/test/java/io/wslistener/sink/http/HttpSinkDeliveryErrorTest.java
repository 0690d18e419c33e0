package io.wslistener.sink.http;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import io.wslistener.metrics.SinkMeters;
import io.wslistener.support.Backoff;
import io.wslistener.support.StopBudget;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.LogCapture;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An Error in the HTTP sink's delivery thread never wedges the sink: the batch it hit goes to the dead letter, later
 * messages are still delivered, and should the thread end all the same, offer fails at once instead of spinning.
 */
class HttpSinkDeliveryErrorTest {

    private final HttpTestServer server = new HttpTestServer().start();
    private final List<Object> deadLettered = new CopyOnWriteArrayList<>();
    private final List<Exception> causes = new CopyOnWriteArrayList<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor();
    private CamelContext context;
    private HttpPoster poster;
    private HttpDelivery delivery;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
        poster = new HttpPoster(context, server.url("/ingest"), false, "application/json", Map.of(),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Clock.systemUTC());
        ServiceHelper.startService(poster);
    }

    @AfterEach
    void stop() {
        ServiceHelper.stopService(delivery, poster);
        sender.shutdownNow();
        context.stop();
        server.close();
    }

    private HttpDelivery delivery(java.util.function.Function<List<Object>, HttpAttempt> post) {
        delivery = new HttpDelivery("ingest", 1, 2, 1 << 20, 0, new Backoff(Duration.ofMillis(50), 1.0,
                Duration.ofMillis(50), 0), 50, Duration.ofSeconds(5), StopBudget.of(context), post,
                (messages, attempts, status, cause) -> {
                    deadLettered.addAll(messages);
                    causes.add(cause);
                }, context.getExecutorServiceManager());
        ServiceHelper.startService(delivery);
        return delivery;
    }

    private static List<Object> messages(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> (Object) ("{\"n\":" + n + "}")).toList();
    }

    @Test
    void aStackOverflowErrorWhilePostingDeadLettersThatBatchAndLaterMessagesAreStillDelivered() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        HttpDelivery sink = delivery(batch -> {
            if (first.getAndSet(false)) {
                throw new StackOverflowError("injected");
            }
            return poster.post(batch);
        });
        try (LogCapture log = new LogCapture(HttpDelivery.class.getName())) {
            // the buffer holds 2: before the fix the third offer waited for ever on a thread that was gone
            Future<?> offers = sender.submit(() -> {
                for (Object message : messages(1, 20)) {
                    sink.offer(message, SinkMeters.NONE);
                }
                return null;
            });
            offers.get(20, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> server.acceptedBodies().size() == 19);
            assertEquals(messages(2, 20), List.copyOf(server.acceptedBodies()));
            assertEquals(messages(1, 1), deadLettered);
            assertTrue(String.valueOf(causes.get(0).getCause()).contains("StackOverflowError"), causes.toString());
            assertEquals(1, sink.deliveryErrorCount());
            assertTrue(log.contains("ERROR", "HTTP sink ingest"), log.lines().toString());
        }
    }

    @Test
    void whenTheDeliveryThreadIsGoneOfferFailsAtOnceInsteadOfWaiting() throws Exception {
        // a post that throws an Error, and meters that throw one too while the loop dead-letters that batch: the
        // thread ends
        SinkMeters broken = new SinkMeters() {

            @Override
            public void written(long count) {
                throw new LinkageError("injected written");
            }

            @Override
            public void retried() {
                throw new LinkageError("injected retried");
            }

            @Override
            public void deadLettered(long count) {
                throw new LinkageError("injected deadLettered");
            }

            @Override
            public void latency(long nanos) {
                throw new LinkageError("injected latency");
            }
        };
        HttpDelivery sink = delivery(batch -> {
            throw new StackOverflowError("injected");
        });
        try (LogCapture log = new LogCapture(HttpDelivery.class.getName())) {
            sink.offer("{\"n\":1}", broken);
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.workerDeath() != null);
            assertTrue(log.contains("ERROR", "delivery thread stopped"), log.lines().toString());
        }
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int n = 2; n <= 10; n++) {
                Object message = "{\"n\":" + n + "}";
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> sink.offer(message, SinkMeters.NONE));
                assertTrue(refused.getMessage().contains("HTTP sink ingest: its delivery thread has stopped"),
                        refused.getMessage());
            }
        });
        assertEquals(messages(1, 1), deadLettered, "the batch in hand was still dead-lettered");
        assertTrue(server.requests().isEmpty());
    }
}
