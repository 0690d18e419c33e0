package io.wslistener.sink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * A CamelContext with YAML routes, the way the application loads them, for the sink tests.
 */
public final class SinkCamel {

    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, Object> beans = new LinkedHashMap<>();
    private Consumer<CamelContext> configurer = context -> {
    };

    public static SinkCamel create() {
        return new SinkCamel();
    }

    public SinkCamel property(String name, Object value) {
        properties.put(name, String.valueOf(value));
        return this;
    }

    public SinkCamel bean(String name, Object bean) {
        beans.put(name, bean);
        return this;
    }

    /** Something to do to the context before the routes are loaded. */
    public SinkCamel configure(Consumer<CamelContext> configurer) {
        this.configurer = configurer;
        return this;
    }

    /** A started context with these routes. */
    public CamelContext start(String yamlRoutes) throws Exception {
        CamelContext context = new DefaultCamelContext();
        Properties initial = new Properties();
        initial.putAll(properties);
        context.getPropertiesComponent().setInitialProperties(initial);
        beans.forEach((name, bean) -> context.getRegistry().bind(name, bean));
        context.getShutdownStrategy().setTimeout(20);
        configurer.accept(context);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("sink-test-routes.yaml", yamlRoutes));
        context.start();
        return context;
    }
}
