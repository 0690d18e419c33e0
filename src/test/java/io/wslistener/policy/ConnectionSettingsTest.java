package io.wslistener.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.wslistener.connection.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ConnectionSettingsTest {

    private static ConnectionSettings with(Consumer<ConnectionSettings> change) {
        return TestSettings.with(change);
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                invalid("connectTimeout", v -> v.setConnectTimeout(Duration.ZERO)),
                invalid("connectTimeout", v -> v.setConnectTimeout(Duration.ofMillis(-1))),
                invalid("connectTimeout", v -> v.setConnectTimeout(null)),
                invalid("initialDelay", v -> v.setInitialDelay(Duration.ZERO)),
                invalid("multiplier", v -> v.setMultiplier(0.5)),
                invalid("multiplier", v -> v.setMultiplier(Double.NaN)),
                invalid("maxDelay", v -> v.setMaxDelay(Duration.ZERO)),
                invalid("maxDelay", v -> v.setMaxDelay(Duration.ofMillis(999))),
                invalid("jitter", v -> v.setJitter(-0.1)),
                invalid("jitter", v -> v.setJitter(1.0)),
                invalid("jitter", v -> v.setJitter(Double.NaN)),
                invalid("maxAttempts", v -> v.setMaxAttempts(-1)),
                invalid("stableUptime", v -> v.setStableUptime(Duration.ofSeconds(-1))),
                invalid("pingInterval", v -> v.setPingInterval(Duration.ofSeconds(-1))),
                invalid("pongTimeout", v -> v.setPongTimeout(Duration.ZERO)),
                invalid("pingMessage", v -> {
                    v.setPingInterval(Duration.ZERO);
                    v.setPingMessage("{\"op\":\"ping\"}");
                }),
                invalid("idleTimeout", v -> v.setIdleTimeout(Duration.ofMillis(-5))),
                invalid("stopOnCloseCodes", v -> v.setStopOnCloseCodes("999")),
                invalid("stopOnCloseCodes", v -> v.setStopOnCloseCodes("5000")),
                invalid("stopOnHandshakeStatuses", v -> v.setStopOnHandshakeStatuses("200")),
                invalid("stopOnHandshakeStatuses", v -> v.setStopOnHandshakeStatuses("600")),
                invalid("handshakeRejectionsBeforeStop", v -> v.setHandshakeRejectionsBeforeStop(0)),
                invalid("maxInFlight", v -> v.setMaxInFlight(0)),
                invalid("maxMessageSize", v -> v.setMaxMessageSize(0)),
                invalid("drainTimeout", v -> v.setDrainTimeout(Duration.ofSeconds(-1))));
    }

    private static Arguments invalid(String option, Consumer<ConnectionSettings> change) {
        return arguments(option, change);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidValues")
    void invalidValueNamesRouteAndOption(String option, Consumer<ConnectionSettings> change) {
        ConnectionSettings settings = with(change);
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> settings.validate("quotes"));
        assertEquals(option, e.getOption());
        assertEquals("quotes", e.getRouteId());
        assertTrue(e.getMessage().contains("Route 'quotes'") && e.getMessage().contains(" " + option),
                e.getMessage());
        assertTrue(e.getMessage().contains("allowed"), "says what is allowed: " + e.getMessage());
    }

    @Test
    void durationsAreShownTheWayTheyAreWritten() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> with(v -> v.setMaxDelay(Duration.ofMillis(999))).validate("quotes"));
        assertTrue(e.getMessage().contains("maxDelay=999ms; allowed: a duration no shorter than initialDelay (1s)"),
                e.getMessage());
        e = assertThrows(InvalidSettingException.class, () -> with(v -> v.setConnectTimeout(null)).validate("quotes"));
        assertTrue(e.getMessage().contains("connectTimeout=(unset)"), e.getMessage());
    }

    @Test
    void defaultsAreValid() {
        assertDoesNotThrow(() -> ConnectionSettings.defaults().validate("quotes"));
    }

    @Test
    void boundaryValuesAreValid() {
        assertDoesNotThrow(() -> with(v -> {
            v.setMultiplier(1.0);
            v.setMaxDelay(v.getInitialDelay());
            v.setJitter(0.0);
            v.setStableUptime(Duration.ZERO);
            v.setPingInterval(Duration.ZERO);
            v.setIdleTimeout(Duration.ZERO);
            v.setStopOnCloseCodes("1000,4999");
            v.setStopOnHandshakeStatuses("300,599");
            v.setHandshakeRejectionsBeforeStop(1);
            v.setMaxInFlight(1);
            v.setMaxMessageSize(1);
            v.setDrainTimeout(Duration.ZERO);
        }).validate("quotes"));
    }

    @Test
    void toStringMasksSecretsAndTheSecretPartsOfUrls() {
        ConnectionSettings settings = with(v -> {
            v.setServerUrls("wss://a.example.com/ws?apiKey=canary-query\nwss://feed:canary-pass@b.example.com/ws");
            v.setProxy("http://feed:canary-proxy@proxy.example.com:3128");
            v.setOpenMessages("{\"op\":\"login\",\"key\":\"canary-login\"}");
            v.setHandshakeHeaders(Map.of("Authorization", "Bearer canary-header"));
            v.setHeadersProvider(new HandshakeHeadersProvider() {

                @Override
                public Map<String, String> headersFor(String routeId) {
                    return Map.of();
                }

                @Override
                public String toString() {
                    return "tokens canary-bean";
                }
            });
        });

        String shown = settings.toString();

        assertFalse(shown.contains("canary"), shown);
        assertTrue(shown.contains("a.example.com/ws?apiKey=xxxxxx") && shown.contains("feed:xxxxxx@b.example.com"),
                "the URLs, their secrets masked: " + shown);
        assertTrue(shown.contains("handshakeHeaders={Authorization=xxxxxx}"), "the header names: " + shown);
        assertTrue(shown.contains("pingInterval=10s"), "durations as written: " + shown);
    }

    @Test
    void openMessagesAreTheNonBlankLines() {
        ConnectionSettings settings = with(v -> v.setOpenMessages("a\n\n  b  \n"));
        assertEquals(List.of("a", "b"), settings.openMessageList());
        assertThrows(UnsupportedOperationException.class, () -> settings.openMessageList().add("c"));
    }
}
