package io.wslistener.metrics;

import java.time.Duration;

import io.wslistener.spi.DeliveryStatus;
import io.wslistener.spi.Feed;
import io.wslistener.support.Durations;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * What a feed's health says about its deliveries, besides the connection: a stall (the oldest message received and not
 * yet processed has waited longer than {@code stalledTimeout}: a sink is stuck, or the route does not keep up; whatever
 * the socket does, so a quiet feed whose route hangs on one message is stalled too) and failures the route did not
 * handle (an {@link Error} such as an OutOfMemoryError thrown while processing a message).
 */
final class DeliveryTrouble {

    private DeliveryTrouble() {
    }

    /**
     * Adds the delivery details to the health result.
     *
     * @return a one-line description of the trouble, or null when there is none
     */
    static String of(Feed feed, HealthCheckResultBuilder builder) {
        DeliveryStatus delivery = feed.delivery();
        builder.detail("inflight.bytes", delivery.inFlightBytes());
        long pausedNanos = delivery.pausedForNanos();
        if (pausedNanos > 0) {
            builder.detail("reading.paused.seconds", pausedNanos / 1_000_000_000L);
        }
        long oldestNanos = delivery.oldestWaitNanos();
        if (oldestNanos > 0) {
            builder.detail("oldest.message.seconds", oldestNanos / 1_000_000_000L);
        }
        if (delivery.failures() > 0) {
            builder.detail("delivery.failures", delivery.failures());
            builder.detail("delivery.last.failure", delivery.lastFailure());
            return "processing a message failed with " + delivery.lastFailure() + " (" + delivery.failures()
                    + (delivery.failures() == 1 ? " message" : " messages")
                    + " lost); restart the route or the application";
        }
        Duration stalledTimeout = feed.settings().getStalledTimeout();
        if (!stalledTimeout.isZero() && oldestNanos >= stalledTimeout.toNanos()) {
            builder.detail("stalled", true);
            return "stalled: the oldest received message has waited " + Duration.ofNanos(oldestNanos).toSeconds()
                    + "s for the route, which is stuck or not keeping up (stalledTimeout "
                    + Durations.format(stalledTimeout) + ")";
        }
        return null;
    }
}
