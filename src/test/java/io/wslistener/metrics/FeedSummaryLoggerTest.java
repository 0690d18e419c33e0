package io.wslistener.metrics;

import java.time.Duration;

import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The periodic summary line of a feed, as written to the {@code io.wslistener.summary} logger.
 */
class FeedSummaryLoggerTest {

    private TestWebSocketServer server;
    private LogCapture log;

    @BeforeEach
    void start() throws Exception {
        server = new TestWebSocketServer().start();
        log = new LogCapture("io.wslistener.summary");
    }

    @AfterEach
    void stop() throws Exception {
        log.close();
        server.close();
    }

    @Test
    void writesTotalsReconnectsAndStateAtTheInterval() throws Exception {
        try (ObservedMain app = app("300ms").start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openSockets() == 1);
            server.sendTexts(1, i -> "a");
            server.sendTexts(1, i -> "b");
            server.sendTexts(1, i -> "c");
            server.closeAll((short) 4000, "test");
            await().atMost(Duration.ofSeconds(10)).until(() -> log.messages().stream()
                    .anyMatch(l -> l.contains("3 in total, 1 reconnects, 0 in flight, open (connection #2)")));
            String line = log.messages().stream().filter(l -> l.contains("3 in total")).findFirst().orElseThrow();
            assertTrue(line.startsWith("Route 'feed': "), line);
            assertTrue(line.matches(".*: \\d+ messages in the last [0-9.]+m?s \\([0-9.]+/s\\), 3 in total.*"), line);
        }
    }

    @Test
    void zeroSwitchesTheSummaryOff() throws Exception {
        try (ObservedMain app = app("0").start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openSockets() == 1);
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> log.messages().isEmpty());
        }
    }

    @Test
    void anIntervalThatIsNoDurationStopsStartUpNamingTheProperty() {
        ObservedMain app = app("soon");
        Exception e = assertThrows(Exception.class, app::start);
        app.close();
        assertTrue(causes(e).contains("wslistener.summary.interval=soon"), causes(e));
        assertEquals(0, server.openSockets());
    }

    @Test
    void aNegativeIntervalIsRefusedNotReadAsZero() {
        // Camel's own conversion read -5s as 0, which silently switched the summary off
        ObservedMain app = app("-5s");
        Exception e = assertThrows(Exception.class, app::start);
        app.close();
        assertTrue(causes(e).contains("wslistener.summary.interval=-5s"), causes(e));
    }

    private ObservedMain app(String interval) {
        int port = server.port();
        return new ObservedMain(0).property("camel.management.enabled", "false")
                .property("wslistener.summary.interval", interval).routes(new RouteBuilder() {

                    @Override
                    public void configure() {
                        from("ws-listener:127.0.0.1:" + port + "/feed").routeId("feed").to("log:feed?level=OFF");
                    }
                });
    }

    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append(" | ");
        }
        return text.toString();
    }
}
