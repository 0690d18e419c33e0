package io.wslistener.metrics;

import java.util.function.ToDoubleFunction;

import io.wslistener.support.OptionalDependencies;
import org.apache.camel.CamelContext;

/**
 * The meters of a Kafka sink's producer besides its {@link SinkMeters}: the Kafka client's own metrics, bound through
 * Micrometer's {@code KafkaClientMetrics} binder ({@code kafka.producer.*}, tagged {@code client.id}, {@code routeId} and {@code sink}), and the fill of
 * the sink's window of unconfirmed records ({@code wslistener.sink.window.records} and {@code .bytes}, tagged
 * {@code sink} and {@code client.id}). Nothing is bound when camel-micrometer is absent or metrics are off.
 */
public final class KafkaSinkMeters {

    private KafkaSinkMeters() {
    }

    /**
     * Binds the producer's metrics and the window gauges; closing the result removes them again.
     *
     * @param producer an {@code org.apache.kafka.clients.producer.Producer}
     * @param window   what the gauges read: the window's records and bytes
     */
    public static <W> AutoCloseable bind(CamelContext camelContext, Object producer, String sinkName, String routeId,
                                         String clientId,
                                         W window, ToDoubleFunction<W> records, ToDoubleFunction<W> bytes) {
        if (!OptionalDependencies.micrometer(camelContext)) {
            return () -> {
            };
        }
        return MicrometerKafkaSinkMeters.bind(camelContext, producer, sinkName, routeId, clientId, window, records,
                bytes);
    }
}
