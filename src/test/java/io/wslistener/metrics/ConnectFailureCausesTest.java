package io.wslistener.metrics;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.wslistener.policy.WsListenerRoutePolicy;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Failed connect attempts against real peers land under the right {@code cause} of
 * {@code wslistener_connect_failures_total}: nothing listening, a peer that accepts TCP and never answers the
 * handshake, a server that answers the upgrade with 503.
 */
class ConnectFailureCausesTest {

    @Test
    void eachKindOfFailureCountsUnderItsCause() throws Exception {
        Vertx vertx = Vertx.vertx();
        // accepted by the kernel's backlog, never answered
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HttpServer unavailable = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                    .requestHandler(request -> request.response().setStatusCode(503).end());
            unavailable.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            int closedPort = AvailablePortFinder.getNextAvailable();
            int silentPort = silent.getLocalPort();
            int unavailablePort = unavailable.actualPort();

            WsListenerRoutePolicy quickTimeout = new WsListenerRoutePolicy();
            quickTimeout.setConnectTimeout(Duration.ofMillis(300));
            try (ObservedMain app = new ObservedMain(AvailablePortFinder.getNextAvailable())
                    .bind("quickTimeout", quickTimeout)
                    .routes(new RouteBuilder() {

                        @Override
                        public void configure() {
                            from("ws-listener:127.0.0.1:" + closedPort + "/feed").routeId("refused")
                                    .to("log:x?level=OFF");
                            from("ws-listener:127.0.0.1:" + silentPort + "/feed").routeId("silent")
                                    .routePolicyRef("quickTimeout").to("log:x?level=OFF");
                            from("ws-listener:127.0.0.1:" + unavailablePort + "/feed").routeId("unavailable")
                                    .to("log:x?level=OFF");
                        }
                    }).start()) {
                ManagementClient client = app.client();
                awaitAtLeastOne(client, "refused", "refused");
                awaitAtLeastOne(client, "silent", "timeout");
                awaitAtLeastOne(client, "unavailable", "handshake_status");

                String scrape = client.scrape();
                assertEquals(0, failures(scrape, "refused", "timeout") + failures(scrape, "refused", "handshake_status")
                        + failures(scrape, "refused", "other"), scrape);
                assertEquals(0, failures(scrape, "silent", "refused") + failures(scrape, "silent", "other"), scrape);
                assertEquals(0, failures(scrape, "unavailable", "refused") + failures(scrape, "unavailable", "timeout"),
                        scrape);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitAtLeastOne(ManagementClient client, String route, String cause) {
        await().atMost(Duration.ofSeconds(10)).until(() -> failures(client.scrape(), route, cause) >= 1);
    }

    private static double failures(String scrape, String route, String cause) {
        return ManagementClient.sample(scrape, "wslistener_connect_failures_total", "routeId=\"" + route + "\"",
                "cause=\"" + cause + "\"").orElse(Double.NaN);
    }
}
