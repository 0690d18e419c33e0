package io.wslistener.source;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.wslistener.spi.FeedStatuses;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routes come and go at run time (route templates, {@code camel:run} reloads): what a ws-listener route leaves in the
 * context goes with it when it is removed: the route its sink kamelet created (with its endpoints and the sink's
 * meters), its hand-off in the delivery pool, its status for the console and JMX, its health check and its meters.
 * Half the routes receive a message through a file sink kamelet and are stopped; the other half are refused by their
 * server and give up (a feed that gave up keeps its health check and meters for as long as its route exists).
 */
class RouteRemovalTest {

    private static final int ROUTES = 1_000;
    /** Heap the context may keep after {@value #ROUTES} routes came and went: a leak of 1 KB a route breaks it. */
    private static final long HEAP_BOUND_BYTES = ROUTES * 1024L;

    private static final String TEMPLATE = """
            - beans:
                - name: feedPolicy
                  type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                  properties:
                    handshakeRejectionsBeforeStop: 1
            - routeTemplate:
                id: feed
                parameters:
                  - name: port
                  - name: feedId
                route:
                  routePolicy: feedPolicy
                  from:
                    uri: "ws-listener:127.0.0.1:{{port}}/feeds/{{feedId}}"
                    steps:
                      - to: "kamelet:ws-file-sink?directory={{dir}}&fileName=feeds.jsonl"
            """;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Vertx serverVertx = Vertx.vertx();
    private CamelContext camel;

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        YamlCamel.join(serverVertx.close());
    }

    @Test
    void aThousandRoutesAddedAndRemovedLeaveNeitherHeapNorMetersBehind() throws Exception {
        camel = YamlCamel.create().property("dir", dir).bean(MicrometerConstants.METRICS_REGISTRY_NAME, registry)
                .start(TEMPLATE);
        // warm-up: classes loaded, caches and pools filled, the first of everything made
        cycle(0, 50);
        int meters = registry.getMeters().size();
        long checks = HealthCheckRegistry.get(camel).stream().count();
        int endpoints = camel.getEndpoints().size();
        int strategies = camel.getLifecycleStrategies().size();
        long heap = heapAfterGc();

        WeakReference<Object> aRemovedConsumer = cycle(50, 50 + ROUTES);

        long grown = heapAfterGc() - heap;
        assertAll(
                () -> assertEquals(meters, registry.getMeters().size(), () -> "meters left behind, such as "
                        + registry.getMeters().stream().map(Meter::getId).filter(id -> id.getTag("routeId") != null)
                                .limit(5).toList()),
                () -> assertTrue(FeedStatuses.of(camel).all().isEmpty(), "feed statuses left behind"),
                () -> assertEquals(checks, HealthCheckRegistry.get(camel).stream().count(), () -> "health checks left"
                        + " behind, such as " + HealthCheckRegistry.get(camel).stream().map(HealthCheck::getId)
                                .limit(5).toList()),
                () -> assertEquals(0, camel.getRoutes().size(), () -> "routes left behind, such as "
                        + camel.getRoutes().stream().map(Route::getRouteId).limit(5).toList()),
                () -> assertEquals(endpoints, camel.getEndpoints().size(), "endpoints left behind"),
                () -> assertEquals(strategies, camel.getLifecycleStrategies().size(),
                        "lifecycle strategies left behind"),
                () -> assertNull(aRemovedConsumer.get(), "a removed route's consumer is still reachable"),
                () -> assertTrue(grown < HEAP_BOUND_BYTES,
                        "the heap grew by " + grown / 1024 + " KB over " + ROUTES + " routes added and removed"));
    }

    /**
     * Adds routes {@code from} to {@code to} (exclusive) from the template, alternately to a server that sends one
     * message and to one that refuses the handshake, and removes each once it has delivered or given up.
     *
     * @return a reference to the last removed route's consumer
     */
    private WeakReference<Object> cycle(int from, int to) throws Exception {
        try (TestWebSocketServer sending = new TestWebSocketServer(serverVertx).autoSendOnConnect(1, n -> "{\"n\":1}")
                .start();
                TestWebSocketServer refusing = new TestWebSocketServer(serverVertx).rejectHandshakesWith(403).start()) {
            WeakReference<Object> consumer = null;
            for (int i = from; i < to; i++) {
                boolean refused = i % 2 == 1;
                String routeId = TemplatedRouteBuilder.builder(camel, "feed").routeId("feed-" + i)
                        .parameter("port", refused ? refusing.port() : sending.port())
                        .parameter("feedId", "f" + i).add();
                WsListenerConsumer started = (WsListenerConsumer) camel.getRoute(routeId).getConsumer();
                consumer = new WeakReference<>(started);
                if (refused) {
                    // the route policy stops the route once the loop gave up
                    soon().until(() -> camel.getRouteController().getRouteStatus(routeId) == ServiceStatus.Stopped);
                } else {
                    soon().until(() -> started.getMessagesReceived() == 1 && started.getInFlight() == 0);
                    camel.getRouteController().stopRoute(routeId);
                }
                assertTrue(camel.removeRoute(routeId), routeId + " removed");
            }
            return consumer;
        }
    }

    /** Polls often: a thousand routes each wait for something that takes milliseconds. */
    private static ConditionFactory soon() {
        return await().atMost(10, TimeUnit.SECONDS).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    /** Used heap after full collections, the least of a few (a collection may leave something a next one takes). */
    private static long heapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
