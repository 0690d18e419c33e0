package io.wslistener.source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery pool of a context with more busy feeds than {@code wslistener.delivery.maxThreads}: the threads stay
 * within the bound, every feed gets its turn (a feed that never runs dry too), and a stop still gives every feed's
 * drain a thread.
 */
class DeliveryPoolTest {

    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.create().shutdownTimeout(5);
    private final CamelContext camel = yamlCamel.context();

    private final CountDownLatch release = new CountDownLatch(1);
    // the routes that hold a message until release
    private final AtomicInteger holding = new AtomicInteger();
    private final Map<String, List<String>> processed = new ConcurrentHashMap<>();
    private final Set<Thread> routeThreads = ConcurrentHashMap.newKeySet();
    private final List<TestWebSocketServer> servers = new ArrayList<>();
    private volatile boolean over;

    @AfterEach
    void stopServers() {
        over = true;
        release.countDown();
        servers.forEach(TestWebSocketServer::stop);
    }

    private TestWebSocketServer server() {
        TestWebSocketServer server = new TestWebSocketServer(yamlCamel.serverVertx()).start();
        servers.add(server);
        return server;
    }

    /** What a route does with each message, on the delivery thread. */
    @FunctionalInterface
    private interface Step {

        void process(Exchange exchange) throws Exception;
    }

    /** Starts routes {@code routeIds}, each from its server's {@code /<routeId>}, recording what they process. */
    private void startFeeds(List<String> routeIds, IntFunction<TestWebSocketServer> serverOf, Step before)
            throws Exception {
        yamlCamel.start(new RouteBuilder() {

            @Override
            public void configure() {
                for (int i = 0; i < routeIds.size(); i++) {
                    String routeId = routeIds.get(i);
                    from("ws-listener:127.0.0.1:" + serverOf.apply(i).port() + "/" + routeId).routeId(routeId)
                            .process(exchange -> {
                                routeThreads.add(Thread.currentThread());
                                before.process(exchange);
                                processed(routeId).add(exchange.getMessage().getBody(String.class));
                            });
                }
            }
        });
    }

    private List<String> processed(String routeId) {
        return processed.computeIfAbsent(routeId, id -> Collections.synchronizedList(new ArrayList<>()));
    }

    /** Holds the message until the test releases it. */
    private void hold() throws InterruptedException {
        holding.incrementAndGet();
        release.await(30, TimeUnit.SECONDS);
    }

    /** The live delivery threads of this context. */
    private long deliveryThreads() {
        String context = "(" + camel.getName() + ")";
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains(context) && name.contains(DeliveryThreads.NAME)).count();
    }

    private int inFlight(List<String> routeIds) {
        return routeIds.stream().mapToInt(id -> yamlCamel.consumer(id).getInFlight()).sum();
    }

    private static List<String> numbered(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).toList();
    }

    /**
     * Fifty feeds whose route holds every message: the cached pool started a thread for each feed; now four hold a
     * message and the others wait their turn, and once the route lets go every feed gets all of its messages, in order.
     */
    @Test
    void manyBusyFeedsShareAtMostMaxThreadsAndEachGetsEveryMessageInOrder() throws Exception {
        int messages = 20;
        List<String> feeds = numbered("feed-", 50);
        yamlCamel.property("wslistener.delivery.maxThreads", 4);
        TestWebSocketServer server = server();
        AtomicInteger seen = new AtomicInteger();
        AtomicLong mostThreads = new AtomicLong();
        startFeeds(feeds, i -> server, exchange -> {
            if (seen.incrementAndGet() % 50 == 0) {
                mostThreads.accumulateAndGet(deliveryThreads(), Math::max);
            }
            hold();
        });
        await().atMost(30, TimeUnit.SECONDS).until(() -> server.openSockets() == feeds.size());

        server.sendTexts(messages, i -> "m" + i);

        // every message received: held by a route or waiting in its feed's hand-off
        await().atMost(30, TimeUnit.SECONDS).until(() -> inFlight(feeds) == feeds.size() * messages);
        await().atMost(5, TimeUnit.SECONDS).until(() -> holding.get() >= 4);
        assertEquals(4, deliveryThreads(), "one thread per busy feed before: " + holding.get() + " routes hold");
        assertEquals(4, holding.get());

        release.countDown();

        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> processed.values().stream().mapToInt(List::size).sum() == feeds.size() * messages);
        for (String feed : feeds) {
            assertEquals(numbered("m", messages), processed(feed), feed + ": every message once, in order");
        }
        assertTrue(routeThreads.size() <= 4, routeThreads.size() + " threads ran the routes");
        assertTrue(mostThreads.get() >= 1 && mostThreads.get() <= 4,
                "at most 4 delivery threads while delivering: " + mostThreads.get());
        assertTrue(deliveryThreads() <= 4);
    }

    /**
     * One thread, a feed whose route always has its next message waiting (a fast stream) and a quiet feed: the stream's
     * drain hands the thread over after a slice, so the quiet feed's messages go through while the stream goes on.
     * Without the slice the stream's drain would keep the thread for as long as it streams.
     */
    @Test
    void aFeedThatNeverRunsDryLetsTheOtherFeedsHaveTheThread() throws Exception {
        yamlCamel.property("wslistener.delivery.maxThreads", 1);
        TestWebSocketServer streaming = server();
        TestWebSocketServer quiet = server();
        AtomicLong streamed = new AtomicLong();
        AtomicInteger outOfOrder = new AtomicInteger();
        startFeeds(List.of("stream", "quiet"), i -> i == 0 ? streaming : quiet, exchange -> {
            if (exchange.getFromRouteId().equals("stream")) {
                if (!exchange.getMessage().getBody(String.class).equals("s" + (streamed.get() + 1))) {
                    outOfOrder.incrementAndGet();
                }
                streamed.incrementAndGet();
                // the route lets go of a message only once the next one is queued, so that its drain never runs dry:
                // two more than this one counted, as the event loop counts a message just before it queues it
                WsListenerConsumer stream = yamlCamel.consumer("stream");
                while (!over && stream.getInFlight() <= 2) {
                    Thread.onSpinWait();
                }
            }
        });
        await().atMost(10, TimeUnit.SECONDS).until(() -> streaming.openSockets() == 1 && quiet.openSockets() == 1);

        streaming.sendTexts(Integer.MAX_VALUE, i -> "s" + i);
        await().atMost(10, TimeUnit.SECONDS).until(() -> streamed.get() > 1000);
        quiet.sendTexts(10, i -> "q" + i);

        await().atMost(10, TimeUnit.SECONDS).until(() -> processed("quiet").size() == 10);
        long streamedMeanwhile = streamed.get();
        await().atMost(10, TimeUnit.SECONDS).until(() -> streamed.get() > streamedMeanwhile + 1000);
        assertEquals(numbered("q", 10), processed("quiet"));
        assertEquals(0, outOfOrder.get(), "the stream in order across its slices");
    }

    /**
     * Two feeds whose route never returns hold both threads, and four more feeds' messages wait for a thread when the
     * context's stop begins: the stop gives each waiting drain a thread, so those messages are delivered before the stop
     * ends (a process would exit then). The two held routes' messages are written to their undelivered files once the
     * routes let go, as for any forced stop.
     */
    @Test
    void aStopGivesTheDrainsWaitingBehindStuckRoutesAThread() throws Exception {
        int messages = 5;
        List<String> stuck = List.of("f1", "f2");
        List<String> waiting = List.of("f3", "f4", "f5", "f6");
        List<String> feeds = new ArrayList<>(stuck);
        feeds.addAll(waiting);
        yamlCamel.property("wslistener.delivery.maxThreads", 2);
        camel.getShutdownStrategy().setTimeout(3);
        List<TestWebSocketServer> feedServers = feeds.stream().map(feed -> server()).toList();
        startFeeds(feeds, feedServers::get, exchange -> {
            if (stuck.contains(exchange.getFromRouteId())) {
                hold();
            }
        });
        await().atMost(10, TimeUnit.SECONDS).until(() -> feedServers.stream().allMatch(s -> s.openSockets() == 1));
        for (int i = 0; i < stuck.size(); i++) {
            String feed = stuck.get(i);
            feedServers.get(i).sendTexts(messages, n -> feed + "-m" + n);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> holding.get() == 2 && inFlight(stuck) == 2 * messages);
        for (int i = stuck.size(); i < feeds.size(); i++) {
            String feed = feeds.get(i);
            feedServers.get(i).sendTexts(messages, n -> feed + "-m" + n);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> inFlight(waiting) == waiting.size() * messages);
        waiting.forEach(feed -> assertEquals(List.of(), processed(feed), feed + " waits for a thread"));

        camel.stop();

        for (String feed : waiting) {
            List<Object> kept = new ArrayList<>(processed(feed));
            kept.addAll(yamlCamel.undelivered(feed));
            assertEquals(numbered(feed + "-m", messages), kept, feed + ": delivered or kept before the stop ended");
        }

        release.countDown();
        for (String feed : stuck) {
            List<String> all = numbered(feed + "-m", messages);
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> processed(feed).size() + yamlCamel.undelivered(feed).size() >= messages);
            // the held message may be both processed and kept (Camel rejects its exchange as it completes)
            List<Object> undelivered = yamlCamel.undelivered(feed);
            assertEquals(all.subList(messages - undelivered.size(), messages), undelivered, feed + ": kept in order");
            assertEquals(all.subList(0, 1), processed(feed), feed + ": only the held message was processed");
        }
    }
}
