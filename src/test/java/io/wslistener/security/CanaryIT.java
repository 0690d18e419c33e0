package io.wslistener.security;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import io.vertx.core.Vertx;
import io.wslistener.source.WsListenerConsumer;
import io.wslistener.testsupport.AppInstance;
import io.wslistener.testsupport.ConnectProxy;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The canary test of issue 26: the standalone application in a JVM of its own, with the shipped properties and a
 * distinct canary value in each place a secret can enter, the developer console on with credentials. Every output is
 * read (the log, every {@code /observe} page, every console {@code /q/dev} lists in text and JSON, ws-listener's JMX
 * attributes, the dead-letter files after a sink failure) and no canary may be in any of them. A new output or a new
 * way for a secret to come in is added here.
 */
class CanaryIT {

    /** Where each canary enters, and the canary. */
    private static final Map<String, String> CANARIES = new LinkedHashMap<>();

    static {
        CANARIES.put("a property named with Camel's word (feed.token)", "cnryCamelWord01");
        CANARIES.put("a property named with ws-listener's word (feed.listenKey)", "cnryListenKey02");
        CANARIES.put("a token in the URL path (feed.pathToken)", "cnryPathToken03");
        CANARIES.put("a property named in additionalSensitiveKeywords (feed.routeCode)", "cnryRouteCode04");
        CANARIES.put("an environment variable in {{env:...}}", "cnryEnvQuery05");
        CANARIES.put("an environment variable in ${env:...} of a handshake header", "cnryEnvHeader06");
        CANARIES.put("a system property (-Dfeed.secretWord)", "cnrySystemProp07");
        CANARIES.put("a token file", "cnryTokenFile08");
        CANARIES.put("a proxy password", "cnryProxyWord09");
        CANARIES.put("a TLS store password", "cnryStoreWord10");
        CANARIES.put("a signed sink URL (sig=)", "cnrySinkSig11");
        CANARIES.put("a urlProvider result", CanaryUrls.VALUE);
        CANARIES.put("the management users file", "cnryAdminWord13");
        CANARIES.put("the Kafka sink's SASL password (saslJaasConfig)", "cnryKafkaWord14");
    }

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void noCanaryInAnyOutput() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestWebSocketServer feed = new TestWebSocketServer(vertx).start();
                HttpTestServer ingest = HttpTestServer.onFreePort().defaultStatus(400).start();
                ConnectProxy proxy = new ConnectProxy(vertx).requireCredentials("feeduser",
                        canary("a proxy password"))) {
            feed.autoSendOnConnect(3, i -> "{\"n\":" + i + "}");
            int managementPort = AvailablePortFinder.getNextAvailable();
            int jmxPort = AvailablePortFinder.getNextAvailable();
            Path properties = properties(feed.port(), ingest, managementPort);
            Path routes = Files.createDirectories(dir.resolve("routes"));
            Files.writeString(routes.resolve("canary.yaml"),
                    route(proxy.port(), AvailablePortFinder.getNextAvailable()));
            Files.writeString(dir.resolve("token"), canary("a token file") + "\n");
            Files.writeString(dir.resolve("users.properties"),
                    "user.admin = " + canary("the management users file") + "\n");

            try (AppInstance app = AppInstance.start("canary", dir,
                    List.of("-Dfeed.secretWord=" + canary("a system property (-Dfeed.secretWord)"),
                            "-Dcamel.main.jmxManagementMBeansLevel=RoutesOnly",
                            "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                            "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                            "-Dcom.sun.management.jmxremote.authenticate=false",
                            "-Dcom.sun.management.jmxremote.ssl=false"),
                    Map.of("CANARY_FEED_KEY", canary("an environment variable in {{env:...}}"),
                            "CANARY_CLIENT_ID", canary("an environment variable in ${env:...} of a handshake header"),
                            "CANARY_PROXY_WORD", canary("a proxy password"),
                            "CANARY_STORE_WORD", canary("a TLS store password"),
                            "CANARY_KAFKA_WORD", canary("the Kafka sink's SASL password (saslJaasConfig)")),
                    List.of(CanaryUrls.class), properties, "--routes", routes.toString())) {

                await().atMost(Duration.ofSeconds(90)).until(() -> app.started() || !app.logText().isEmpty()
                        && app.logText().contains("could not start"));
                assertTrue(app.started(), app.logTail());
                // the secrets were really used: the feed connected through the proxy with its token and headers,
                // and the sink failed its posts, which dead-letters them
                await().atMost(Duration.ofSeconds(60)).until(() -> !feed.connections().isEmpty()
                        && ingest.requests().size() >= 1 && !deadLetters().isEmpty());
                var connection = feed.connections().get(0);
                assertTrue(connection.uri().contains(canary("a token in the URL path (feed.pathToken)")),
                        connection.uri());
                assertTrue(connection.uri().contains(CanaryUrls.VALUE), connection.uri());
                assertEquals("Bearer " + canary("a token file"), connection.handshakeHeaders().get("Authorization"));
                assertTrue(ingest.requests().get(0).path().contains(canary("a signed sink URL (sig=)")));

                Map<String, String> outputs = new LinkedHashMap<>();
                for (String path : List.of("/observe/health", "/observe/health/live", "/observe/health/ready",
                        "/observe/health?exposureLevel=full&data=true&stackTrace=true",
                        "/observe/health/ready?exposureLevel=full&data=true", "/observe/metrics")) {
                    outputs.put("GET " + path, get(managementPort, path, null, false).body());
                }
                HttpResponse<String> index = get(managementPort, "/q/dev", null, true);
                assertEquals(200, index.statusCode(), index.body());
                List<String> consoles = index.body().lines().map(line -> line.substring(0, line.indexOf(':')))
                        .filter(id -> !id.contains("*")).toList();
                assertTrue(consoles.containsAll(List.of("endpoint", "service", "properties", "route-controller",
                        "health", "micrometer", "ws-listener")), consoles.toString());
                for (String console : consoles) {
                    outputs.put("GET /q/dev/" + console, get(managementPort, "/q/dev/" + console, null, true).body());
                    outputs.put("GET /q/dev/" + console + " (JSON)",
                            get(managementPort, "/q/dev/" + console, "application/json", true).body());
                }
                outputs.put("JMX attributes of the ws-listener consumer", jmxAttributes(jmxPort));
                for (Path file : deadLetters()) {
                    outputs.put("dead-letter file " + file.getFileName(), Files.readString(file));
                }
                app.stopGracefully();
                app.awaitExit();
                outputs.put("the log", app.logText());
                // the Kafka sink (no broker) dead-letters its window when the stop's drain runs out
                List<Path> afterStop = deadLetters();
                assertTrue(
                        afterStop.stream().anyMatch(file -> file.getFileName().toString().startsWith("canary-kafka")),
                        afterStop.toString());
                for (Path file : afterStop) {
                    outputs.put("dead-letter file " + file.getFileName() + " after the stop", Files.readString(file));
                }

                assertTrue(outputs.get("the log").contains("Route 'canary': connected to"), app.logTail());
                assertTrue(outputs.get("GET /q/dev/ws-listener").contains("Route canary"),
                        outputs.get("GET /q/dev/ws-listener"));
                assertTrue(outputs.get("GET /q/dev/endpoint").contains("ws-listener://127.0.0.1:" + feed.port()),
                        outputs.get("GET /q/dev/endpoint"));
                assertTrue(outputs.get("JMX attributes of the ws-listener consumer").contains("ServerUrl="),
                        outputs.get("JMX attributes of the ws-listener consumer"));
                List<String> found = new ArrayList<>();
                outputs.forEach((output, text) -> CANARIES.forEach((place, canary) -> {
                    int at = text.indexOf(canary);
                    if (at >= 0) {
                        found.add(place + " in " + output + ": ..."
                                + text.substring(Math.max(0, at - 120), Math.min(text.length(), at + 40)) + "...");
                    }
                }));
                assertEquals(List.of(), found, "canaries found");
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private Path properties(int feedPort, HttpTestServer ingest, int managementPort) throws IOException {
        return AppInstance.shippedProperties(dir,
                "wslistener.initialDelay = 200ms",
                "camel.management.port = " + managementPort,
                "camel.main.devConsoleEnabled = true",
                "camel.management.devConsoleEnabled = true",
                "camel.management.basicPropertiesFile = " + dir.resolve("users.properties"),
                "camel.health.exposureLevel = full",
                "camel.main.additionalSensitiveKeywords = routeCode",
                "feed.dataDir = " + dir.resolve("data"),
                "feed.port = " + feedPort,
                "feed.token = " + canary("a property named with Camel's word (feed.token)"),
                "feed.listenKey = " + canary("a property named with ws-listener's word (feed.listenKey)"),
                "feed.pathToken = " + canary("a token in the URL path (feed.pathToken)"),
                "feed.routeCode = " + canary("a property named in additionalSensitiveKeywords (feed.routeCode)"),
                "feed.tokenFile = " + dir.resolve("token"),
                "ingest.url = " + ingest.url("/ingest") + "?sig=" + canary("a signed sink URL (sig=)"));
    }

    /** @param closedPort a port nothing listens on: the Kafka sink's broker, so that its records are dead-lettered */
    private static String route(int proxyPort, int closedPort) {
        return """
                - beans:
                    - name: feedToken
                      type: "#class:io.wslistener.policy.FileTokenHeaders"
                      properties:
                        file: "{{feed.tokenFile}}"
                    - name: canaryUrls
                      type: "#class:io.wslistener.security.CanaryUrls"
                    - name: feedTls
                      type: "#class:org.apache.camel.support.jsse.SSLContextParameters"
                      properties:
                        trustManagers:
                          keyStore:
                            resource: "file:/nonexistent/ca.p12"
                            type: PKCS12
                            password: "{{env:CANARY_STORE_WORD}}"
                    - name: canaryPolicy
                      type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                      properties:
                        headersProvider: "#bean:feedToken"
                        urlProvider: "#bean:canaryUrls"
                        proxy: "http://feeduser:{{env:CANARY_PROXY_WORD}}@127.0.0.1:%d"
                        handshakeHeaders:
                          ClientId: "${env:CANARY_CLIENT_ID}"
                - route:
                    id: canary
                    routePolicy: canaryPolicy
                    from:
                      uri: "ws-listener:127.0.0.1:{{feed.port}}/ws/{{feed.pathToken}}?query.listenKey={{feed.listenKey}}&query.access={{feed.token}}&query.code={{feed.routeCode}}&query.apiKey={{env:CANARY_FEED_KEY}}&query.sw={{feed.secretWord}}"
                      steps:
                        - to: "kamelet:ws-http-sink?url=RAW({{ingest.url}})&name=ingest&maxRetries=0&deadLetterDirectory={{feed.dataDir}}/dead-letter"
                        - to: "kamelet:ws-kafka-sink?topic=canary&brokers=127.0.0.1:%d&name=canary-kafka&drainTimeout=2s&kafkaProperties=max.block.ms=1000&securityProtocol=SASL_PLAINTEXT&saslMechanism=PLAIN&saslJaasConfig=RAW(org.apache.kafka.common.security.plain.PlainLoginModule required username=\\\"feed\\\" password=\\\"{{env:CANARY_KAFKA_WORD}}\\\";)&deadLetterDirectory={{feed.dataDir}}/dead-letter"
                """
                .formatted(proxyPort, closedPort);
    }

    private List<Path> deadLetters() throws IOException {
        Path deadLetter = dir.resolve("data").resolve("dead-letter");
        if (!Files.isDirectory(deadLetter)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(deadLetter)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private HttpResponse<String> get(int port, String path, String accept, boolean credentials)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (credentials) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    ("admin:" + canary("the management users file")).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every attribute WsListenerConsumer declares, read from the child JVM's consumer MBean. */
    private static String jmxAttributes(int port) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        StringBuilder text = new StringBuilder();
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            Set<ObjectName> consumers = server.queryNames(
                    new ObjectName("org.apache.camel:type=consumers,name=WsListenerConsumer*,*"), null);
            assertFalse(consumers.isEmpty(), "the ws-listener consumer's MBean");
            for (ObjectName name : consumers) {
                for (Method method : WsListenerConsumer.class.getMethods()) {
                    if (method.isAnnotationPresent(ManagedAttribute.class)) {
                        String attribute = method.getName().replaceFirst("^(get|is)", "");
                        text.append(attribute).append('=').append(server.getAttribute(name, attribute)).append('\n');
                    }
                }
            }
        }
        return text.toString();
    }

    private static String canary(String place) {
        String value = CANARIES.get(place);
        if (value == null) {
            throw new IllegalArgumentException("no canary for " + place);
        }
        return value;
    }

}
