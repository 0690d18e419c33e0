package io.wslistener.app;

import io.wslistener.demo.DemoFeedServer;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

import static io.wslistener.support.WsListenerProperty.DEMO_ENABLED;
import static io.wslistener.support.WsListenerProperty.DEMO_HOST;
import static io.wslistener.support.WsListenerProperty.DEMO_PATH;
import static io.wslistener.support.WsListenerProperty.DEMO_PORT;
import static io.wslistener.support.WsListenerProperty.DEMO_RATE;

/**
 * Starts the embedded demo feed with the CamelContext (before the routes, so the first connect finds it) when
 * {@code wslistener.demo.enabled=true}. Part of the standalone application only.
 */
final class DemoFeedStarter extends MainListenerSupport {

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        PropertiesComponent properties = context.getPropertiesComponent();
        boolean enabled = Boolean
                .parseBoolean(properties.resolveProperty(DEMO_ENABLED.key()).orElse(DEMO_ENABLED.defaultValue()));
        if (!enabled) {
            return;
        }
        String host = properties.resolveProperty(DEMO_HOST.key()).orElse(DEMO_HOST.defaultValue());
        int port = Integer
                .parseInt(properties.resolveProperty(DEMO_PORT.key()).orElse(DEMO_PORT.defaultValue()).trim());
        String path = properties.resolveProperty(DEMO_PATH.key()).orElse(DEMO_PATH.defaultValue());
        int rate = Integer
                .parseInt(properties.resolveProperty(DEMO_RATE.key()).orElse(DEMO_RATE.defaultValue()).trim());
        try {
            context.addService(new DemoFeedServer(null, host, port, path, rate), true, true);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Could not start the demo feed on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }
}
