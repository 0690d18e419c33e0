package io.wslistener.metrics;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.wslistener.testsupport.PolicyYaml;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a Prometheus registry the feeds' series come from one collector ({@link PrometheusFeedSeries}) instead of a
 * Micrometer meter each: the same feed, run once each way against a local server (a connect, a close with 4000, a
 * reconnect, pings and pongs, messages), gives the same scrape, line for line (HELP, TYPE, every series with its
 * labels), in both text formats; and the values follow the feed.
 */
class PrometheusFeedSeriesTest {

    private static final String ROUTE = "quotes";
    private static final Pattern SAMPLE = Pattern.compile("^(wslistener_[a-z_]+(\\{[^}]*})?) (\\S+)");

    @Test
    void theCollectorWritesWhatTheMicrometerMetersWrote() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer().sendEvery(Duration.ofMillis(50), n -> "m" + n)
                .start()) {
            Scrapes collector = run(server, false);
            Scrapes meters = run(server, true);

            assertEquals(meters.textShape, collector.textShape);
            assertEquals(meters.openMetricsShape, collector.openMetricsShape);
            assertTrue(
                    collector.textShape.contains("wslistener_disconnects_total{closeCode=\"4xxx\",routeId=\"quotes\"}"),
                    collector.textShape.toString());
            assertTrue(collector.textShape.contains(
                    "wslistener_connect_failures_total{cause=\"refused\",routeId=\"quotes\"}"));
            assertTrue(collector.textShape.contains("wslistener_pong_rtt_seconds_max{routeId=\"quotes\"}"));
            assertTrue(collector.openMetricsShape.contains("# TYPE wslistener_connects counter"),
                    collector.openMetricsShape.toString());
            assertEquals(2.0, collector.value("wslistener_connects_total{routeId=\"quotes\"}"));
            assertEquals(1.0, collector.value("wslistener_disconnects_total{closeCode=\"4xxx\",routeId=\"quotes\"}"));
            assertEquals(1.0, collector.value("wslistener_connection_state{routeId=\"quotes\"}"), "open");
            assertTrue(collector.value("wslistener_messages_received_total{routeId=\"quotes\"}") >= 20);
            assertTrue(collector.value("wslistener_pong_rtt_seconds_count{routeId=\"quotes\"}") >= 1);
            assertTrue(collector.value("wslistener_pong_rtt_seconds_max{routeId=\"quotes\"}") > 0);
        }
    }

    @Test
    void aStoppedRouteTakesItsSeriesAlongAndStartsAFreshSet() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (TestWebSocketServer server = new TestWebSocketServer().sendEvery(Duration.ofMillis(50), n -> "m" + n)
                .start();
                YamlCamel yamlCamel = YamlCamel.create().bean(MicrometerConstants.METRICS_REGISTRY_NAME, registry)) {
            CamelContext camel = yamlCamel.start(PolicyYaml.plainRoute("quotes", server.listenerUri("/quotes"), true)
                    + PolicyYaml.plainRoute("trades", server.listenerUri("/trades"), true));
            String quotes = "wslistener_messages_received_total{routeId=\"quotes\"}";
            String trades = "wslistener_messages_received_total{routeId=\"trades\"}";
            await().until(() -> value(scrape(registry, false), quotes) >= 10
                    && value(scrape(registry, false), trades) >= 10);

            camel.getRouteController().stopRoute("quotes");

            String afterStop = scrape(registry, false);
            assertTrue(Double.isNaN(value(afterStop, quotes)), afterStop);
            assertTrue(Double.isNaN(value(afterStop, "wslistener_connection_state{routeId=\"quotes\"}")), afterStop);
            assertTrue(value(afterStop, trades) >= 10, afterStop);

            camel.getRouteController().startRoute("quotes");
            await().until(() -> value(scrape(registry, false), "wslistener_connects_total{routeId=\"quotes\"}") == 1
                    && value(scrape(registry, false), quotes) >= 1);
            assertEquals(1.0, value(scrape(registry, false), "wslistener_connection_state{routeId=\"quotes\"}"));
        }
    }

    /**
     * The feed in a context of its own with a Prometheus registry; {@code micrometerMeters} takes the collector's
     * place with a meter of one of its names first, so that the feed falls back to Micrometer meters.
     */
    private Scrapes run(TestWebSocketServer server, boolean micrometerMeters) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (micrometerMeters) {
            Gauge.builder(MeterNames.CONNECTION_STATE, () -> 0).description(FeedMetric.CONNECTION_STATE.description())
                    .tag(MeterNames.ROUTE_ID, "placeholder")
                    .register(registry);
        }
        int connectionsBefore = server.totalConnections();
        try (YamlCamel yamlCamel = YamlCamel.create().bean(MicrometerConstants.METRICS_REGISTRY_NAME, registry)) {
            CamelContext camel = yamlCamel.start("""
                    - beans:
                        - name: policy
                          type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                          properties:
                            pingInterval: 200ms
                            initialDelay: 100ms
                    - route:
                        id: %s
                        routePolicy: policy
                        from:
                          uri: "%s"
                          steps:
                            - to: "log:quotes?level=OFF"
                    """.formatted(ROUTE, server.listenerUri("/quotes")));
            await().until(() -> server.openSockets() == 1);
            server.closeAll((short) 4000, "go away").get();
            await().until(() -> server.totalConnections() == connectionsBefore + 2 && server.openSockets() == 1);
            await().until(() -> scrape(registry, false).contains("wslistener_connection_state{routeId=\"quotes\"} 1")
                    && value(scrape(registry, false), "wslistener_messages_received_total{routeId=\"quotes\"}") >= 20
                    && value(scrape(registry, false), "wslistener_pong_rtt_seconds_count{routeId=\"quotes\"}") >= 1);
            Scrapes scrapes = new Scrapes(scrape(registry, false), scrape(registry, true));
            camel.stop();
            return scrapes;
        }
    }

    private static String scrape(PrometheusMeterRegistry registry, boolean openMetrics) {
        return registry.scrape(openMetrics ? OpenMetricsTextFormatWriter.CONTENT_TYPE
                : PrometheusTextFormatWriter.CONTENT_TYPE);
    }

    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.find() && m.group(1).equals(series)) {
                return Double.parseDouble(m.group(3));
            }
        }
        return Double.NaN;
    }

    /** Two scrapes of one run, and what they say about the feed's series: HELP and TYPE lines, series names. */
    private record Scrapes(String text, String openMetrics, Set<String> textShape, Set<String> openMetricsShape) {

        Scrapes(String text, String openMetrics) {
            this(text, openMetrics, shape(text), shape(openMetrics));
        }

        double value(String series) {
            return PrometheusFeedSeriesTest.value(text, series);
        }

        private static Set<String> shape(String scrape) {
            Set<String> lines = new TreeSet<>();
            for (String line : scrape.split("\n")) {
                if (line.contains("placeholder")) {
                    continue;
                }
                if (line.startsWith("# HELP wslistener_") || line.startsWith("# TYPE wslistener_")) {
                    lines.add(line);
                }
                Matcher m = SAMPLE.matcher(line);
                if (m.find()) {
                    lines.add(m.group(1));
                }
            }
            return lines;
        }
    }
}
