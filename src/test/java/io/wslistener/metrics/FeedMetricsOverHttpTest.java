package io.wslistener.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The meters as Prometheus scrapes them from camel-main's management server, after real connection events against a
 * real server: a connect, a close with a code, a reset, a peer that stops answering pings, a server that is gone.
 */
class FeedMetricsOverHttpTest {

    private static final String ROUTE = "routeId=\"feed\"";

    private TestWebSocketServer server;
    private ObservedMain app;
    private ManagementClient client;
    private final List<Object> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new TestWebSocketServer().start();
        int port = server.port();
        app = new ObservedMain(AvailablePortFinder.getNextAvailable()).routes(new RouteBuilder() {

            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + port + "/feed").routeId("feed")
                        .process(e -> received.add(e.getMessage().getBody()));
            }
        }).start();
        client = app.client();
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void countsEveryConnectionEventAndShowsTheState() throws Exception {
        awaitValue("wslistener_connects_total", 1);
        awaitValue("wslistener_connection_state", 1); // open
        assertEquals(0, client.value("wslistener_connect_failures_total", ROUTE, "cause=\"refused\""),
                "every cause category is there from the start, at 0");

        server.sendTexts(1, i -> "hello");
        server.sendTexts(1, i -> "world");
        server.sendTexts(1, i -> "again");
        awaitValue("wslistener_messages_received_total", 3);
        assertEquals(15, client.value("wslistener_received_bytes_total", ROUTE));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.value("wslistener_pongs_received_total", ROUTE) >= 1);
        assertTrue(client.value("wslistener_pings_sent_total", ROUTE) >= 1);
        assertTrue(client.value("wslistener_pong_rtt_seconds_count", ROUTE) >= 1, "the round trip is timed");
        assertEquals(0, client.value("wslistener_messages_inflight", ROUTE), "all three were processed");
        assertEquals(3, received.size());

        // the server closes with a code: one disconnect under that code, then a reconnect
        server.closeAll((short) 4000, "test");
        awaitValue("wslistener_connects_total", 2);
        // 4000 is private use: it shares the 4xxx series (a server could send every code of the range)
        assertEquals(1, client.value("wslistener_disconnects_total", ROUTE, "closeCode=\"4xxx\""));

        // the server drops TCP: a disconnect without close code
        server.dropAll();
        awaitValue("wslistener_connects_total", 3);
        assertEquals(1, client.value("wslistener_disconnects_total", ROUTE, "closeCode=\"none\""));

        // the server stops reading: no pong comes, the loop takes the connection for dead and reconnects
        assertEquals(0, client.value("wslistener_pong_timeouts_total", ROUTE));
        server.stopReading();
        awaitValue("wslistener_pong_timeouts_total", 1);
        awaitValue("wslistener_connects_total", 4);
        assertEquals(2, client.value("wslistener_disconnects_total", ROUTE, "closeCode=\"none\""));
        awaitValue("wslistener_connection_state", 1);

        // the server is gone: attempts are refused and the loop backs off between them
        server.stop();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.value("wslistener_connect_failures_total", ROUTE, "cause=\"refused\"") >= 2);
        awaitValue("wslistener_connection_state", 2); // backing off
        assertEquals(0, client.value("wslistener_connect_failures_total", ROUTE, "cause=\"timeout\""));
        assertEquals(0, client.value("wslistener_giveups_total", ROUTE));
        assertEquals(4, client.value("wslistener_connects_total", ROUTE), "no connect while the server is gone");

        // Camel's own route meters are in the same scrape, under the same route id
        assertEquals(3, client.value("camel_exchanges_total", ROUTE, "eventType=\"route\""));
    }

    @Test
    void stoppingTheRouteRemovesItsMetersAndAStartBeginsAFreshSet() throws Exception {
        awaitValue("wslistener_connects_total", 1);
        server.closeAll((short) 4000, "test");
        awaitValue("wslistener_connects_total", 2);

        app.context().getRouteController().stopRoute("feed");
        String scrape = client.scrape();
        assertFalse(scrape.contains("wslistener_connects_total{"), scrape);
        assertFalse(scrape.contains("wslistener_connection_state{"), scrape);
        assertFalse(scrape.contains("wslistener_disconnects_total{"), scrape);

        app.context().getRouteController().startRoute("feed");
        awaitValue("wslistener_connects_total", 1);
        awaitValue("wslistener_connection_state", 1);
        String after = client.scrape();
        assertEquals(1, after.lines().filter(l -> l.startsWith("wslistener_connection_state{")).count(),
                "one state series, not one per start: " + after);
    }

    private void awaitValue(String name, double expected) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> client.value(name, ROUTE), v -> v == expected);
    }
}
