package io.wslistener.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;

/**
 * Finds the MeterRegistry the way camel-micrometer does: the bean named {@code metricsRegistry}, else the only one of
 * its type. camel-main binds it there when {@code camel.metrics.enabled=true}. Never creates one: without a registry
 * the user did not ask for metrics, and ours stay off. Load only after {@link io.wslistener.support.OptionalDependencies#micrometer}.
 */
final class MeterRegistryLookup {

    private MeterRegistryLookup() {
    }

    /** The context's MeterRegistry, or null when metrics are not enabled. */
    static MeterRegistry find(CamelContext context) {
        return MicrometerUtils.getMeterRegistryFromCamelRegistry(context.getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME);
    }
}
