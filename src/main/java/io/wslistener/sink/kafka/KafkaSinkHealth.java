package io.wslistener.sink.kafka;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.wslistener.sink.SinkFailure;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The readiness check of one Kafka sink, {@code wslistener-sink:sink-kafka:<topic>}, in the group of the other sinks'.
 * DOWN while records wait for confirmation and the producer has no connection to any broker (the broker is down or
 * unreachable), or while the oldest record has waited longer than {@link #STUCK_SECONDS} (a broker that takes
 * requests and confirms nothing); UP otherwise, an idle sink included. Not a liveness check: a restart does not bring
 * a broker back.
 * <p>
 * Camel's own Kafka producer check reads the producer's NetworkClient by reflection; the producer's public
 * {@code connection-count} metric tells the same without it.
 */
final class KafkaSinkHealth extends AbstractHealthCheck {

    /** How long the oldest record may wait for its confirmation before the sink counts as stuck. */
    static final long STUCK_SECONDS = 30;

    private final Supplier<Stream<KafkaSinkProducer>> producers;

    private KafkaSinkHealth(String sink, Supplier<Stream<KafkaSinkProducer>> producers) {
        // the id of the other sinks' checks: wslistener-sink:<sink>
        super(SinkFailure.GROUP, SinkFailure.GROUP + ":" + sink);
        this.producers = producers;
    }

    /** Registers the check when the context has a health-check registry; null when it has none. */
    static KafkaSinkHealth register(CamelContext camelContext, String sink,
                                    Supplier<Stream<KafkaSinkProducer>> producers) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry == null) {
            return null;
        }
        KafkaSinkHealth health = new KafkaSinkHealth(sink, producers);
        registry.getCheck(health.getId()).ifPresent(registry::unregister);
        registry.register(health);
        return health;
    }

    void unregister(CamelContext camelContext) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.unregister(this);
        }
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        int waiting = 0;
        for (KafkaSinkProducer producer : producers.get().toList()) {
            SendWindow window = producer.window();
            if (window == null) {
                continue;
            }
            int records = window.records();
            waiting += records;
            long oldestSeconds = TimeUnit.NANOSECONDS.toSeconds(window.oldestWaitNanos());
            boolean unreachable = records > 0 && producer.brokerConnections() == 0;
            if (unreachable || oldestSeconds >= STUCK_SECONDS) {
                builder.detail("window.records", records);
                builder.detail("oldest.wait.seconds", oldestSeconds);
                builder.down().message(getId() + (unreachable ? ": no broker connection, " : ": ") + records
                        + " record(s) wait for confirmation, the oldest for " + oldestSeconds + " s");
                return;
            }
        }
        builder.detail("window.records", waiting);
        builder.up().message(getId() + ": delivering");
    }

    @Override
    public boolean isLiveness() {
        // a restart does not bring a broker back
        return false;
    }
}
