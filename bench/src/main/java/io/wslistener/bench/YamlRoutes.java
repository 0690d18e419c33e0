package io.wslistener.bench;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/** A CamelContext with the given beans and YAML routes, as a user would declare them, started. */
final class YamlRoutes {

    private YamlRoutes() {
    }

    static CamelContext start(String yaml, Map<String, Object> beans) throws Exception {
        CamelContext context = new DefaultCamelContext();
        beans.forEach(context.getRegistry()::bind);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("bench.yaml", yaml));
        context.start();
        return context;
    }
}
