package io.wslistener.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Shows the spread groups where ws-listener shows its feeds: a health check per group in the HealthCheckRegistry
 * (with camel-health), meters in the Camel MeterRegistry (with camel-micrometer and metrics enabled), and the dev
 * console {@link SpreadDevConsole} (with camel-console, found through its annotation). camel-health and
 * camel-micrometer are optional dependencies, so the classes that use their types are loaded only after a check that
 * they are there, as the metrics package does for the feeds.
 */
final class ClusterObservability {

    private static final String CAMEL_HEALTH = "org.apache.camel.impl.health.AbstractHealthCheck";
    private static final String CAMEL_MICROMETER = "org.apache.camel.component.micrometer.MicrometerUtils";

    private ClusterObservability() {
    }

    /** Registers the health checks of the context's spread groups, when camel-health is there. */
    static void register(CamelContext context) {
        if (context.getClassResolver().resolveClass(CAMEL_HEALTH) != null && HealthCheckRegistry.get(context) != null) {
            Health.register(context);
        }
    }

    /** Binds a group's meters, when camel-micrometer is there and metrics are enabled (a MeterRegistry is bound). */
    static void bindMeters(CamelContext context, SpreadGroup group) {
        if (context.getClassResolver().resolveClass(CAMEL_MICROMETER) != null) {
            Meters.bind(context, group);
        }
    }

    /** Keeps camel-health types out of this class's signature. */
    private static final class Health {

        static void register(CamelContext context) {
            HealthCheckRegistry.get(context).register(new SpreadHealthChecks(context));
        }
    }

    /** Keeps Micrometer types out of this class's signature. */
    private static final class Meters {

        static void bind(CamelContext context, SpreadGroup group) {
            MeterRegistry registry = MicrometerUtils.getMeterRegistryFromCamelRegistry(context.getRegistry(),
                    MicrometerConstants.METRICS_REGISTRY_NAME);
            if (registry != null) {
                SpreadMeters.bind(registry, group);
            }
        }
    }
}
