package io.wslistener.metrics;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Whether the optional observability libraries are on the classpath. camel-micrometer and camel-health are optional
 * dependencies: a host that does not have them must get no meters or checks and no {@link NoClassDefFoundError}
 * either, so classes that use their types are only loaded after one of these checks said yes.
 */
final class OptionalDependencies {

    private static final String CAMEL_MICROMETER = "org.apache.camel.component.micrometer.MicrometerUtils";
    private static final String CAMEL_HEALTH = "org.apache.camel.impl.health.AbstractHealthCheck";

    private OptionalDependencies() {
    }

    /** camel-micrometer (and so micrometer-core) can be loaded. */
    static boolean micrometer(CamelContext context) {
        return context.getClassResolver().resolveClass(CAMEL_MICROMETER) != null;
    }

    /** camel-health can be loaded and the context has a health-check registry. */
    static boolean health(CamelContext context) {
        return context.getClassResolver().resolveClass(CAMEL_HEALTH) != null
                && HealthCheckRegistry.get(context) != null;
    }
}
