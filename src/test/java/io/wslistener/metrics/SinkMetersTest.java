package io.wslistener.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The API the sinks call: real meters when the context has a MeterRegistry, silent no-ops when it has none.
 */
class SinkMetersTest {

    @Test
    void recordsIntoTheContextsMeterRegistry() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);

            SinkMeters meters = SinkMeters.forSink(context, "quotes", "file");
            assertNotSame(SinkMeters.NONE, meters);
            meters.written();
            meters.written(4);
            meters.retried();
            meters.deadLettered();
            meters.deadLettered(3);
            meters.latency(TimeUnit.MILLISECONDS.toNanos(3));
            // a second lookup (a restarted route) feeds the same series
            SinkMeters.forSink(context, "quotes", "file").written();

            assertEquals(6, registry.get(MeterNames.SINK_WRITTEN).tag("routeId", "quotes").tag("sink", "file").counter()
                    .count());
            assertEquals(1, registry.get(MeterNames.SINK_RETRIES).tag("sink", "file").counter().count());
            assertEquals(4, registry.get(MeterNames.SINK_DEAD_LETTERED).tag("sink", "file").counter().count());
            assertEquals(1, registry.get(MeterNames.SINK_LATENCY).tag("sink", "file").timer().count());
            assertEquals(3,
                    registry.get(MeterNames.SINK_LATENCY).tag("sink", "file").timer().totalTime(TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void withoutAMeterRegistryItRecordsNothingAndNeverFails() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            SinkMeters meters = SinkMeters.forSink(context, "quotes", "http");
            assertSame(SinkMeters.NONE, meters);
            meters.written();
            meters.retried();
            meters.deadLettered();
            meters.deadLettered(2);
            meters.latency(1);
        }
    }
}
