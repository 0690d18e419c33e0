package io.wslistener.metrics;

import io.wslistener.support.OptionalDependencies;
import org.apache.camel.CamelContext;

/**
 * The meters of one sink of one route, for the sinks to call as they write:
 * <pre>
 * SinkMeters meters = SinkMeters.forSink(camelContext, routeId, "file");
 * long start = System.nanoTime();
 * write(batch);
 * meters.latency(System.nanoTime() - start);
 * meters.written(batch.size());
 * </pre>
 * Every method is cheap and thread-safe. When camel-micrometer is not on the classpath, or no MeterRegistry is bound
 * (metrics not enabled), {@link #forSink} returns {@link #NONE}, whose methods do nothing, so a sink never has to check.
 * Calling {@link #forSink} again for the same route and sink (a restarted route) returns meters backed by the same
 * series, until {@link #remove} took them out of the registry (the route was removed).
 */
public interface SinkMeters {

    /** Meters that record nothing. */
    SinkMeters NONE = new SinkMeters() {

        @Override
        public void written(long count) {
        }

        @Override
        public void retried() {
        }

        @Override
        public void deadLettered(long count) {
        }

        @Override
        public void latency(long nanos) {
        }
    };

    /**
     * The meters for one sink, tagged {@code routeId} and {@code sink}.
     *
     * @param sinkName a short fixed name such as {@code file}, {@code http} or {@code log}: it becomes a tag value, so
     *                 it must not carry per-message text
     */
    static SinkMeters forSink(CamelContext camelContext, String routeId, String sinkName) {
        if (!OptionalDependencies.micrometer(camelContext)) {
            return NONE;
        }
        return MicrometerSinkMeters.create(camelContext, routeId, sinkName);
    }

    /** One message was written. */
    default void written() {
        written(1);
    }

    /** {@code count} messages were written (a batch). */
    void written(long count);

    /** A write failed and will be tried again. */
    void retried();

    /** A message was given up on and sent to the dead-letter destination. */
    default void deadLettered() {
        deadLettered(1);
    }

    /** {@code count} messages were given up on and sent to the dead-letter destination (a batch). */
    void deadLettered(long count);

    /** One write (a message or a batch) took {@code nanos} nanoseconds, retries included. */
    void latency(long nanos);

    /** Takes these series out of the registry: their route is gone. What is recorded afterwards is not kept. */
    default void remove() {
    }
}
