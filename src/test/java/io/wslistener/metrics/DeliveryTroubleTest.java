package io.wslistener.metrics;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What health and meters say when delivery is in trouble while the connection is fine: an Error thrown by the route
 * (it must not wedge the feed, and must not go unseen), and a route that stops keeping up (stalled).
 */
class DeliveryTroubleTest {

    private final TestWebSocketServer server = new TestWebSocketServer();
    private ObservedMain app;
    private final List<String> written = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (app != null) {
            app.close();
        }
        server.close();
    }

    @Test
    void anErrorInTheRouteNeitherWedgesTheFeedNorGoesUnseen() throws Exception {
        server.autoSendOnConnect(5, i -> "m" + i).start();
        app = new ObservedMain(AvailablePortFinder.getNextAvailable()).routes(new RouteBuilder() {

            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + server.port() + "/feed").routeId("feed").process(exchange -> {
                    String body = exchange.getMessage().getBody(String.class);
                    if ("m2".equals(body)) {
                        throw new StackOverflowError("simulated in the route");
                    }
                    written.add(body);
                });
            }
        }).start();
        ManagementClient client = app.client();

        await().atMost(10, TimeUnit.SECONDS).until(() -> written.size() == 4);
        assertEquals(List.of("m1", "m3", "m4", "m5"), List.copyOf(written), "the feed went on after the Error");

        HttpResponse<String> ready = client.get("/observe/health/ready?data=true");
        assertEquals(503, ready.statusCode(), ready.body());
        JsonObject check = feedCheck(ready);
        assertTrue(check.getString("message").contains("StackOverflowError"), check.encode());
        assertEquals(1L, check.getJsonObject("data").getLong("delivery.failures"));
        HttpResponse<String> live = client.get("/observe/health/live?data=true");
        assertEquals(503, live.statusCode(), "after an Error the process wants a restart: " + live.body());
        assertEquals(1.0, ManagementClient.sample(client.scrape(), "wslistener_delivery_failures_total",
                "routeId=\"feed\"").orElse(-1));
    }

    @Test
    void aRouteThatStopsKeepingUpIsReportedStalled() throws Exception {
        ManagementClient client = startHeldFeed(200, new ObservedMain(AvailablePortFinder.getNextAvailable())
                .property("wslistener.maxInFlight", "10"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> client.get("/observe/health/ready").statusCode() == 503);
        JsonObject check = feedCheck(client.get("/observe/health/ready?data=true"));
        assertTrue(check.getString("message").contains("stalled"), check.encode());
        assertEquals("OPEN", check.getJsonObject("data").getString("state"), "connected, yet not keeping up");
        assertTrue(ManagementClient.sample(client.scrape(), "wslistener_backpressure_paused_seconds",
                "routeId=\"feed\"").orElse(-1) >= 0.3);
        assertTrue(ManagementClient.sample(client.scrape(), "wslistener_messages_oldest_age_seconds",
                "routeId=\"feed\"").orElse(-1) >= 0.3);
        assertEquals(200, client.get("/observe/health/live").statusCode(), "a stall is not a reason to restart");

        release.countDown();
        await().atMost(10, TimeUnit.SECONDS).until(() -> written.size() == 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/observe/health/ready").statusCode() == 200);
        assertEquals(0.0, ManagementClient.sample(client.scrape(), "wslistener_backpressure_paused_seconds",
                "routeId=\"feed\"").orElse(-1));
    }

    @Test
    void aQuietFeedWhoseRouteHangsOnOneMessageIsStalledThoughReadingNeverPaused() throws Exception {
        // a sink that hangs on one small message: far from any bound, reading goes on
        ManagementClient client = startHeldFeed(1, new ObservedMain(AvailablePortFinder.getNextAvailable()));

        await().atMost(10, TimeUnit.SECONDS).until(() -> client.get("/observe/health/ready").statusCode() == 503);
        JsonObject check = feedCheck(client.get("/observe/health/ready?data=true"));
        assertTrue(check.getString("message").contains("stalled: the oldest received message has waited"),
                check.encode());
        assertEquals("OPEN", check.getJsonObject("data").getString("state"));
        assertEquals(null, check.getJsonObject("data").getValue("reading.paused.seconds"), "reading never paused");
        String scrape = client.scrape();
        assertEquals(0.0, ManagementClient.sample(scrape, "wslistener_backpressure_paused_seconds",
                "routeId=\"feed\"").orElse(-1));
        assertTrue(ManagementClient.sample(scrape, "wslistener_messages_oldest_age_seconds", "routeId=\"feed\"")
                .orElse(-1) >= 0.3, scrape);

        release.countDown();
        await().atMost(10, TimeUnit.SECONDS).until(() -> written.size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/observe/health/ready").statusCode() == 200);
        assertEquals(0.0, ManagementClient.sample(client.scrape(), "wslistener_messages_oldest_age_seconds",
                "routeId=\"feed\"").orElse(-1));
    }

    /**
     * Starts {@code app} with stalledTimeout 300ms and a route whose processing waits for {@link #release}; the server
     * sends {@code messages} messages on connect.
     */
    private ManagementClient startHeldFeed(int messages, ObservedMain observed) throws Exception {
        server.autoSendOnConnect(messages, i -> "m" + i).start();
        app = observed.property("wslistener.stalledTimeout", "300ms").routes(new RouteBuilder() {

            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + server.port() + "/feed").routeId("feed").process(exchange -> {
                    assertTrue(release.await(10, TimeUnit.SECONDS));
                    written.add(exchange.getMessage().getBody(String.class));
                });
            }
        }).start();
        return app.client();
    }

    private static JsonObject feedCheck(HttpResponse<String> response) {
        JsonArray checks = new JsonObject(response.body()).getJsonArray("checks", new JsonArray());
        for (int i = 0; i < checks.size(); i++) {
            JsonObject check = checks.getJsonObject(i);
            if (check.getString("name").startsWith("wslistener:")) {
                return check;
            }
        }
        throw new AssertionError("no wslistener check in " + response.body());
    }
}
