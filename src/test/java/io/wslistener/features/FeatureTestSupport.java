package io.wslistener.features;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.vertx.core.Vertx;
import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.RecordingListener;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedObserver;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The feature tests' fixture on top of {@link YamlCamel} (one context per test, a 5 s shutdown timeout, a Vert.x of
 * the test's own for servers): a {@link WsListenerRoutePolicy} bound as {@code policy}, the events of every feed's loop
 * from its very first one on, and a route {@code feed} whose messages are collected.
 */
abstract class FeatureTestSupport {

    protected final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    /** What the loop of every feed started (here: route {@code feed}) reported, from its very first event on. */
    protected final RecordingListener events = new RecordingListener();
    /** The feeds started, in order. */
    protected final List<Feed> feeds = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>(List.of(events));

    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.create().shutdownTimeout(5).bean("policy", policy)
            // attached before the loop starts, so that no event is missed
            .bean("featureTestObserver", new FeedObserver() {

                @Override
                public void feedStarted(Feed feed) {
                    feeds.add(feed);
                    listeners.forEach(feed.loop()::addListener);
                }

                @Override
                public void feedStopped(Feed feed) {
                }
            });
    protected final Vertx serverVertx = yamlCamel.serverVertx();

    /** Adds a listener to the loop of every feed started from now on. */
    protected void onEveryLoop(ConnectionListener listener) {
        listeners.add(listener);
    }

    /** Starts route {@code feed} from {@code url} (ws://host:port/path) and returns the bodies it receives. */
    protected List<String> startRoute(String url) throws Exception {
        return startRoute(url, exchange -> exchange.getMessage().getBody(String.class));
    }

    /** Starts route {@code feed} from {@code url} and returns every exchange's message as it reached the route. */
    protected List<Message> startRouteKeepingMessages(String url) throws Exception {
        return startRoute(url, exchange -> exchange.getMessage().copy());
    }

    private <T> List<T> startRoute(String url, Function<Exchange, T> keep) throws Exception {
        List<T> received = new CopyOnWriteArrayList<>();
        String uri = "ws-listener:" + url.substring(url.indexOf("://") + 3);
        yamlCamel.start(new RouteBuilder() {

            @Override
            public void configure() {
                from(uri).routeId("feed").routePolicyRef("policy")
                        .process(exchange -> received.add(keep.apply(exchange)));
            }
        });
        return received;
    }
}
