package io.wslistener.features;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.RecordingListener;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedObserver;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.source.WsListenerConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A CamelContext per test with a {@link WsListenerRoutePolicy} bound as {@code policy}, a Vert.x of the test's own for
 * servers, and a route {@code feed} whose bodies are collected.
 */
abstract class FeatureTestSupport {

    protected Vertx serverVertx;
    protected CamelContext camel;
    protected final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    /** What the loop of route {@code feed} reported, from its very first event on. */
    protected final RecordingListener events = new RecordingListener();
    /** The feeds started, in order. */
    protected final List<Feed> feeds = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>(List.of(events));

    @BeforeEach
    void createContext() {
        serverVertx = Vertx.vertx();
        camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(5);
        camel.getRegistry().bind("policy", policy);
        // attached before the loop starts, so that no event is missed
        camel.getRegistry().bind("featureTestObserver", new FeedObserver() {
            @Override
            public void feedStarted(Feed feed) {
                feeds.add(feed);
                listeners.forEach(feed.loop()::addListener);
            }

            @Override
            public void feedStopped(Feed feed) {
            }
        });
    }

    /** Adds a listener to the loop of every feed started from now on. */
    protected void onEveryLoop(ConnectionListener listener) {
        listeners.add(listener);
    }

    @AfterEach
    void stopContext() throws Exception {
        camel.stop();
        join(serverVertx.close());
    }

    /** Starts route {@code feed} from {@code url} (ws://host:port/path) and returns the bodies it receives. */
    protected List<String> startRoute(String url) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        String uri = "ws-listener:" + url.substring(url.indexOf("://") + 3);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("feed").routePolicyRef("policy")
                        .process(exchange -> received.add(exchange.getMessage().getBody(String.class)));
            }
        });
        camel.start();
        return received;
    }

    /** Starts route {@code feed} from {@code url} and returns every exchange's message as it reached the route. */
    protected List<org.apache.camel.Message> startRouteKeepingMessages(String url) throws Exception {
        List<org.apache.camel.Message> received = new CopyOnWriteArrayList<>();
        String uri = "ws-listener:" + url.substring(url.indexOf("://") + 3);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("feed").routePolicyRef("policy")
                        .process(exchange -> received.add(exchange.getMessage().copy()));
            }
        });
        camel.start();
        return received;
    }

    protected void startYaml(String yaml) throws Exception {
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("routes.yaml", yaml));
        camel.start();
    }

    protected RecordingListener listen(String routeId) {
        return events;
    }

    protected WsListenerConsumer consumer(String routeId) {
        return (WsListenerConsumer) camel.getRoute(routeId).getConsumer();
    }

    protected static <T> T join(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
