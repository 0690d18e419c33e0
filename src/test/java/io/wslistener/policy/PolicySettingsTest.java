package io.wslistener.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.wslistener.testsupport.PolicyYaml.routeWithPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a route gets its settings (policy bean, then {@code wslistener.*} properties, then defaults) and how a bad one
 * stops start-up, as a user writing YAML would meet it. The routes point at a closed port: nothing here connects.
 */
class PolicySettingsTest {

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void unsetSettingsTakeTheBuiltInDefaults() {
        ConnectionSettings settings = new WsListenerRoutePolicy().settingsFor("quotes", camel);

        assertEquals(Duration.ofSeconds(10), settings.getConnectTimeout());
        assertEquals(Duration.ofSeconds(1), settings.getInitialDelay());
        assertEquals(2.0, settings.getMultiplier());
        assertEquals(Duration.ofSeconds(30), settings.getMaxDelay());
        assertEquals(0.2, settings.getJitter());
        assertEquals(0, settings.getMaxAttempts());
        assertEquals(Duration.ofSeconds(10), settings.getStableUptime());
        assertEquals(Duration.ofSeconds(10), settings.getPingInterval());
        assertEquals(Duration.ofSeconds(5), settings.getPongTimeout());
        assertNull(settings.getPingMessage());
        assertEquals(Duration.ZERO, settings.getIdleTimeout());
        assertEquals(List.of(), settings.openMessageList());
        assertEquals(Set.of(1008), settings.stopOnCloseCodeSet());
        assertEquals(Set.of(401, 403), settings.stopOnHandshakeStatusSet());
        assertEquals(3, settings.getHandshakeRejectionsBeforeStop());
        assertEquals(1000, settings.getMaxInFlight());
        assertEquals(1048576, settings.getMaxMessageSize());
        assertEquals(Duration.ofSeconds(30), settings.getDrainTimeout());
    }

    @Test
    void propertiesOverrideDefaultsAndThePolicyOverridesProperties() {
        Properties properties = new Properties();
        properties.setProperty("wslistener.pingInterval", "2s");
        properties.setProperty("wslistener.pongTimeout", "750ms");
        properties.setProperty("wslistener.stopOnHandshakeStatuses", "401, 403, 407");
        properties.setProperty("wslistener.openMessages", "{\"op\":\"hello\"}");
        camel.getPropertiesComponent().setInitialProperties(properties);
        WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
        policy.setPongTimeout(Duration.ofSeconds(1));

        ConnectionSettings settings = policy.settingsFor("quotes", camel);

        assertEquals(Duration.ofSeconds(2), settings.getPingInterval(), "from the property");
        assertEquals(Duration.ofSeconds(1), settings.getPongTimeout(), "the policy wins over the property");
        assertEquals(Set.of(401, 403, 407), settings.stopOnHandshakeStatusSet());
        assertEquals(List.of("{\"op\":\"hello\"}"), settings.openMessageList());
        assertEquals(Duration.ofSeconds(30), settings.getMaxDelay(), "neither: the default");
    }

    @Test
    void yamlPolicyPropertiesReachTheSettings() throws Exception {
        load("""
                - beans:
                    - name: feedPolicy
                      type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                      properties:
                        pingInterval: 500ms
                        idleTimeout: 5m
                        multiplier: 1.5
                        stopOnCloseCodes: "1008,4001"
                        openMessages: |
                          {"op":"login"}

                          {"op":"subscribe"}
                """);
        WsListenerRoutePolicy policy = camel.getRegistry().lookupByNameAndType("feedPolicy",
                WsListenerRoutePolicy.class);

        ConnectionSettings settings = policy.settingsFor("quotes", camel);

        assertEquals(Duration.ofMillis(500), settings.getPingInterval());
        assertEquals(Duration.ofMinutes(5), settings.getIdleTimeout());
        assertEquals(1.5, settings.getMultiplier());
        assertEquals(Set.of(1008, 4001), settings.stopOnCloseCodeSet());
        assertEquals(List.of("{\"op\":\"login\"}", "{\"op\":\"subscribe\"}"), settings.openMessageList(),
                "one message per non-blank line");
    }

    @Test
    void everyHandshakeHeaderOfAYamlPolicyIsKept() throws Exception {
        load("""
                - beans:
                    - name: feedPolicy
                      type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                      properties:
                        handshakeHeaders:
                          Authorization: "Bearer ${bean:tokens?method=current}"
                          Cookie: "session=abc"
                          Origin: "https://example.org"
                """);
        WsListenerRoutePolicy policy = camel.getRegistry().lookupByNameAndType("feedPolicy",
                WsListenerRoutePolicy.class);

        // kept as written: the simple expression is evaluated on every connect, not at load
        assertEquals(Map.of("Authorization", "Bearer ${bean:tokens?method=current}", "Cookie", "session=abc",
                "Origin", "https://example.org"), policy.getHandshakeHeaders());
    }

    @Test
    void dashedHeaderNamesInYamlBeanPropertiesAreCamelCasedByCamel() throws Exception {
        // a limitation of Camel's YAML bean properties (keys are un-dashed); documented, with the ways around it
        load("""
                - beans:
                    - name: feedPolicy
                      type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                      properties:
                        handshakeHeaders:
                          X-Api-Key: "secret"
                """);
        WsListenerRoutePolicy policy = camel.getRegistry().lookupByNameAndType("feedPolicy",
                WsListenerRoutePolicy.class);

        assertEquals(Map.of("XApiKey", "secret"), policy.getHandshakeHeaders());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "pongTimeout                   | 0s            | pongTimeout=0s; allowed: a duration greater than 0",
            "maxDelay                      | 100ms         | maxDelay=100ms; allowed: a duration no shorter than initialDelay (1s)",
            "jitter                        | 1.5           | jitter=1.5; allowed: a fraction from 0.0 up to (not including) 1.0",
            "maxInFlight                   | 0             | maxInFlight=0; allowed: a count of 1 or more",
            "maxBatchSize                  | 0             | maxBatchSize=0; allowed: a count from 1 up to maxInFlight (1000)",
            "maxBatchSize                  | 1001          | maxBatchSize=1001; allowed: a count from 1 up to maxInFlight (1000)",
            "handshakeRejectionsBeforeStop | 0             | handshakeRejectionsBeforeStop=0; allowed: a count of 1 or more",
            "stopOnCloseCodes              | 1008,999      | stopOnCloseCodes=999; allowed: WebSocket close codes from 1000 to 4999",
            "stopOnHandshakeStatuses       | 401,forbidden | stopOnHandshakeStatuses=401,forbidden; allowed: a comma-separated list of numbers, such as 401,403" })
    void invalidPolicyValueInYamlFailsStartNamingRouteAndOption(String option, String value, String explanation) {
        load(routeWithPolicy(option + ": \"" + value + "\""));

        Exception e = assertThrows(Exception.class, camel::start);

        InvalidSettingException invalid = causeOfType(e, InvalidSettingException.class);
        assertEquals(option, invalid.getOption(), messages(e));
        assertTrue(messages(e).contains("Failed to create route: quotes"), messages(e));
        assertTrue(messages(e).contains("Route 'quotes': invalid ws-listener option " + explanation), messages(e));
        assertTrue(!camel.isStarted());
    }

    @Test
    void valueThatIsNotADurationFailsNamingTheOption() {
        Exception e = assertThrows(Exception.class, () -> {
            load(routeWithPolicy("pingInterval: soon"));
            camel.start();
        });
        // the bean is made before any route, so Camel names the bean property and the value
        assertTrue(messages(e).contains("Error binding property (pingInterval=soon)"), messages(e));
    }

    /**
     * YAML could reach the settings as {@code configuration.<setting>} while they were a property of the policy: that
     * still works, strictly, with a deprecation warning.
     */
    @Test
    void theDeprecatedConfigurationPrefixStillSetsTheSetting() throws Exception {
        try (LogCapture log = new LogCapture(WsListenerRoutePolicyConfigurer.class.getName())) {
            load(routeWithPolicy("configuration.pingInterval: 3s"));
            WsListenerRoutePolicy policy = camel.getRegistry().lookupByNameAndType("feedPolicy",
                    WsListenerRoutePolicy.class);

            assertEquals(Duration.ofSeconds(3), policy.settingsFor("quotes", camel).getPingInterval());
            assertTrue(log.messages().stream().anyMatch(m -> m.contains("deprecated")), log.messages().toString());
        }
        try (CamelContext other = new DefaultCamelContext()) {
            Exception e = assertThrows(Exception.class,
                    () -> YamlCamel.load(other, routeWithPolicy("configuration.pingInterval: -5s")));
            assertTrue(messages(e).contains("invalid ws-listener option pingInterval=-5s"), messages(e));
        }
    }

    @Test
    void misspelledPolicyPropertyFailsNamingIt() {
        Exception e = assertThrows(Exception.class, () -> {
            load(routeWithPolicy("pingIntervall: 5s"));
            camel.start();
        });
        assertTrue(messages(e).contains("Error binding property (pingIntervall=5s)"), messages(e));
    }

    @Test
    void unknownWsListenerPropertyFailsStartNamingRouteAndProperty() {
        Properties properties = new Properties();
        properties.setProperty("wslistener.xyz", "1");
        properties.setProperty("wslistener.demo.port", "8765"); // another section's property is not a typo
        camel.getPropertiesComponent().setInitialProperties(properties);
        load(routeWithPolicy("pingInterval: 5s"));

        Exception e = assertThrows(Exception.class, camel::start);

        InvalidSettingException invalid = causeOfType(e, InvalidSettingException.class);
        assertEquals("wslistener.xyz", invalid.getOption(), messages(e));
        assertTrue(messages(e).contains("Route 'quotes'"), messages(e));
        assertTrue(messages(e).contains("unknown property"), messages(e));
    }

    @Test
    void invalidWsListenerPropertyValueFailsStartNamingRouteAndOption() {
        Properties properties = new Properties();
        properties.setProperty("wslistener.maxInFlight", "lots");
        camel.getPropertiesComponent().setInitialProperties(properties);
        load(routeWithPolicy("pingInterval: 5s"));

        Exception e = assertThrows(Exception.class, camel::start);

        InvalidSettingException invalid = causeOfType(e, InvalidSettingException.class);
        assertEquals("maxInFlight", invalid.getOption());
        assertTrue(messages(e).contains("Route 'quotes': invalid ws-listener option maxInFlight=lots"), messages(e));
    }

    @Test
    void policyOnARouteThatIsNotAWebSocketClientFailsStart() {
        load("""
                - beans:
                    - name: feedPolicy
                      type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                - route:
                    id: ticks
                    routePolicy: feedPolicy
                    from:
                      uri: "timer:tick"
                      steps:
                        - to: "log:tick"
                """);

        Exception e = assertThrows(Exception.class, camel::start);

        assertTrue(
                messages(e).contains(
                        "Route 'ticks': routePolicy WsListenerRoutePolicy applies to WebSocket client routes"),
                messages(e));
    }

    // --- plumbing

    private void load(String yaml) {
        try {
            YamlCamel.load(camel, yaml);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T extends Throwable> T causeOfType(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + messages(e));
    }

    /** Every message of the cause chain, as an operator would read them. */
    private static String messages(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
        }
        return text.toString();
    }
}
