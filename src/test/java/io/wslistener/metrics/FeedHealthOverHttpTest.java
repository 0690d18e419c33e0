package io.wslistener.metrics;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The feed health checks as camel-main's management server reports them over HTTP: readiness follows the connection,
 * liveness fails only when the loop gave up.
 */
class FeedHealthOverHttpTest {

    private TestWebSocketServer server;
    private ObservedMain app;

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
    void downWhileTheServerIsDownAndUpOnceItReturns() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        server = new TestWebSocketServer(); // not started yet
        app = new ObservedMain(AvailablePortFinder.getNextAvailable()).routes(new RouteBuilder() {

            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + port + "/feed").routeId("feed").to("log:feed?level=OFF");
            }
        }).start();
        ManagementClient client = app.client();

        // the server is down: the route runs (Camel's route check is UP) but the feed is not ready
        await().atMost(Duration.ofSeconds(10)).until(() -> feedCheck(client.get("/observe/health/ready?data=true"))
                .getJsonObject("data", new JsonObject()).getInteger("failures.in.a.row", 0) >= 1);
        HttpResponse<String> ready = client.get("/observe/health/ready?data=true");
        assertEquals(503, ready.statusCode(), ready.body());
        JsonObject check = feedCheck(ready);
        assertEquals("DOWN", check.getString("status"));
        assertTrue(check.getString("message").contains("not connected"), check.encode());
        JsonObject data = check.getJsonObject("data");
        assertTrue(data.getString("state").equals("BACKING_OFF") || data.getString("state").equals("CONNECTING"),
                data.encode());
        assertTrue(data.getString("last.cause").toLowerCase().contains("refused"), data.encode());
        assertEquals(0L, data.getLong("connection"));
        assertNotNull(data.getString("since"));
        assertEquals("feed", data.getString("route.id"));

        HttpResponse<String> health = client.get("/observe/health");
        assertEquals(503, health.statusCode(), health.body());
        assertEquals("DOWN", feedCheck(health).getString("status"));

        // merely disconnected is alive: restarting the process would not bring the server back
        HttpResponse<String> live = client.get("/observe/health/live?exposureLevel=full");
        assertEquals(200, live.statusCode(), live.body());
        assertEquals("UP", feedCheck(live).getString("status"));

        server.start(port);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/observe/health").statusCode() == 200);
        HttpResponse<String> readyAgain = client.get("/observe/health/ready?exposureLevel=full&data=true");
        assertEquals(200, readyAgain.statusCode(), readyAgain.body());
        JsonObject up = feedCheck(readyAgain);
        assertEquals("UP", up.getString("status"));
        assertEquals("OPEN", up.getJsonObject("data").getString("state"));
        assertEquals(1L, up.getJsonObject("data").getLong("connection"));
        assertTrue(up.getString("message").contains("connected (connection #1)"), up.encode());
        assertEquals("ws://127.0.0.1:" + port + "/feed", up.getJsonObject("data").getString("endpoint.uri"));

        // a suspended route is not ready either, until it resumes and reconnects
        app.context().getRouteController().suspendRoute("feed");
        HttpResponse<String> suspended = client.get("/observe/health/ready?data=true");
        assertEquals(503, suspended.statusCode(), suspended.body());
        assertEquals("STOPPED", feedCheck(suspended).getJsonObject("data").getString("state"));
        app.context().getRouteController().resumeRoute("feed");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/observe/health/ready").statusCode() == 200);
    }

    @Test
    void livenessFailsForALoopThatGaveUpEvenAfterItsRouteStopped() throws Exception {
        int closedPort = AvailablePortFinder.getNextAvailable();
        WsListenerRoutePolicy giveUpFast = new WsListenerRoutePolicy();
        giveUpFast.setMaxAttempts(2);
        app = new ObservedMain(AvailablePortFinder.getNextAvailable()).bind("giveUpFast", giveUpFast)
                .routes(new RouteBuilder() {

                    @Override
                    public void configure() {
                        from("ws-listener:127.0.0.1:" + closedPort + "/feed").routeId("doomed")
                                .routePolicyRef("giveUpFast")
                                .to("log:doomed?level=OFF");
                    }
                }).start();
        ManagementClient client = app.client();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> app.context().getRouteController().getRouteStatus("doomed") == ServiceStatus.Stopped);
        HttpResponse<String> live = client.get("/observe/health/live?data=true");
        assertEquals(503, live.statusCode(), live.body());
        JsonObject check = feedCheck(live);
        assertEquals("DOWN", check.getString("status"));
        assertEquals("FAILED", check.getJsonObject("data").getString("state"));
        assertTrue(check.getString("message").contains("gave up"), check.encode());
        assertTrue(check.getString("message").contains("maxAttempts=2"), check.encode());

        // and the meters still say so, for an alert on the state gauge
        String scrape = client.scrape();
        assertEquals(4.0,
                ManagementClient.sample(scrape, "wslistener_connection_state", "routeId=\"doomed\"").orElse(-1),
                scrape);
        assertEquals(1.0, ManagementClient.sample(scrape, "wslistener_giveups_total", "routeId=\"doomed\"").orElse(-1));
        assertEquals(2.0, ManagementClient.sample(scrape, "wslistener_connect_failures_total", "routeId=\"doomed\"",
                "cause=\"refused\"").orElse(-1));

        // started again by hand: a fresh check and fresh meters replace the failed ones
        app.context().getRouteController().startRoute("doomed");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> app.context().getRouteController().getRouteStatus("doomed") == ServiceStatus.Stopped);
        String again = client.scrape();
        assertEquals(1, again.lines().filter(l -> l.startsWith("wslistener_connection_state{")).count(), again);
        assertEquals(1.0, ManagementClient.sample(again, "wslistener_giveups_total", "routeId=\"doomed\"").orElse(-1));
    }

    @Test
    void aRouteStoppedOnPurposeLeavesNoCheckBehind() throws Exception {
        server = new TestWebSocketServer().start();
        int port = server.port();
        app = new ObservedMain(AvailablePortFinder.getNextAvailable()).routes(new RouteBuilder() {

            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + port + "/feed").routeId("feed").to("log:feed?level=OFF");
            }
        }).start();
        ManagementClient client = app.client();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/observe/health").statusCode() == 200);
        assertNotNull(feedCheckOrNull(client.get("/observe/health?exposureLevel=full")));

        app.context().getRouteController().stopRoute("feed");
        HttpResponse<String> health = client.get("/observe/health?exposureLevel=full");
        assertNull(feedCheckOrNull(health), health.body());
    }

    private static JsonObject feedCheck(HttpResponse<String> response) {
        JsonObject check = feedCheckOrNull(response);
        if (check == null) {
            throw new AssertionError("no wslistener check in " + response.body());
        }
        return check;
    }

    private static JsonObject feedCheckOrNull(HttpResponse<String> response) {
        JsonArray checks = new JsonObject(response.body()).getJsonArray("checks", new JsonArray());
        for (int i = 0; i < checks.size(); i++) {
            JsonObject check = checks.getJsonObject(i);
            if (check.getString("name").startsWith("wslistener:")) {
                return check;
            }
        }
        return null;
    }
}
