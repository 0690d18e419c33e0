package io.wslistener.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.wslistener.connection.FailureCause;
import io.wslistener.metrics.FeedSeries.Count;
import io.wslistener.spi.Feed;

/**
 * The series of every feed of a Prometheus registry, written at each scrape from the feeds' {@link FeedSeries}: one
 * collector in the registry instead of 26 Micrometer meters per feed. Names, labels, types and descriptions are those
 * the registry gives the Micrometer meters of {@link ConnectionMeters} (its naming convention, {@link FeedMetric}), so
 * the scrape reads the same; the Prometheus snapshots are built as {@code PrometheusMeterRegistry} builds them for a
 * counter, a gauge and a timer (a summary, and its maximum as a {@code _max} gauge).
 * <p>
 * The registry's meter filters are not applied to these series (Micrometer offers no way to apply them without
 * registering meters); camel-main's registry has none.
 */
final class PrometheusFeedSeries implements MultiCollector {

    /** How long a timer's maximum is kept: the step of Prometheus registries, as their own timers have it. */
    private static final Duration MAX_STEP = Duration.ofMinutes(1);

    /** One collector per registry: several CamelContexts may share one. */
    private static final Map<PrometheusMeterRegistry, PrometheusFeedSeries> BY_REGISTRY = new WeakHashMap<>();

    private final PrometheusMeterRegistry registry;
    private final Set<FeedSeries> feeds = ConcurrentHashMap.newKeySet();
    private final Map<FeedMetric, MetricMetadata> metadata = new EnumMap<>(FeedMetric.class);
    private final Map<FeedMetric, MetricMetadata> maxMetadata = new EnumMap<>(FeedMetric.class);
    private final String routeIdKey;

    private PrometheusFeedSeries(PrometheusMeterRegistry registry) {
        this.registry = registry;
        NamingConvention convention = registry.config().namingConvention();
        for (FeedMetric metric : FeedMetric.values()) {
            String name = convention.name(metric.meterName(), metric.type(), metric.baseUnit());
            metadata.put(metric, new MetricMetadata(name, metric.description(), null));
            if (metric.type() == Meter.Type.TIMER) {
                maxMetadata.put(metric, new MetricMetadata(name + "_max", metric.description(), null));
            }
        }
        this.routeIdKey = convention.tagKey(MeterNames.ROUTE_ID);
    }

    /**
     * The feed's series, written from now on into the registry's scrape; null when the registry already has
     * series of these names from elsewhere (Micrometer meters of another context), which then stay the way to go.
     */
    static FeedSeries add(PrometheusMeterRegistry registry, Feed feed) {
        PrometheusFeedSeries collector;
        synchronized (BY_REGISTRY) {
            collector = BY_REGISTRY.get(registry);
            if (collector == null) {
                for (FeedMetric metric : FeedMetric.values()) {
                    if (registry.find(metric.meterName()).meter() != null) {
                        // the scrape would fail on names written twice
                        return null;
                    }
                }
                collector = new PrometheusFeedSeries(registry);
                registry.getPrometheusRegistry().register(collector);
                BY_REGISTRY.put(registry, collector);
            }
        }
        Set<FeedSeries> feeds = collector.feeds;
        FeedSeries series = new FeedSeries(feed, registry.config().clock(), MAX_STEP, feeds::remove);
        feeds.add(series);
        return series;
    }

    @Override
    public List<String> getPrometheusNames() {
        List<String> names = new ArrayList<>();
        metadata.values().forEach(m -> names.add(m.getPrometheusName()));
        maxMetadata.values().forEach(m -> names.add(m.getPrometheusName()));
        return names;
    }

    @Override
    public MetricSnapshots collect() {
        List<FeedSeries> all = List.copyOf(feeds);
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        gauge(snapshots, all, FeedMetric.CONNECTION_STATE, s -> s.feed().loop().state().gaugeValue());
        counter(snapshots, all, FeedMetric.CONNECTS, Count.CONNECTS);
        List<CounterDataPointSnapshot> disconnects = new ArrayList<>();
        List<CounterDataPointSnapshot> failures = new ArrayList<>();
        List<GaugeDataPointSnapshot> servers = new ArrayList<>();
        for (FeedSeries series : all) {
            String routeId = series.feed().routeId();
            for (Map.Entry<String, AtomicLong> code : series.disconnects().entrySet()) {
                disconnects.add(new CounterDataPointSnapshot(code.getValue().get(),
                        labels(routeId, FeedMetric.DISCONNECTS, code.getKey()), null, series.createdMillis()));
            }
            for (FailureCause cause : FailureCause.values()) {
                failures.add(new CounterDataPointSnapshot(series.failures(cause),
                        labels(routeId, FeedMetric.CONNECT_FAILURES, cause.tag()), null, series.createdMillis()));
            }
            String current = series.feed().loop().snapshot().target();
            for (String url : series.servers()) {
                servers.add(new GaugeDataPointSnapshot(url.equals(current) ? 1 : 0,
                        labels(routeId, FeedMetric.SERVER, url), null));
            }
        }
        add(snapshots, new CounterSnapshot(metadata.get(FeedMetric.DISCONNECTS), disconnects));
        add(snapshots, new CounterSnapshot(metadata.get(FeedMetric.CONNECT_FAILURES), failures));
        add(snapshots, new GaugeSnapshot(metadata.get(FeedMetric.SERVER), servers));
        counter(snapshots, all, FeedMetric.GIVE_UPS, Count.GIVE_UPS);
        counter(snapshots, all, FeedMetric.PLANNED_RECONNECTS, Count.PLANNED_RECONNECTS);
        counter(snapshots, all, FeedMetric.SEQUENCE_GAPS, s -> s.feed().sequenceGaps().getAsLong());
        counter(snapshots, all, FeedMetric.PINGS_SENT, Count.PINGS_SENT);
        counter(snapshots, all, FeedMetric.PONGS_RECEIVED, Count.PONGS_RECEIVED);
        timer(snapshots, all, FeedMetric.PONG_RTT, Count.PONG_RTT_COUNT, Count.PONG_RTT_NANOS,
                FeedSeries::pongRttMaxSeconds);
        counter(snapshots, all, FeedMetric.PONG_TIMEOUTS, Count.PONG_TIMEOUTS);
        counter(snapshots, all, FeedMetric.HEARTBEAT_REPLIES, Count.HEARTBEAT_REPLIES);
        counter(snapshots, all, FeedMetric.IDLE_TIMEOUTS, Count.IDLE_TIMEOUTS);
        counter(snapshots, all, FeedMetric.MESSAGES_RECEIVED, Count.MESSAGES_RECEIVED);
        counter(snapshots, all, FeedMetric.RECEIVED, Count.RECEIVED_BYTES);
        gauge(snapshots, all, FeedMetric.MESSAGES_IN_FLIGHT, s -> s.feed().inFlight().getAsInt());
        gauge(snapshots, all, FeedMetric.MESSAGES_IN_FLIGHT_BYTES, s -> s.feed().delivery().inFlightBytes());
        gauge(snapshots, all, FeedMetric.MESSAGES_OLDEST_AGE, s -> s.feed().delivery().oldestWaitNanos() / 1e9);
        gauge(snapshots, all, FeedMetric.BACKPRESSURE_PAUSED, s -> s.feed().delivery().pausedForNanos() / 1e9);
        timer(snapshots, all, FeedMetric.BACKPRESSURE_PAUSE, Count.PAUSE_COUNT, Count.PAUSE_NANOS,
                FeedSeries::pauseMaxSeconds);
        counter(snapshots, all, FeedMetric.DELIVERY_FAILURES, s -> s.feed().delivery().failures());
        return snapshots.build();
    }

    private void counter(MetricSnapshots.Builder snapshots, List<FeedSeries> all, FeedMetric metric, Count count) {
        counter(snapshots, all, metric, s -> s.count(count));
    }

    private void counter(MetricSnapshots.Builder snapshots, List<FeedSeries> all, FeedMetric metric,
                         ToDoubleFunction<FeedSeries> value) {
        List<CounterDataPointSnapshot> points = new ArrayList<>(all.size());
        for (FeedSeries series : all) {
            points.add(new CounterDataPointSnapshot(value.applyAsDouble(series), labels(series), null,
                    series.createdMillis()));
        }
        add(snapshots, new CounterSnapshot(metadata.get(metric), points));
    }

    private void gauge(MetricSnapshots.Builder snapshots, List<FeedSeries> all, FeedMetric metric,
                       ToDoubleFunction<FeedSeries> value) {
        List<GaugeDataPointSnapshot> points = new ArrayList<>(all.size());
        for (FeedSeries series : all) {
            points.add(new GaugeDataPointSnapshot(value.applyAsDouble(series), labels(series), null));
        }
        add(snapshots, new GaugeSnapshot(metadata.get(metric), points));
    }

    /** A Micrometer timer as the Prometheus registry writes it: count and sum in seconds, then the maximum. */
    private void timer(MetricSnapshots.Builder snapshots, List<FeedSeries> all, FeedMetric metric, Count count,
                       Count nanos, ToDoubleFunction<FeedSeries> maxSeconds) {
        List<SummaryDataPointSnapshot> points = new ArrayList<>(all.size());
        List<GaugeDataPointSnapshot> maxima = new ArrayList<>(all.size());
        for (FeedSeries series : all) {
            Labels labels = labels(series);
            points.add(new SummaryDataPointSnapshot(series.count(count), series.count(nanos) / 1e9, Quantiles.EMPTY,
                    labels, Exemplars.EMPTY, series.createdMillis()));
            maxima.add(new GaugeDataPointSnapshot(maxSeconds.applyAsDouble(series), labels, null));
        }
        add(snapshots, new SummarySnapshot(metadata.get(metric), points));
        add(snapshots, new GaugeSnapshot(maxMetadata.get(metric), maxima));
    }

    /** A family without series is left out, as the registry leaves out a name whose last meter was removed. */
    private static void add(MetricSnapshots.Builder snapshots, MetricSnapshot snapshot) {
        if (!snapshot.getDataPoints().isEmpty()) {
            snapshots.metricSnapshot(snapshot);
        }
    }

    private Labels labels(FeedSeries series) {
        return Labels.of(routeIdKey, series.feed().routeId());
    }

    private Labels labels(String routeId, FeedMetric metric, String value) {
        return Labels.of(routeIdKey, routeId, registry.config().namingConvention().tagKey(metric.tag()), value);
    }
}
