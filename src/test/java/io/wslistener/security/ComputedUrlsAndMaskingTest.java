package io.wslistener.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wslistener.connection.ConnectionState;
import io.wslistener.policy.ServerUrlProvider;
import io.wslistener.sink.SinkFailure;
import io.wslistener.source.WsListenerConsumer;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * URLs computed for every connect (issue 24): a rotated token file reaches the URL, a failing expression is reported
 * without its text, a computed URL keeps to wss:// and to the configured hosts; and two outputs that showed secrets: the
 * {@code wslistener_server{url}} gauge with a token in the path, the HTTP sink's readiness with a signed URL.
 */
class ComputedUrlsAndMaskingTest {

    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.create().shutdownTimeout(5).recordBodiesAs("received");

    @TempDir
    Path dir;

    private final TestWebSocketServer server = new TestWebSocketServer().start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aRotatedTokenFileReachesTheUrlOnTheNextConnectAndIsShownNowhere() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "first-listen-key-1\n");
        yamlCamel.configure(context -> context.setDevConsole(true)).property("test.dir", dir)
                .property("test.port", server.port())
                .property("wslistener.initialDelay", "50ms");
        try (LogCapture logs = LogCapture.everything()) {
            yamlCamel.start("""
                    - beans:
                        - name: feedToken
                          type: "#class:io.wslistener.policy.FileTokenHeaders"
                          properties:
                            file: "{{test.dir}}/token"
                        - name: feedPolicy
                          type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                          properties:
                            serverUrls: "ws://127.0.0.1:{{test.port}}/ws?listenKey=${bean:feedToken?method=token}"
                    - route:
                        id: feed
                        routePolicy: feedPolicy
                        from:
                          uri: "ws-listener:127.0.0.1:{{test.port}}/ws"
                          steps:
                            - process:
                                ref: received
                    """);
            await().atMost(10, TimeUnit.SECONDS).until(() -> server.connections().size() == 1);
            assertEquals("/ws?listenKey=first-listen-key-1", server.connections().get(0).uri());

            Files.writeString(token, "second-listen-key-2\n");
            server.closeAll((short) 1001, "rotate").get(5, TimeUnit.SECONDS);

            await().atMost(10, TimeUnit.SECONDS).until(() -> server.connections().size() == 2);
            assertEquals("/ws?listenKey=second-listen-key-2", server.connections().get(1).uri());
            assertEquals(2, server.totalConnections(), "the first attempt after the close used the new token");

            WsListenerConsumer consumer = yamlCamel.consumer("feed");
            String console = consoleText(yamlCamel.context(), "ws-listener");
            List<String> shown = List.of(consumer.getServerUrl(), String.valueOf(consumer.getLastFailure()),
                    String.valueOf(consumer.getLoop().snapshot().target()), console,
                    String.join("\n", logs.entries()));
            for (String text : shown) {
                assertFalse(text.contains("first-listen-key-1") || text.contains("second-listen-key-2"), text);
            }
            assertTrue(console.contains("Route feed: open"), console);
            assertEquals("ws://127.0.0.1:" + server.port() + "/ws?listenKey=xxxxxx",
                    consumer.getLoop().snapshot().target());
        }
    }

    @Test
    void aFailingUrlExpressionIsLoggedByRouteOptionAndCauseClassOnly() throws Exception {
        yamlCamel.property("test.dir", dir).property("test.port", server.port())
                .property("wslistener.initialDelay", "50ms");
        try (LogCapture logs = LogCapture.everything()) {
            yamlCamel
                    .start("""
                            - beans:
                                - name: feedToken
                                  type: "#class:io.wslistener.policy.FileTokenHeaders"
                                  properties:
                                    file: "{{test.dir}}/no-token-yet"
                                - name: feedPolicy
                                  type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                                  properties:
                                    serverUrls: "ws://127.0.0.1:{{test.port}}/ws?app=${bean:feedToken?method=token}"
                            - route:
                                id: feed
                                routePolicy: feedPolicy
                                from:
                                  uri: "ws-listener:127.0.0.1:{{test.port}}/ws"
                                  steps:
                                    - process:
                                        ref: received
                            """);
            await().atMost(10, TimeUnit.SECONDS).until(() -> !logs.containing("attempt 2 failed").isEmpty());
            String line = logs.containing("attempt 1 failed").get(0);
            assertTrue(line.contains("Route 'feed': attempt 1 failed: "
                    + "IllegalStateException: serverUrls could not compute the server URL: NoSuchFileException"), line);
            assertFalse(line.contains("${bean") || line.contains("feedToken"), "the expression stays out: " + line);
            assertTrue(line.contains("connecting to ws://127.0.0.1:" + server.port() + "/ws?app=xxxxxx;"), line);
            assertFalse(line.contains("no-token-yet"), "the cause's own text stays out: " + line);
            assertEquals(0, server.totalConnections());
        }
    }

    @Test
    void aComputedUrlMayNeitherDowngradeToWsNorLeaveTheConfiguredHostsUnlessAllowed() throws Exception {
        yamlCamel.property("test.port", server.port()).property("wslistener.initialDelay", "50ms")
                .property("wslistener.maxDelay", "100ms");
        ServerUrlProvider toWs = (route, url) -> "ws://127.0.0.1:" + server.port() + "/down";
        ServerUrlProvider toLocalhost = (route, url) -> "ws://localhost:" + server.port() + "/elsewhere";
        yamlCamel.bean("toWs", toWs).bean("toLocalhost", toLocalhost);
        try (LogCapture logs = LogCapture.everything()) {
            yamlCamel.start("""
                    - beans:
                        - name: downgradePolicy
                          type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                          properties:
                            urlProvider: "#bean:toWs"
                        - name: elsewherePolicy
                          type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                          properties:
                            urlProvider: "#bean:toLocalhost"
                        - name: allowedPolicy
                          type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                          properties:
                            urlProvider: "#bean:toLocalhost"
                            allowedHosts: localhost
                    - route:
                        id: downgrade
                        routePolicy: downgradePolicy
                        from:
                          uri: "ws-listener:wss://127.0.0.1:{{test.port}}/tls"
                          steps:
                            - process:
                                ref: received
                    - route:
                        id: elsewhere
                        routePolicy: elsewherePolicy
                        from:
                          uri: "ws-listener:127.0.0.1:{{test.port}}/here"
                          steps:
                            - process:
                                ref: received
                    - route:
                        id: allowed
                        routePolicy: allowedPolicy
                        from:
                          uri: "ws-listener:127.0.0.1:{{test.port}}/there"
                          steps:
                            - process:
                                ref: received
                    """);
            await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.consumer("allowed").getLoop()
                    .state() == ConnectionState.OPEN);
            await().atMost(10, TimeUnit.SECONDS).until(() -> !logs.containing("Route 'downgrade': attempt 2").isEmpty()
                    && !logs.containing("Route 'elsewhere': attempt 2").isEmpty());

            assertTrue(server.connections().stream().allMatch(c -> c.path().equals("/elsewhere")),
                    "only the allowed route connected");
            assertFalse(logs.containing("Route 'downgrade': attempt 1 failed: IllegalStateException: the computed "
                    + "server URL is ws:// where the configured URL is wss://").isEmpty(),
                    String.join("\n", logs.entries()));
            assertFalse(logs.containing("Route 'elsewhere': attempt 1 failed: IllegalStateException: the computed "
                    + "server URL goes to host localhost, not one of [127.0.0.1]").isEmpty(),
                    String.join("\n", logs.entries()));
        }
    }

    @Test
    void aTokenInThePathIsMaskedInTheServerGaugeAndTheHealthCheck() throws Exception {
        MeterRegistry meters = new SimpleMeterRegistry();
        yamlCamel.bean(MicrometerConstants.METRICS_REGISTRY_NAME, meters).property("test.port", server.port())
                .property("feed.pathToken", "path-token-secret-13");
        yamlCamel.start("""
                - route:
                    id: feed
                    from:
                      uri: "ws-listener:127.0.0.1:{{test.port}}/ws/{{feed.pathToken}}"
                      steps:
                        - process:
                            ref: received
                """);
        await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.consumer("feed").getLoop()
                .state() == ConnectionState.OPEN);
        assertEquals("/ws/path-token-secret-13", server.connections().get(0).path(), "the token was used");

        Meter gauge = meters.get("wslistener.server").meter();
        assertEquals("ws://127.0.0.1:" + server.port() + "/ws/xxxxxx", gauge.getId().getTag("url"));
        for (Meter meter : meters.getMeters()) {
            assertFalse(meter.getId().toString().contains("path-token-secret-13"), meter.getId().toString());
        }
        for (HealthCheck.Result result : HealthCheckHelper.invoke(yamlCamel.context())) {
            assertFalse(String.valueOf(result.getDetails()).contains("path-token-secret-13"),
                    result.getCheck().getId() + ": " + result.getDetails());
        }
    }

    @Test
    void theHttpSinkReadinessShowsNoSignatureOfItsUrl() throws Exception {
        try (HttpTestServer ingest = new HttpTestServer().start().defaultStatus(503)) {
            CamelContext context = yamlCamel.property("dir", dir)
                    .property("url", ingest.url("/ingest") + "?sig=signature-secret-14")
                    .start("""
                            - route:
                                from:
                                  uri: direct:in
                                  steps:
                                    - to: "sink-http:ingest?url=RAW({{url}})&maxRetries=-1&initialDelay=50ms&maxDelay=100ms&deadLetterDirectory={{dir}}/dead-letter"
                            """);
            context.createProducerTemplate().sendBody("direct:in", "{\"n\":1}");
            String check = SinkFailure.GROUP + ":sink-http:ingest";
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> readiness(context, check).getState() == HealthCheck.State.DOWN);
            HealthCheck.Result result = readiness(context, check);
            String message = result.getMessage().orElse("");
            assertTrue(message.contains("503"), message);
            assertTrue(ingest.requests().get(0).path().contains("signature-secret-14"), "the signature was sent");
            assertFalse(message.contains("signature-secret-14"), message);
            assertFalse(String.valueOf(result.getDetails()).contains("signature-secret-14"),
                    String.valueOf(result.getDetails()));
        }
    }

    private static HealthCheck.Result readiness(CamelContext context, String id) {
        return HealthCheckHelper.invokeReadiness(context).stream().filter(r -> r.getCheck().getId().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError("no readiness check " + id));
    }

    /** A console's text as the management server gets it: through the context's console registry. */
    private static String consoleText(CamelContext context, String id) {
        return DevConsoleRegistry.get(context).stream().filter(c -> c.getId().equals(id)).findFirst()
                .map(c -> String.valueOf(c.call(DevConsole.MediaType.TEXT, Map.of())))
                .orElseThrow(() -> new AssertionError("no console " + id));
    }
}
