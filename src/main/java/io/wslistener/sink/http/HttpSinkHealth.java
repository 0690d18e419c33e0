package io.wslistener.sink.http;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.wslistener.sink.SinkFailure;
import io.wslistener.support.UriMasking;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The readiness check of one HTTP sink, {@code wslistener-sink:sink-http:<name>}, in the group of the file sink's: DOWN
 * while posting fails beyond the first retry (two failed attempts in a row, over batches, until one succeeds), and
 * DOWN when the delivery thread of a route using the sink is gone; UP otherwise. Not a liveness check: a restart does
 * not bring a server back.
 */
final class HttpSinkHealth implements HealthCheck {

    /** Failed attempts in a row from which the sink counts as failing: the first retry failed too. */
    static final int DOWN_AFTER_FAILURES = 2;

    private final String id;
    private final Supplier<Stream<HttpDelivery>> deliveries;
    private volatile boolean enabled = true;

    private HttpSinkHealth(String sink, Supplier<Stream<HttpDelivery>> deliveries) {
        this.id = SinkFailure.GROUP + ":" + sink;
        this.deliveries = deliveries;
    }

    /** Registers the check when camel-health is present; null when it is not. */
    static HttpSinkHealth register(CamelContext camelContext, String sink, Supplier<Stream<HttpDelivery>> deliveries) {
        HttpSinkHealth health = new HttpSinkHealth(sink, deliveries);
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry == null) {
            return null;
        }
        registry.getCheck(health.id).ifPresent(registry::unregister);
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
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this);
        HttpDelivery[] all = deliveries.get().filter(Objects::nonNull).toArray(HttpDelivery[]::new);
        for (HttpDelivery delivery : all) {
            Throwable death = delivery.workerDeath();
            if (death != null) {
                builder.detail("delivery.thread", "stopped");
                return builder.down().message(UriMasking.maskUrlsIn(id + ": the delivery thread stopped: " + death))
                        .build();
            }
        }
        for (HttpDelivery delivery : all) {
            int failures = delivery.failuresInARow();
            if (failures >= DOWN_AFTER_FAILURES) {
                String since = Instant.ofEpochMilli(delivery.failingSinceMillis()).toString();
                Throwable cause = delivery.lastFailure();
                builder.detail("failures.in.a.row", failures);
                builder.detail("since", since);
                // the exception names the URL it posted to, a signature or key in its query included
                builder.detail("last.cause", UriMasking.maskUrlsIn(String.valueOf(cause)));
                return builder.down().message(UriMasking.maskUrlsIn(id + ": posting has failed " + failures
                        + " times in a row since " + since + ": " + cause)).build();
            }
        }
        return builder.up().message(id + ": delivering").build();
    }

    @Override
    public String getGroup() {
        return SinkFailure.GROUP;
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
        return false;
    }
}
