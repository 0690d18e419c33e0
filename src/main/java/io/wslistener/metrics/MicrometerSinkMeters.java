package io.wslistener.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;

/**
 * {@link SinkMeters} on Micrometer. Loaded only when camel-micrometer is on the classpath.
 */
final class MicrometerSinkMeters implements SinkMeters {

    private final MeterRegistry registry;
    private final Counter written;
    private final Counter retries;
    private final Counter deadLettered;
    private final Timer latency;

    private MicrometerSinkMeters(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        written = Counter.builder(MeterNames.SINK_WRITTEN).description("Messages the sink wrote").tags(tags)
                .register(registry);
        retries = Counter.builder(MeterNames.SINK_RETRIES).description("Writes that failed and were tried again")
                .tags(tags)
                .register(registry);
        deadLettered = Counter.builder(MeterNames.SINK_DEAD_LETTERED)
                .description("Messages given up on and dead-lettered").tags(tags)
                .register(registry);
        latency = Timer.builder(MeterNames.SINK_LATENCY).description("Time one write took, retries included").tags(tags)
                .register(registry);
    }

    static SinkMeters create(CamelContext context, String routeId, String sinkName) {
        MeterRegistry registry = MeterRegistryLookup.find(context);
        if (registry == null) {
            return NONE;
        }
        return new MicrometerSinkMeters(registry, Tags.of(MeterNames.ROUTE_ID, routeId, MeterNames.SINK, sinkName));
    }

    @Override
    public void written(long count) {
        written.increment(count);
    }

    @Override
    public void retried() {
        retries.increment();
    }

    @Override
    public void deadLettered(long count) {
        deadLettered.increment(count);
    }

    @Override
    public void latency(long nanos) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void remove() {
        registry.remove(written);
        registry.remove(retries);
        registry.remove(deadLettered);
        registry.remove(latency);
    }
}
