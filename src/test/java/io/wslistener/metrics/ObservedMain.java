package io.wslistener.metrics;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * A camel-main started the way the standalone application is configured for observability (the properties of
 * docs/observability.md), with the management server on a free port of 127.0.0.1 and fast reconnects.
 */
final class ObservedMain implements AutoCloseable {

    private final Main main = new Main();
    private final Properties properties = new Properties();
    private final int managementPort;

    ObservedMain(int managementPort) {
        this.managementPort = managementPort;
        properties.put("camel.main.name", "observed");
        properties.put("camel.metrics.enabled", "true");
        properties.put("camel.management.enabled", "true");
        properties.put("camel.management.host", "127.0.0.1");
        properties.put("camel.management.port", Integer.toString(managementPort));
        properties.put("camel.management.metricsEnabled", "true");
        properties.put("camel.management.healthCheckEnabled", "true");
        properties.put("wslistener.initialDelay", "100ms");
        properties.put("wslistener.maxDelay", "300ms");
        properties.put("wslistener.jitter", "0");
        properties.put("wslistener.connectTimeout", "2s");
        properties.put("wslistener.pingInterval", "200ms");
        properties.put("wslistener.pongTimeout", "600ms");
    }

    ObservedMain property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    ObservedMain bind(String name, Object bean) {
        main.bind(name, bean);
        return this;
    }

    ObservedMain routes(RouteBuilder routes) {
        main.configure().addRoutesBuilder(routes);
        return this;
    }

    ObservedMain start() throws Exception {
        main.setInitialProperties(properties);
        main.start();
        return this;
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    ManagementClient client() {
        return new ManagementClient(managementPort);
    }

    @Override
    public void close() {
        main.stop();
    }
}
