package io.wslistener.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.wslistener.app.WsListenerApplication;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.wslistener.testsupport.PolicyYaml.routeWithPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every setting that cannot work stops start-up of a CamelContext loading YAML, with one message that names the route
 * (or the bean), the option and what is allowed; and the standalone application exits with 1. Nothing here connects:
 * the feeds point at a closed port.
 */
class StartupValidationTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final java.util.Properties properties = new java.util.Properties();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        camel.stop();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // zero or negative where that makes no sense
            "connectTimeout: 0s            | Route 'quotes': invalid ws-listener option connectTimeout=0s; allowed: a duration greater than 0",
            "initialDelay: 0s              | Route 'quotes': invalid ws-listener option initialDelay=0s; allowed: a duration greater than 0",
            "pongTimeout: 0ms              | Route 'quotes': invalid ws-listener option pongTimeout=0s; allowed: a duration greater than 0",
            "'stableUptime: \"-1s\"'       | invalid ws-listener option stableUptime=-1s; allowed: a duration of 0 or more",
            "'drainTimeout: \"-30s\"'      | invalid ws-listener option drainTimeout=-30s; allowed: a duration of 0 or more",
            "maxAttempts: -1               | Route 'quotes': invalid ws-listener option maxAttempts=-1; allowed: 0 (unlimited) or a positive count",
            "maxInFlight: 0                | Route 'quotes': invalid ws-listener option maxInFlight=0; allowed: a count of 1 or more",
            "maxMessageSize: 0             | Route 'quotes': invalid ws-listener option maxMessageSize=0; allowed: a size in bytes of 1 or more",
            "handshakeRejectionsBeforeStop: 0 | Route 'quotes': invalid ws-listener option handshakeRejectionsBeforeStop=0; allowed: a count of 1 or more",
            // not a duration at all (Camel alone would read each of these as 0)
            "pingInterval: 5x              | invalid ws-listener option pingInterval=5x; allowed: a duration of 0 or more such as 500ms, 30s, 5m or 1h30m",
            "idleTimeout: 2 minutes        | invalid ws-listener option idleTimeout=2 minutes; allowed: a duration",
            // out of range
            "jitter: 1.5                   | Route 'quotes': invalid ws-listener option jitter=1.5; allowed: a fraction from 0.0 up to (not including) 1.0",
            "multiplier: 0.5               | Route 'quotes': invalid ws-listener option multiplier=0.5; allowed: a number of 1.0 or more",
            "'stopOnCloseCodes: \"999\"'   | Route 'quotes': invalid ws-listener option stopOnCloseCodes=999; allowed: WebSocket close codes from 1000 to 4999",
            "'stopOnHandshakeStatuses: \"200\"' | Route 'quotes': invalid ws-listener option stopOnHandshakeStatuses=200; allowed: HTTP statuses from 300 to 599",
            // contradictions
            "maxDelay: 500ms               | Route 'quotes': invalid ws-listener option maxDelay=500ms; allowed: a duration no shorter than initialDelay (1s)",
            // below the floor: every connection would be closed as soon as it opened
            "maxConnectionAge: 1ms         | Route 'quotes': invalid ws-listener option maxConnectionAge=1ms; allowed: 0 (off) or a duration of at least 1s, such as 23h",
            "maxConnectionAge: 999ms       | Route 'quotes': invalid ws-listener option maxConnectionAge=999ms; allowed: 0 (off) or a duration of at least 1s",
            // misspelled
            "pingIntervall: 5s             | unknown ws-listener policy option pingIntervall; the options are [allowedHosts, backoffCloseCodes, connectTimeout, drainTimeout, handshakeHeaders," })
    void aBadPolicySettingStopsStartUp(String setting, String expected) {
        String message = startupFailure(routeWithPolicy(setting));

        assertTrue(message.contains(expected.strip()), message);
    }

    @Test
    void aMisspelledPolicyOptionNamesTheBean() {
        String message = startupFailure(routeWithPolicy("pingIntervall: 5s"));

        assertTrue(message.contains("Error creating bean: feedPolicy"), message);
        assertTrue(message.contains("pingInterval, pingMessage, pongMessage, pongTimeout"),
                "lists the options: " + message);
    }

    @Test
    void aPingMessageWithPingsOffIsAContradiction() {
        String message = startupFailure(routeWithPolicy("""
                pingInterval: 0s
                        pingMessage: '{"op":"ping","key":"s3cr3t-ping-key"}'"""));

        assertTrue(message
                .contains("Route 'quotes': invalid ws-listener option pingMessage=(set, not shown); allowed: unset,"
                        + " because pingInterval is 0 (pings disabled)"),
                message);
        // a ping message may carry a credential: never echoed
        assertFalse(message.contains("s3cr3t-ping-key"), message);
    }

    @Test
    void durationsTakeUpperCaseUnitsAndIso8601() {
        load(routeWithPolicy("""
                pingInterval: 10S
                        pongTimeout: PT2S
                        idleTimeout: 1h30m"""));
        camel.start();

        var settings = ((io.wslistener.source.WsListenerConsumer) camel.getRoute("quotes").getConsumer()).getSettings();
        assertEquals(java.time.Duration.ofSeconds(10), settings.getPingInterval());
        assertEquals(java.time.Duration.ofSeconds(2), settings.getPongTimeout());
        assertEquals(java.time.Duration.ofMinutes(90), settings.getIdleTimeout());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "wslistener.pingInterval   | 5x   | Route 'quotes': invalid ws-listener option pingInterval=5x; allowed: a duration of 0 or more",
            "wslistener.connectTimeout | -1s  | Route 'quotes': invalid ws-listener option connectTimeout=-1s; allowed: a duration of 0 or more",
            "wslistener.pongTimeout    | 0    | Route 'quotes': invalid ws-listener option pongTimeout=0s; allowed: a duration greater than 0",
            "wslistener.maxInFlight    | many | Route 'quotes': invalid ws-listener option maxInFlight=many; allowed: a number",
            "wslistener.delivery.maxThreads | 0    | Route 'quotes': invalid ws-listener option wslistener.delivery.maxThreads=0; allowed: a whole number of 1 or more",
            "wslistener.delivery.maxThreads | many | Route 'quotes': invalid ws-listener option wslistener.delivery.maxThreads=many; allowed: a whole number of 1 or more",
            "wslistener.pingIntervall  | 5s   | Route 'quotes': invalid ws-listener option wslistener.pingIntervall: unknown property, did you mean wslistener.pingInterval?",
            // the other sections: each key is known, so a typo is refused like one among the settings
            "wslistener.undelivered.directroy | /tmp  | Route 'quotes': invalid ws-listener option wslistener.undelivered.directroy: unknown property, did you mean wslistener.undelivered.directory?",
            "wslistener.summary.intervall     | 30s   | invalid ws-listener option wslistener.summary.intervall: unknown property, did you mean wslistener.summary.interval?",
            "wslistener.log.fromat            | json  | invalid ws-listener option wslistener.log.fromat: unknown property, did you mean wslistener.log.format?",
            "wslistener.demo.enable           | true  | invalid ws-listener option wslistener.demo.enable: unknown property, did you mean wslistener.demo.enabled?",
            "wslistener.metrics.enabled       | true  | invalid ws-listener option wslistener.metrics.enabled: unknown property, did you mean",
            "wslistener.sumary.interval       | 30s   | invalid ws-listener option wslistener.sumary.interval: unknown property, did you mean wslistener.summary.interval?" })
    void aBadWsListenerPropertyStopsStartUp(String property, String value, String expected) {
        properties.setProperty(property, value);

        String message = startupFailure(routeWithPolicy("openMessages: hello"));

        assertTrue(message.contains(expected), message);
    }

    @Test
    void everyKnownWsListenerPropertyIsAccepted() {
        properties.setProperty("wslistener.pingInterval", "5s");
        properties.setProperty("wslistener.undelivered.directory", dir.resolve("undelivered").toString());
        properties.setProperty("wslistener.delivery.maxThreads", "8");
        properties.setProperty("wslistener.summary.interval", "30s");
        properties.setProperty("wslistener.log.format", "text");
        properties.setProperty("wslistener.demo.enabled", "false");
        properties.setProperty("wslistener.demo.host", "127.0.0.1");
        properties.setProperty("wslistener.demo.port", "8765");
        properties.setProperty("wslistener.demo.path", "/feed");
        properties.setProperty("wslistener.demo.rate", "5");
        load(routeWithPolicy("openMessages: hello"));

        camel.start();

        assertTrue(camel.getRouteController().getRouteStatus("quotes").isStarted());
        assertTrue(Files.isDirectory(dir.resolve("undelivered")), "created at start");
    }

    @Test
    void anUndeliveredDirectoryThatCannotBeCreatedStopsStartUpNamingTheProperty() throws Exception {
        Path occupied = Files.writeString(dir.resolve("occupied"), "a file where the folder should be");
        Path undelivered = occupied.resolve("undelivered");
        properties.setProperty("wslistener.undelivered.directory", undelivered.toString());

        String message = startupFailure(routeWithPolicy("openMessages: hello"));

        assertTrue(message.contains("Route 'quotes': wslistener.undelivered.directory " + undelivered
                + " cannot be created or written"), message);
    }

    @Test
    void anUndeliveredDirectoryThatCannotBeWrittenStopsStartUpNamingTheProperty() {
        // a folder no one can write in, root included (as root, file permissions would not stop the write)
        Path readOnly = Path.of("/proc");
        assumeTrue(Files.isDirectory(readOnly), "a Linux /proc");
        properties.setProperty("wslistener.undelivered.directory", readOnly.toString());

        String message = startupFailure(routeWithPolicy("openMessages: hello"));

        assertTrue(message.contains("Route 'quotes': wslistener.undelivered.directory /proc cannot be created or"
                + " written"), message);
    }

    @Test
    void tooManyOpenMessagesStopStartUp() {
        String lines = IntStream.rangeClosed(1, 65).mapToObj(i -> "          {\"op\":\"subscribe\",\"n\":" + i + "}")
                .collect(Collectors.joining("\n"));
        String message = startupFailure(routeWithPolicy("openMessages: |\n" + lines));

        assertTrue(message
                .contains("Route 'quotes': invalid ws-listener option openMessages=65 messages; allowed: at most 64"
                        + " messages"),
                message);
    }

    @Test
    void anOpenMessageOverMaxMessageSizeStopsStartUpWithoutShowingIt() {
        String message = startupFailure(routeWithPolicy("""
                maxMessageSize: 16
                        openMessages: '{"op":"login","key":"SECRET-LOGIN"}'"""));

        assertTrue(message.contains("Route 'quotes': invalid ws-listener option openMessages=message 1 of 35 bytes;"
                + " allowed: messages of at most maxMessageSize (16 bytes)"), message);
        assertFalse(message.contains("SECRET-LOGIN"), message);
    }

    @Test
    void aHandshakeHeaderNameThatIsNoTokenStopsStartUp() {
        String message = startupFailure(routeWithPolicy("""
                handshakeHeaders:
                          "Bad Header": "x\""""));

        assertTrue(
                message.contains("Route 'quotes': invalid ws-listener option handshakeHeaders: header name 'Bad Header'"
                        + " may hold only letters, digits and"),
                message);
    }

    @Test
    void handshakeHeadersOverEightKilobytesStopStartUp() {
        String message = startupFailure(routeWithPolicy("""
                handshakeHeaders:
                          Cookie: "%s\"""".formatted("c".repeat(9000))));

        assertTrue(message
                .contains("Route 'quotes': invalid ws-listener option handshakeHeaders: they take 9010 bytes, more"
                        + " than the 8192 bytes servers accept"),
                message);
    }

    @Test
    void anUnknownEndpointOptionStopsStartUpNamingItAndTheOptions() {
        String message = startupFailure(route("ws-listener:127.0.0.1:1/feed?pingInterval=5s"));

        assertTrue(message.contains("Failed to create route: quotes"), message);
        assertTrue(
                message.contains(
                        "unknown option [pingInterval]; ws-listener takes sslContextParameters, clientOptions,"),
                message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "reconnectInitialDelay=500  | the vertx-websocket option reconnectInitialDelay is not used by ws-listener; set initialDelay on the route policy instead",
            "reconnectInterval=5000     | the vertx-websocket option reconnectInterval is not used by ws-listener; set initialDelay and maxDelay (with multiplier 1.0 for a fixed interval) on the route policy instead",
            "maxReconnectAttempts=3     | the vertx-websocket option maxReconnectAttempts is not used by ws-listener; set maxAttempts on the route policy instead" })
    void aVertxWebsocketReconnectOptionStopsStartUpNamingThePolicySetting(String option, String expected) {
        String message = startupFailure(route("ws-listener:127.0.0.1:1/feed?" + option));

        assertTrue(message.contains("Failed to create route: quotes"), message);
        assertTrue(message.contains(expected), message);
    }

    @Test
    void aMissingSslContextParametersBeanStopsStartUp() {
        String message = startupFailure(route("ws-listener:wss:127.0.0.1:1/feed?sslContextParameters=#bean:feedTls"));

        assertTrue(message.contains("Failed to create route: quotes"), message);
        assertTrue(message.contains("No bean could be found in the registry for: feedTls"), message);
    }

    @Test
    void aMissingTrustStoreFileStopsStartUpNamingTheRoute() {
        String message = startupFailure(tls("""
                trustManagers:
                  keyStore:
                    resource: "file:%s"
                    type: PKCS12
                    password: changeit
                """.formatted(dir.resolve("missing.p12"))));

        assertTrue(message
                .contains("Route 'quotes': invalid ws-listener option sslContextParameters: the key or trust store"
                        + " could not be loaded: IOException: Could not open file:" + dir.resolve("missing.p12")),
                message);
    }

    @Test
    void aWrongTrustStorePasswordStopsStartUpWithoutShowingIt() {
        Path store = TestCertificates.authority("test-ca").writeTrustStore(dir);
        String message = startupFailure(tls("""
                trustManagers:
                  keyStore:
                    resource: "file:%s"
                    type: PKCS12
                    password: SECRET-WRONG
                """.formatted(store)));

        assertTrue(message
                .contains("Route 'quotes': invalid ws-listener option sslContextParameters: the key or trust store"
                        + " could not be loaded"),
                message);
        assertTrue(message.contains("password"), message);
        assertFalse(message.contains("SECRET-WRONG"), message);
    }

    @Test
    void aPemFileWithoutCertificatesStopsStartUp() throws Exception {
        Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        String message = startupFailure("""
                - beans:
                    - name: feedCa
                      type: "#class:io.wslistener.source.PemKeyStoreParameters"
                      properties:
                        resource: "file:%s"
                """.formatted(dir.resolve("empty.pem")) + tls("""
                trustManagers:
                  keyStore: "#bean:feedCa"
                """));

        assertTrue(message
                .contains("Route 'quotes': invalid ws-listener option sslContextParameters: the key or trust store"
                        + " could not be loaded: IOException: No PEM CERTIFICATE found in file:"),
                message);
    }

    @Test
    void theApplicationExitsWithOneAndLogsTheReason() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("feed.yaml"), routeWithPolicy("maxDelay: 100ms"));
        Path props = Files.writeString(dir.resolve("application.properties"), """
                wslistener.demo.enabled = false
                camel.main.name = validation-test
                """);

        int exitCode;
        try (LogCapture log = new LogCapture("io.wslistener.app.WsListenerApplication")) {
            exitCode = WsListenerApplication.run(new String[]{ "--properties", props.toString(), "--routes",
                    routes.toString(), "-d", "10" });
            assertTrue(log.contains("ERROR",
                    "Route 'quotes': invalid ws-listener option maxDelay=100ms; allowed: a duration"
                            + " no shorter than initialDelay (1s)"),
                    String.join("\n", log.lines()));
        }
        assertEquals(1, exitCode);
    }

    // --- plumbing

    private static String route(String uri) {
        return """
                - route:
                    id: quotes
                    from:
                      uri: "%s"
                      steps:
                        - to: "log:quotes"
                """.formatted(uri);
    }

    /** A bean {@code feedTls} of SSLContextParameters with these properties and a wss route using it. */
    private static String tls(String sslProperties) {
        return """
                - beans:
                    - name: feedTls
                      type: "#class:org.apache.camel.support.jsse.SSLContextParameters"
                      properties:
                %s""".formatted(sslProperties.indent(8))
                + route("ws-listener:wss:127.0.0.1:1/feed?sslContextParameters=#bean:feedTls");
    }

    private void load(String yaml) {
        camel.getPropertiesComponent().setInitialProperties(properties);
        try {
            YamlCamel.load(camel, yaml);
        } catch (Exception e) {
            throw new StartupFailed(e);
        }
    }

    /** Loads and starts; returns the messages of the failure's cause chain, one per line. */
    private String startupFailure(String yaml) {
        Exception e = assertThrows(Exception.class, () -> {
            load(yaml);
            camel.start();
        });
        assertFalse(camel.isStarted());
        StringBuilder text = new StringBuilder();
        for (Throwable t = e instanceof StartupFailed ? e.getCause() : e; t != null; t = t.getCause()) {
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    /** A failure while loading the YAML (a bean that cannot be made), as opposed to one while starting. */
    private static final class StartupFailed extends RuntimeException {

        StartupFailed(Exception cause) {
            super(cause);
        }
    }
}
