package io.wslistener.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wslistener.connection.ConnectionState;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedObserver;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With several server URLs, health and meters name the one in use.
 */
class ServerInUseTest {

    @Test
    void healthAndMetersNameTheUrlInUse() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer().start()) {
            int deadPort = AvailablePortFinder.getNextAvailable();
            String dead = "ws://127.0.0.1:" + deadPort + "/feed";
            String live = "ws://127.0.0.1:" + server.port() + "/feed?apiKey=s3cret";
            String liveMasked = "ws://127.0.0.1:" + server.port() + "/feed?apiKey=xxxxxx";
            CamelContext camel = new DefaultCamelContext();
            MeterRegistry registry = new SimpleMeterRegistry();
            camel.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
            camel.getRegistry().bind("meters", new FeedMeters(camel));
            List<Feed> feeds = new CopyOnWriteArrayList<>();
            camel.getRegistry().bind("feeds", new FeedObserver() {

                @Override
                public void feedStarted(Feed feed) {
                    feeds.add(feed);
                }

                @Override
                public void feedStopped(Feed feed) {
                }
            });
            WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
            policy.setServerUrls(dead + "\n" + live);
            policy.setInitialDelay(Duration.ofMillis(50));
            camel.getRegistry().bind("policy", policy);
            camel.addRoutes(new RouteBuilder() {

                @Override
                public void configure() {
                    from("ws-listener:127.0.0.1:1/unused").routeId("feed").routePolicyRef("policy")
                            .to("log:x?level=OFF");
                }
            });
            camel.start();
            try {
                await().atMost(5, TimeUnit.SECONDS).until(() -> feeds.size() == 1
                        && feeds.get(0).loop().state() == ConnectionState.OPEN);
                Feed feed = feeds.get(0);

                HealthCheck.Result health = new FeedHealthCheck(camel, feed).call(Map.of());
                assertEquals(liveMasked, health.getDetails().get(HealthCheck.ENDPOINT_URI));
                assertEquals(1.0, registry.get(MeterNames.SERVER).tag(MeterNames.URL, liveMasked).gauge().value());
                assertEquals(0.0, registry.get(MeterNames.SERVER).tag(MeterNames.URL, dead).gauge().value());
            } finally {
                camel.stop();
            }
        }
    }

    @Test
    void sequenceGapsAreCounted() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer().start()) {
            int[] sequence = { 1, 2, 4, 5, 9 };
            server.autoSendOnConnect(sequence.length, i -> "{\"seq\":" + sequence[i - 1] + "}");
            CamelContext camel = new DefaultCamelContext();
            MeterRegistry registry = new SimpleMeterRegistry();
            camel.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
            camel.getRegistry().bind("meters", new FeedMeters(camel));
            WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
            policy.setSequenceField("seq");
            camel.getRegistry().bind("policy", policy);
            List<String> received = new CopyOnWriteArrayList<>();
            camel.addRoutes(new RouteBuilder() {

                @Override
                public void configure() {
                    from("ws-listener:127.0.0.1:" + server.port() + "/feed").routeId("feed").routePolicyRef("policy")
                            .process(e -> received.add(e.getMessage().getBody(String.class)));
                }
            });
            camel.start();
            try {
                await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == 5);
                assertEquals(2.0, registry.get(MeterNames.SEQUENCE_GAPS).tag(MeterNames.ROUTE_ID, "feed")
                        .functionCounter().count());
            } finally {
                camel.stop();
            }
        }
    }
}
