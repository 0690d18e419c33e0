package io.wslistener.connection;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ConnectionSettingsTest {

    private static ConnectionSettings with(Consumer<TestSettings> change) {
        return TestSettings.with(change);
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                invalid("connectTimeout", v -> v.connectTimeout = Duration.ZERO),
                invalid("connectTimeout", v -> v.connectTimeout = Duration.ofMillis(-1)),
                invalid("connectTimeout", v -> v.connectTimeout = null),
                invalid("initialDelay", v -> v.initialDelay = Duration.ZERO),
                invalid("multiplier", v -> v.multiplier = 0.5),
                invalid("multiplier", v -> v.multiplier = Double.NaN),
                invalid("maxDelay", v -> v.maxDelay = Duration.ZERO),
                invalid("maxDelay", v -> v.maxDelay = Duration.ofMillis(999)),
                invalid("jitter", v -> v.jitter = -0.1),
                invalid("jitter", v -> v.jitter = 1.0),
                invalid("jitter", v -> v.jitter = Double.NaN),
                invalid("maxAttempts", v -> v.maxAttempts = -1),
                invalid("stableUptime", v -> v.stableUptime = Duration.ofSeconds(-1)),
                invalid("pingInterval", v -> v.pingInterval = Duration.ofSeconds(-1)),
                invalid("pongTimeout", v -> v.pongTimeout = Duration.ZERO),
                invalid("pingMessage", v -> {
                    v.pingInterval = Duration.ZERO;
                    v.pingMessage = "{\"op\":\"ping\"}";
                }),
                invalid("idleTimeout", v -> v.idleTimeout = Duration.ofMillis(-5)),
                invalid("stopOnCloseCodes", v -> v.stopOnCloseCodes = Set.of(999)),
                invalid("stopOnCloseCodes", v -> v.stopOnCloseCodes = Set.of(5000)),
                invalid("stopOnHandshakeStatuses", v -> v.stopOnHandshakeStatuses = Set.of(200)),
                invalid("stopOnHandshakeStatuses", v -> v.stopOnHandshakeStatuses = Set.of(600)),
                invalid("handshakeRejectionsBeforeStop", v -> v.handshakeRejectionsBeforeStop = 0),
                invalid("maxInFlight", v -> v.maxInFlight = 0),
                invalid("maxMessageSize", v -> v.maxMessageSize = 0),
                invalid("drainTimeout", v -> v.drainTimeout = Duration.ofSeconds(-1)));
    }

    private static Arguments invalid(String option, Consumer<TestSettings> change) {
        return arguments(option, change);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidValues")
    void invalidValueNamesRouteAndOption(String option, Consumer<TestSettings> change) {
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
                () -> with(v -> v.maxDelay = Duration.ofMillis(999)).validate("quotes"));
        assertTrue(e.getMessage().contains("maxDelay=999ms; allowed: a duration no shorter than initialDelay (1s)"),
                e.getMessage());
        e = assertThrows(InvalidSettingException.class, () -> with(v -> v.connectTimeout = null).validate("quotes"));
        assertTrue(e.getMessage().contains("connectTimeout=(unset)"), e.getMessage());
    }

    @Test
    void defaultsAreValid() {
        assertDoesNotThrow(() -> new TestSettings().build().validate("quotes"));
    }

    @Test
    void boundaryValuesAreValid() {
        assertDoesNotThrow(() -> with(v -> {
            v.multiplier = 1.0;
            v.maxDelay = v.initialDelay;
            v.jitter = 0.0;
            v.stableUptime = Duration.ZERO;
            v.pingInterval = Duration.ZERO;
            v.idleTimeout = Duration.ZERO;
            v.stopOnCloseCodes = Set.of(1000, 4999);
            v.stopOnHandshakeStatuses = Set.of(300, 599);
            v.handshakeRejectionsBeforeStop = 1;
            v.maxInFlight = 1;
            v.maxMessageSize = 1;
            v.drainTimeout = Duration.ZERO;
        }).validate("quotes"));
    }

    @Test
    void collectionsAreCopied() {
        List<String> messages = new java.util.ArrayList<>(List.of("a"));
        ConnectionSettings settings = with(v -> v.openMessages = messages);
        messages.add("b");
        assertEquals(List.of("a"), settings.openMessages());
        assertThrows(UnsupportedOperationException.class, () -> settings.openMessages().add("c"));
    }
}
