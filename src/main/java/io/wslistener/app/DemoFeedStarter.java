package io.wslistener.app;

import io.wslistener.demo.DemoFeedServer;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Starts the embedded demo feed with the CamelContext (before the routes, so the first connect finds it) when
 * {@code wslistener.demo.enabled=true}. Part of the standalone application only.
 */
final class DemoFeedStarter extends MainListenerSupport {

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        PropertiesComponent properties = context.getPropertiesComponent();
        boolean enabled = Boolean.parseBoolean(properties.resolveProperty("wslistener.demo.enabled").orElse("false"));
        if (!enabled) {
            return;
        }
        String host = properties.resolveProperty("wslistener.demo.host").orElse("127.0.0.1");
        int port = Integer.parseInt(properties.resolveProperty("wslistener.demo.port").orElse("8765").trim());
        String path = properties.resolveProperty("wslistener.demo.path").orElse("/feed");
        int rate = Integer.parseInt(properties.resolveProperty("wslistener.demo.rate").orElse("5").trim());
        try {
            context.addService(new DemoFeedServer(null, host, port, path, rate), true, true);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Could not start the demo feed on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }
}
