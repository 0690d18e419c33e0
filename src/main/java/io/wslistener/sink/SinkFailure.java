package io.wslistener.sink;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's current failure episode (a full disk, a folder that cannot be written): one WARN line when it starts, one
 * INFO line when it ends, nothing in between however often the write is retried. While it lasts, the sink's health
 * check ({@code wslistener-sink:<name>}, readiness) is DOWN with the cause and the attempts so far; the attempts also
 * count as retries on the sink's meters.
 * <p>
 * Thread-safe: the episode is only changed under the sink's own lock, and read by the health check from any thread.
 */
public final class SinkFailure implements HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(SinkFailure.class);

    /** The health-check group of the sinks. */
    public static final String GROUP = "wslistener-sink";

    private final String id;
    private volatile boolean enabled = true;
    private volatile Exception lastError;
    private volatile Path where;
    private volatile long startedMillis;
    private volatile int attempts;

    private SinkFailure(String id) {
        this.id = id;
    }

    /**
     * The failure tracker of one sink, registered as a health check when camel-health is present.
     *
     * @param sink the sink as users know it, such as {@code sink-file:data}
     */
    public static SinkFailure register(CamelContext camelContext, String sink) {
        SinkFailure failure = new SinkFailure(GROUP + ":" + sink);
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.getCheck(failure.id).ifPresent(registry::unregister);
            registry.register(failure);
        }
        return failure;
    }

    /** Removes the health check again (the sink stopped). */
    public void unregister(CamelContext camelContext) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.unregister(this);
        }
    }

    /**
     * A write failed: the first failure of an episode is logged.
     *
     * @return the number of failed attempts in this episode, this one included (1 for the first)
     */
    public int failed(String sink, Path where, Exception error) {
        lastError = error;
        this.where = where;
        if (attempts == 0) {
            startedMillis = System.currentTimeMillis();
            LOG.warn("Sink {}: cannot write to {} ({}); holding the messages and retrying with backoff, the feed pauses"
                    + " until it can write again", sink, where, describe(error));
        }
        return ++attempts;
    }

    /** A write succeeded: ends the episode, if there was one, with one line. */
    public void recovered(String sink) {
        if (attempts == 0) {
            return;
        }
        LOG.info("Sink {}: writing to {} again after {} failed attempt(s) over {} ms; going on where it stopped", sink,
                where, attempts, System.currentTimeMillis() - startedMillis);
        attempts = 0;
        lastError = null;
    }

    public boolean isFailing() {
        return attempts > 0;
    }

    /** The cause of the episode, or null when there is none. */
    public Exception lastError() {
        return lastError;
    }

    @Override
    public String getGroup() {
        return GROUP;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public boolean isLiveness() {
        // a full disk is not cured by a restart
        return false;
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this);
        int failures = attempts;
        if (failures == 0) {
            return builder.up().message(id + ": writing").build();
        }
        builder.detail("failures.in.a.row", failures);
        builder.detail("since", Instant.ofEpochMilli(startedMillis).toString());
        builder.detail("last.cause", describe(lastError));
        return builder.down()
                .message(id + ": cannot write to " + where + " since " + Instant.ofEpochMilli(startedMillis)
                        + ": " + describe(lastError))
                .build();
    }

    private static String describe(Exception error) {
        if (error == null) {
            return "unknown";
        }
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }

}
