package io.wslistener.security;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wslistener.source.WsListenerConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A CamelContext per test that loads routes and beans from YAML text, as a user writes them, with a bean
 * {@code received} that records every message body; and a Vert.x instance of the test's own for servers.
 */
abstract class YamlRouteSupport {

    protected Vertx serverVertx;
    protected CamelContext camel;
    protected final Properties properties = new Properties();
    protected final List<Object> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createContext() {
        serverVertx = Vertx.vertx();
        camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(5);
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getRegistry().bind("received", (Processor) exchange -> received.add(exchange.getMessage().getBody()));
    }

    @AfterEach
    void stopContext() throws Exception {
        camel.stop();
        join(serverVertx.close());
    }

    protected void load(String yaml) throws Exception {
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("routes.yaml", yaml));
    }

    protected void startYaml(String yaml) throws Exception {
        load(yaml);
        camel.start();
    }

    protected WsListenerConsumer consumer(String routeId) {
        return (WsListenerConsumer) camel.getRoute(routeId).getConsumer();
    }

    protected List<String> texts() {
        return received.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }

    protected static <T> T join(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
