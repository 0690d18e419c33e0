package io.wslistener.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.support.WsListenerConstants;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.ServerConnection;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ProcessorDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After the consumer's close frame, a busy feed still has thousands of messages on their way, which the server sent
 * before it saw the frame. A route stop and a planned reconnect read on until the server's close reply, within their
 * budget: what the slow route does not take by then is in the undelivered file, so that nothing the server sent before
 * the close frame is lost. A server that never answers the close ends the stop at its budget, with one line that says
 * how many messages were read after the close frame and where they went. (Before, a stop reset the socket 2 s after
 * the close frame and a planned reconnect left what it had not read to Vert.x's 10 s closing timeout; both dropped the
 * rest.)
 */
class ReadOnAfterCloseTest {

    private static final String PAD = "x".repeat(2_000);
    private static final Pattern SEQ = Pattern.compile("^m(\\d+) ");

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy).shutdownTimeout(10);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();
    // small buffers on the server's side too
    private final TestWebSocketServer server = new TestWebSocketServer(serverVertx).writeQueueMaxSize(256 * 1024)
            .sendBufferSize(256 * 1024);
    /** Each message the route took: the connection it came on and its number there. */
    private final List<long[]> routed = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aRouteStopKeepsEverythingTheServerSentBeforeTheCloseFrame() throws Exception {
        policy.setDrainTimeout(Duration.ofSeconds(6));
        server.autoSendOnConnect(Integer.MAX_VALUE, i -> "m" + i + " " + PAD).start();
        startSlowRoute();
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.openSockets() == 1 && routed.size() > 20);

        camel.getRouteController().stopRoute(YamlCamel.FEED);
        awaitNothingWaiting();

        ServerConnection connection = server.lastConnection();
        long sentBeforeClose = connection.sentBeforeCloseFrame();
        List<Long> taken = numbersRouted(1);
        List<Long> kept = numbers(yamlCamel.undelivered());
        String context = "the server sent " + sentBeforeClose + " before the close frame; the route took "
                + taken.size() + ", the undelivered file has " + kept.size();
        assertEquals(consecutive(1, sentBeforeClose), concat(taken, kept),
                "every message up to the last one sent before the close frame, once, in order: " + context);
        assertTrue(sentBeforeClose > taken.size() + 600, "a backlog the route cannot take in time: " + context);
    }

    @Test
    void aPlannedReconnectWhilePausedKeepsWhatTheServerSentBeforeTheCloseFrame() throws Exception {
        policy.setMaxConnectionAge(Duration.ofSeconds(1));
        policy.setDrainTimeout(Duration.ofSeconds(6));
        server.autoSendOnConnect(Integer.MAX_VALUE, i -> "m" + i + " " + PAD).start();
        startSlowRoute();

        // connection 1 reached its age while its backlog paused reading; the next one opens after its close ends
        await().atMost(15, TimeUnit.SECONDS).until(() -> server.totalConnections() >= 2);
        ServerConnection first = server.connections().get(0);
        await().atMost(5, TimeUnit.SECONDS).until(() -> !first.isOpen());
        camel.getRouteController().stopRoute(YamlCamel.FEED);
        awaitNothingWaiting();

        long sentBeforeClose = first.sentBeforeCloseFrame();
        List<Long> taken = numbersRouted(1);
        // the undelivered file starts with what connection 1 left (the stop may add connection 2's after it)
        List<Long> kept = firstRun(numbers(yamlCamel.undelivered()));
        String context = "connection 1: the server sent " + sentBeforeClose + " before the close frame; the route took "
                + taken.size() + ", the undelivered file has " + kept.size() + " of it";
        assertEquals(consecutive(1, sentBeforeClose), concat(taken, kept),
                "every message of connection 1 up to the last one sent before the close frame, once, in order: "
                        + context);
        assertTrue(sentBeforeClose > taken.size() + 600, "a backlog the route cannot take in time: " + context);
    }

    /**
     * Suspend, resume and stop under load: each close (the suspend's, the stop's) reads on until the server's close
     * reply, and what the slow route did not take within the budget is in the undelivered file. The stop after the
     * resume waits for everything received, whichever connection it came on.
     */
    @Test
    void aSuspendAResumeAndAStopUnderLoadKeepWhatEachConnectionWasSent() throws Exception {
        policy.setDrainTimeout(Duration.ofSeconds(6));
        server.autoSendOnConnect(Integer.MAX_VALUE, i -> "m" + i + " " + PAD).start();
        startSlowRoute();
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.openSockets() == 1 && routed.size() > 20);

        camel.getRouteController().suspendRoute(YamlCamel.FEED);
        camel.getRouteController().resumeRoute(YamlCamel.FEED);
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> server.totalConnections() == 2 && numbersRouted(2).size() > 20);
        camel.getRouteController().stopRoute(YamlCamel.FEED);
        awaitNothingWaiting();

        List<List<Long>> runs = runs(numbers(yamlCamel.undelivered()));
        for (int connection = 1; connection <= 2; connection++) {
            long sentBeforeClose = server.connections().get(connection - 1).sentBeforeCloseFrame();
            List<Long> taken = numbersRouted(connection);
            List<Long> kept = taken.size() < sentBeforeClose && !runs.isEmpty() ? runs.remove(0) : List.of();
            assertEquals(consecutive(1, sentBeforeClose), concat(taken, kept), "connection " + connection
                    + ": the route took " + taken.size() + ", the undelivered file has " + kept.size() + " of "
                    + sentBeforeClose + " sent before the close frame");
        }
        assertTrue(runs.isEmpty(), "nothing else in the undelivered file: " + runs);
    }

    @Test
    void aServerThatNeverAnswersTheCloseEndsTheStopAtItsBudgetWithACount() throws Exception {
        policy.setDrainTimeout(Duration.ofSeconds(2));
        // a live feed that goes on sending after the close frame (a server busy writing would not read it at all)
        server.ignoreCloseFrames().sendEvery(Duration.ofMillis(1), i -> "m" + i + " ").start();
        startRoute(false);
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.openSockets() == 1 && routed.size() > 20);

        try (LogCapture log = new LogCapture("io.wslistener")) {
            camel.getRouteController().stopRoute(YamlCamel.FEED);

            List<String> lines = log.containing("messages were read after the close frame");
            assertEquals(1, lines.size(), "one line says what became of them: " + log.lines());
            Matcher stop = Pattern.compile("no close reply within 2s, socket reset; (\\d+) messages were read after the"
                    + " close frame; since the stop began (\\d+) processed by the route").matcher(lines.get(0));
            assertTrue(stop.find(), lines.get(0));
            assertTrue(Long.parseLong(stop.group(1)) > 0, "the server kept sending after the close frame: " + stop);
        }
        assertTrue(server.lastConnection().closeFrameReceived(), "the close frame went out");
        List<Long> all = concat(numbersRouted(1), numbers(yamlCamel.undelivered()));
        assertEquals(consecutive(1, all.size()), all, "what was read is processed or kept, once, in order");
    }

    /**
     * What was read until the close reply (or the reset) is processed or written: the stop ends within its budget, and a
     * busy machine may still be writing the last of it.
     */
    private void awaitNothingWaiting() {
        await().atMost(5, TimeUnit.SECONDS).until(() -> yamlCamel.consumer(YamlCamel.FEED).getInFlight() == 0);
    }

    /** About 50 messages a second, at most 100 ms on one message (a throttle that waits a whole second would hold it). */
    private void startSlowRoute() throws Exception {
        startRoute(true);
    }

    private void startRoute(boolean slow) throws Exception {
        // a small TCP receive buffer: a backlog of a thousand or two (mostly in the hand-off), not the megabytes a
        // loopback socket buffers by itself
        yamlCamel.bean("clientOptions", new HttpClientOptions().setReceiveBufferSize(64 * 1024));
        yamlCamel.start(new RouteBuilder() {

            @Override
            public void configure() {
                ProcessorDefinition<?> route = from(
                        "ws-listener:127.0.0.1:" + server.port() + "/feed?clientOptions=#clientOptions")
                        .routeId(YamlCamel.FEED)
                        .routePolicyRef(YamlCamel.FEED_POLICY);
                if (slow) {
                    route = route.throttle(5).timePeriodMillis(100).end();
                }
                route.process(exchange -> routed.add(new long[]{
                        exchange.getMessage().getHeader(WsListenerConstants.CONNECTION, Long.class),
                        number(exchange.getMessage().getBody(String.class)) }));
            }
        });
    }

    private List<Long> numbersRouted(long connection) {
        return routed.stream().filter(r -> r[0] == connection).map(r -> r[1]).toList();
    }

    private static List<Long> numbers(List<Object> messages) {
        return messages.stream().map(m -> number((String) m)).toList();
    }

    private static long number(String message) {
        Matcher m = SEQ.matcher(message);
        assertTrue(m.find(), message);
        return Long.parseLong(m.group(1));
    }

    /** The leading run of consecutive numbers. */
    private static List<Long> firstRun(List<Long> numbers) {
        List<List<Long>> runs = runs(numbers);
        return runs.isEmpty() ? List.of() : runs.get(0);
    }

    /** The numbers cut into runs of consecutive ones. */
    private static List<List<Long>> runs(List<Long> numbers) {
        List<List<Long>> runs = new ArrayList<>();
        List<Long> run = new ArrayList<>();
        for (Long n : numbers) {
            if (!run.isEmpty() && n != run.get(run.size() - 1) + 1) {
                runs.add(run);
                run = new ArrayList<>();
            }
            run.add(n);
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    private static List<Long> consecutive(long from, long to) {
        List<Long> numbers = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            numbers.add(n);
        }
        return numbers;
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
