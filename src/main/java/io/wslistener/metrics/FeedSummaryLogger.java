package io.wslistener.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.wslistener.policy.InvalidSettingException;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedObserver;
import io.wslistener.support.Durations;
import io.wslistener.support.WsListenerProperty;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one INFO line per feed every {@code wslistener.summary.interval} (default 60s, 0 disables): the rate, the
 * total, reconnects and messages in flight. The connection events have their own lines; this one says the feed is
 * still alive and flowing between them. Logged as {@code io.wslistener.summary}, so that it can be silenced alone.
 * <p>
 * The line is written from a Vert.x timer: no thread of its own, and it goes away with the feed.
 */
final class FeedSummaryLogger implements FeedObserver {

    static final String INTERVAL_PROPERTY = WsListenerProperty.SUMMARY_INTERVAL.key();
    static final Duration DEFAULT_INTERVAL = Durations.parse(WsListenerProperty.SUMMARY_INTERVAL.defaultValue());

    private static final Logger LOG = LoggerFactory.getLogger("io.wslistener.summary");

    private final CamelContext camelContext;
    private final Map<Feed, Long> timers = new ConcurrentHashMap<>();

    FeedSummaryLogger(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public void feedStarted(Feed feed) {
        Duration interval = interval(feed.routeId());
        if (interval.isZero()) {
            return;
        }
        FeedSummary summary = new FeedSummary(feed, System::nanoTime);
        feed.loop().addListener(summary);
        Vertx vertx = feed.loop().context().owner();
        timers.put(feed, vertx.setPeriodic(interval.toMillis(), id -> LOG.info(summary.nextLine())));
    }

    @Override
    public void feedStopped(Feed feed) {
        Long timer = timers.remove(feed);
        if (timer != null) {
            feed.loop().context().owner().cancelTimer(timer);
        }
    }

    private Duration interval(String routeId) {
        String raw = camelContext.getPropertiesComponent().resolveProperty(INTERVAL_PROPERTY).orElse(null);
        if (raw == null || raw.isBlank()) {
            return DEFAULT_INTERVAL;
        }
        try {
            // the policy's strict parser: Camel's conversion reads -5s, 10S or 5x as 0, which would switch the summary off
            return Durations.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(routeId, INTERVAL_PROPERTY, raw,
                    "a duration such as 30s or 5m, or 0 to switch the summary off");
        }
    }
}
