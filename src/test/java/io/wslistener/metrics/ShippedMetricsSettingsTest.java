package io.wslistener.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import io.wslistener.app.WsListenerApplication;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.NoErrorHandlerBuilder;
import org.apache.camel.main.Main;
import org.apache.camel.model.Model;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the shipped application.properties set up for speed, and that the meters users read stay: Camel's
 * per-exchange route policy and exchange notifier off, ws-listener's own meters and Camel's route meters on, kamelet
 * routes registered for management (so the sink kamelets get each exchange without a copy), and Camel's route-only
 * notifiers not offered exchange events.
 */
class ShippedMetricsSettingsTest {

    @TempDir
    Path dataDir;

    @Test
    void theShippedApplicationKeepsItsMetersWithoutCamelsPerExchangeWork() throws Exception {
        int managementPort = AvailablePortFinder.getNextAvailable();
        Main main = WsListenerApplication.createMain(new String[0]);
        main.addOverrideProperty("wslistener.demo.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("wslistener.demo.rate", "200");
        main.addOverrideProperty("feed.dataDir", dataDir.toString());
        main.addOverrideProperty("camel.management.port", Integer.toString(managementPort));
        main.start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> scrape(managementPort).contains("wslistener_sink_written_total{"));
            CamelContext context = main.getCamelContext();

            assertTrue(context.getManagementStrategy().getManagementAgent().getRegisterRoutesCreateByKamelet(),
                    "kamelet routes are registered, so Camel's kamelet producer does not copy every exchange");
            int routeOnly = 0;
            for (EventNotifier notifier : context.getManagementStrategy().getEventNotifiers()) {
                if (RouteEventsOnlyNotifiers.routeEventsOnly(notifier.getClass())) {
                    routeOnly++;
                    assertTrue(((SimpleEventNotifierSupport) notifier).isIgnoreExchangeEvents(),
                            notifier.getClass().getName() + " is not offered exchange events");
                }
            }
            assertTrue(routeOnly >= 2,
                    "camel-main's and camel-micrometer's route-only notifiers are there: " + routeOnly);
            // Camel decides once, before the routes start, whether any notifier wants exchange events; unless that is
            // decided again, every exchange still walks the list of notifiers five times
            assertFalse(context.getCamelContextExtension().isEventNotificationApplicable(),
                    "no notifier takes exchange events, so Camel creates none: " + context.getManagementStrategy()
                            .getEventNotifiers().stream().filter(n -> !n.isIgnoreExchangeEvents())
                            .map(n -> n.getClass().getName()).toList());

            int kameletRoutes = 0;
            for (Route route : context.getRoutes()) {
                if (route.isCreatedByKamelet()) {
                    kameletRoutes++;
                    // the sink reads a String or byte[] once: stream caching has nothing to do there
                    assertFalse(Boolean.TRUE.equals(route.isStreamCaching()),
                            route.getRouteId() + " caches no streams");
                    // the sinks retry and dead-letter themselves; a failure is handled once, in the feed's route
                    var definition = context.getCamelContextExtension().getContextPlugin(Model.class)
                            .getRouteDefinition(route.getRouteId());
                    assertTrue(definition.getErrorHandlerFactory() instanceof NoErrorHandlerBuilder,
                            route.getRouteId() + " has no error handler of its own: "
                                    + definition.getErrorHandlerFactory());
                }
            }
            assertTrue(kameletRoutes >= 1, "the shipped route's sink kamelet runs: " + context.getRoutes());

            String metrics = scrape(managementPort);
            assertTrue(metrics.contains("wslistener_messages_received_total{"), "ws-listener's message meter");
            assertTrue(metrics.contains("wslistener_sink_written_total{"), "the sinks' meters");
            assertTrue(metrics.contains("camel_routes_running"), "Camel's route meters (route event notifier)");
            assertFalse(metrics.contains("camel_exchanges_total"), "Camel's per-exchange route policy is off");
        } finally {
            main.stop();
        }
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
