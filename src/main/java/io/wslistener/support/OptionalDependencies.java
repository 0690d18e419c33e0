package io.wslistener.support;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Whether the optional libraries are on the classpath. camel-micrometer, camel-health, camel-console and
 * camel-platform-http-main are optional dependencies: a host that does not have them must get no meters, checks or
 * consoles and no {@link NoClassDefFoundError} either, so classes that use their types are only loaded after one of
 * these checks said yes.
 */
public final class OptionalDependencies {

    private static final String CAMEL_MICROMETER = "org.apache.camel.component.micrometer.MicrometerUtils";
    private static final String CAMEL_HEALTH = "org.apache.camel.impl.health.AbstractHealthCheck";
    private static final String CAMEL_CONSOLE = "org.apache.camel.impl.console.DefaultDevConsoleRegistry";
    private static final String MANAGEMENT_SERVER = "org.apache.camel.component.platform.http.main.ManagementHttpServer";

    private OptionalDependencies() {
    }

    /** camel-micrometer (and so micrometer-core) can be loaded. */
    public static boolean micrometer(CamelContext context) {
        return context.getClassResolver().resolveClass(CAMEL_MICROMETER) != null;
    }

    /** camel-health can be loaded and the context has a health-check registry. */
    public static boolean health(CamelContext context) {
        return context.getClassResolver().resolveClass(CAMEL_HEALTH) != null
                && HealthCheckRegistry.get(context) != null;
    }

    /** camel-console (the developer consoles and their registry) can be loaded. */
    public static boolean console(CamelContext context) {
        return context.getClassResolver().resolveClass(CAMEL_CONSOLE) != null;
    }

    /** camel-platform-http-main (camel-main's management server) can be loaded. */
    public static boolean managementServer(CamelContext context) {
        return context.getClassResolver().resolveClass(MANAGEMENT_SERVER) != null;
    }
}
