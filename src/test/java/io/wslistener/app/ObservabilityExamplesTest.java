package io.wslistener.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wslistener.testsupport.Docs;
import io.wslistener.testsupport.FeedFiles;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard and the Prometheus alert rules of examples/observability/ against the application they watch:
 * every metric their expressions name is in the scrape of the running shipped application, so they cannot go stale
 * when a meter is renamed. With promtool on the PATH (Debian's prometheus package) the rules, their unit tests and the
 * example Prometheus configuration are checked by Prometheus itself too.
 */
class ObservabilityExamplesTest {

    private static final Path EXAMPLES = Path.of("examples/observability");
    private static final Path DASHBOARD = EXAMPLES.resolve("ws-listener-dashboard.json");
    private static final Path RULES = EXAMPLES.resolve("ws-listener-alerts.yaml");

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan");

    @TempDir
    Path dataDir;

    @Test
    void everyMetricOfTheDashboardAndTheRulesIsInTheScrape() throws Exception {
        List<String> expressions = new ArrayList<>();
        expressions.addAll(dashboardExpressions());
        expressions.addAll(ruleExpressions());
        assertTrue(expressions.size() >= 15, "the dashboard's and the rules' expressions: " + expressions);

        Set<String> scraped = scrapeOfTheShippedApplication();
        Set<String> checked = new TreeSet<>();
        for (String expression : expressions) {
            Set<String> names = metricNames(expression);
            assertFalse(names.isEmpty(), "no metric in " + expression);
            for (String name : names) {
                assertTrue(scraped.contains(name),
                        "'" + name + "' of " + expression + " is not in the scrape: " + scraped);
            }
            checked.addAll(names);
        }
        // what the issue asks the dashboard to show is among them
        assertTrue(checked.containsAll(List.of("wslistener_connection_state", "wslistener_messages_received_total",
                "wslistener_connects_total", "wslistener_pong_rtt_seconds_sum", "wslistener_messages_inflight",
                "wslistener_backpressure_pause_seconds_sum", "wslistener_sink_retries_total",
                "wslistener_sink_deadlettered_total")), checked.toString());
    }

    @Test
    void metricNamesAreFoundInPromQl() {
        assertEquals(Set.of("a_total", "b_seconds_count"),
                metricNames("sum by (routeId, cause) (rate(a_total{x=\"y\",routeId=~\"$routeId\"}[5m])) "
                        + "/ on (routeId) group_left b_seconds_count offset 1m > bool 0.5e3"));
        assertEquals(Set.of("wslistener_connection_state"),
                metricNames("label_values(wslistener_connection_state, routeId)"));
    }

    @Test
    void promtoolAcceptsTheRulesTheirTestsAndTheConfiguration() throws Exception {
        Assumptions.assumeTrue(onPath("promtool"), "promtool is not installed (apt-get install prometheus)");
        promtool("check", "rules", RULES.getFileName().toString());
        promtool("test", "rules", "ws-listener-alerts.test.yaml");
        promtool("check", "config", "prometheus.yml");
    }

    @Test
    void thePrometheusConfigurationInTheDocsIsTheExample() throws Exception {
        List<String> blocks = Docs
                .yamlBlocks(Docs.section("docs/observability.md", "Grafana dashboard and alert rules"));
        assertEquals(1, blocks.size());
        assertEquals(Files.readString(EXAMPLES.resolve("prometheus.yml"), StandardCharsets.UTF_8), blocks.get(0));
        Map<?, ?> config = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(blocks.get(0));
        Map<?, ?> job = (Map<?, ?>) ((List<?>) config.get("scrape_configs")).get(0);
        Properties shipped = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            shipped.load(in);
        }
        assertEquals(shipped.getProperty("camel.metrics.path"), job.get("metrics_path"),
                "where the application serves it");
        Map<?, ?> targets = (Map<?, ?>) ((List<?>) job.get("static_configs")).get(0);
        assertEquals(
                List.of(shipped.getProperty("camel.management.host") + ":"
                        + shipped.getProperty("camel.management.port")),
                targets.get("targets"));
    }

    /** The sample names of a scrape of the shipped application (shipped properties and routes, demo feed). */
    private Set<String> scrapeOfTheShippedApplication() throws Exception {
        int managementPort = AvailablePortFinder.getNextAvailable();
        Main main = WsListenerApplication.createMain(new String[0]);
        main.addOverrideProperty("wslistener.demo.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("camel.management.port", Integer.toString(managementPort));
        main.addOverrideProperty("feed.dataDir", dataDir.toString());
        main.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest scrape = HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics"))
                    .timeout(Duration.ofSeconds(5)).build();
            // the feed is open and has delivered messages through its sink
            String text = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> http.send(scrape, HttpResponse.BodyHandlers.ofString()).body(),
                            body -> body.contains("wslistener_connection_state{routeId=\"demo-feed\"} 1.0")
                                    && body.contains("wslistener_sink_written_total{")
                                    && FeedFiles.sequences(dataDir).size() > 2);
            Set<String> names = new TreeSet<>();
            for (String line : text.split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    Matcher m = IDENTIFIER.matcher(line);
                    if (m.lookingAt()) {
                        names.add(m.group());
                    }
                }
            }
            return names;
        } finally {
            main.stop();
        }
    }

    private static List<String> dashboardExpressions() throws Exception {
        Map<?, ?> dashboard = (Map<?, ?>) Jsoner.deserialize(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
        List<String> expressions = new ArrayList<>();
        for (Object panel : (List<?>) dashboard.get("panels")) {
            for (Object target : (List<?>) ((Map<?, ?>) panel).get("targets")) {
                expressions.add((String) ((Map<?, ?>) target).get("expr"));
            }
        }
        for (Object variable : (List<?>) ((Map<?, ?>) dashboard.get("templating")).get("list")) {
            Object query = ((Map<?, ?>) variable).get("query");
            expressions.add(query instanceof Map<?, ?> q ? (String) q.get("query") : (String) query);
        }
        return expressions;
    }

    private static List<String> ruleExpressions() throws IOException {
        Map<?, ?> rules = (Map<?, ?>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(RULES, StandardCharsets.UTF_8));
        List<String> expressions = new ArrayList<>();
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                expressions.add((String) ((Map<?, ?>) rule).get("expr"));
            }
        }
        return expressions;
    }

    /**
     * The metric names a PromQL expression selects: identifiers that are not functions, keywords, label names (in
     * matchers and in by/on/... lists) or inside strings and ranges. label_values(metric, label) names its first argument.
     */
    static Set<String> metricNames(String expression) {
        String text = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\blabel_values\\s*\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,[^)]*\\)", " $1 ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(text);
        while (m.find()) {
            String name = m.group();
            boolean partOfNumber = m.start() > 0 && (Character.isLetterOrDigit(text.charAt(m.start() - 1))
                    || text.charAt(m.start() - 1) == '.');
            boolean function = text.substring(m.end()).stripLeading().startsWith("(");
            if (!partOfNumber && !function && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static void promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(EXAMPLES.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
    }
}
