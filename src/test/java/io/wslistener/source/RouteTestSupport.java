package io.wslistener.source;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wslistener.policy.WsListenerRoutePolicy;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A CamelContext per test with a {@link WsListenerRoutePolicy} bound as {@code policy}, and a Vert.x instance of the
 * test's own for servers (so that the servers never share an event loop with the consumer under test).
 */
abstract class RouteTestSupport {

    protected Vertx serverVertx;
    protected CamelContext camel;
    protected final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();

    @BeforeEach
    void createContext() {
        serverVertx = Vertx.vertx();
        camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(5);
        camel.getRegistry().bind("policy", policy);
    }

    @AfterEach
    void stopContext() throws Exception {
        camel.stop();
        join(serverVertx.close());
    }

    protected void start(RouteBuilder routes) throws Exception {
        camel.addRoutes(routes);
        camel.start();
    }

    protected void startYaml(String yaml) throws Exception {
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("routes.yaml", yaml));
        camel.start();
    }

    protected WsListenerConsumer consumer(String routeId) {
        return (WsListenerConsumer) camel.getRoute(routeId).getConsumer();
    }

    protected static <T> T join(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
