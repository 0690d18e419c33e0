package io.wslistener.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.producer.Producer;

/** {@link KafkaSinkMeters} on Micrometer. Loaded only when camel-micrometer is on the classpath. */
final class MicrometerKafkaSinkMeters {

    private MicrometerKafkaSinkMeters() {
    }

    static <W> AutoCloseable bind(CamelContext camelContext, Object producer, String sinkName, String routeId,
                                  String clientId,
                                  W window, ToDoubleFunction<W> records, ToDoubleFunction<W> bytes) {
        MeterRegistry registry = MeterRegistryLookup.find(camelContext);
        if (registry == null) {
            return () -> {
            };
        }
        KafkaClientMetrics client = new KafkaClientMetrics((Producer<?, ?>) producer,
                List.of(Tag.of(MeterNames.SINK, sinkName), Tag.of(MeterNames.ROUTE_ID, routeId)));
        client.bindTo(registry);
        Tags tags = Tags.of(MeterNames.SINK, sinkName, MeterNames.ROUTE_ID, routeId, "client.id", clientId);
        List<Meter> gauges = List.of(
                Gauge.builder(MeterNames.SINK_WINDOW_RECORDS, window, records)
                        .description("Records sent to Kafka and not yet confirmed (the sink's window)").tags(tags)
                        .register(registry),
                Gauge.builder(MeterNames.SINK_WINDOW_BYTES, window, bytes).baseUnit("bytes")
                        .description("Bytes of the records in the sink's window (text: its characters)").tags(tags)
                        .register(registry));
        return () -> {
            client.close();
            gauges.forEach(registry::remove);
        };
    }
}
