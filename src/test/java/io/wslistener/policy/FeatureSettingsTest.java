package io.wslistener.policy;

import java.time.Duration;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks of the issue-15 settings: each bad value names the route and the option, never a reply's text.
 */
class FeatureSettingsTest {

    @Test
    void replyPatternsMustBeTextOrAValidRegex() {
        InvalidSettingException broken = invalid(s -> {
            s.setPingMessage("ping");
            s.setPongMessage("regex:(");
        });
        assertEquals("pongMessage", broken.getOption());
        assertTrue(broken.getMessage().startsWith(
                "Route 'quotes': invalid ws-listener option pongMessage: is not a valid regular expression"),
                broken.getMessage());
        assertEquals("pongMessage", invalid(s -> {
            s.setPingMessage("ping");
            s.setPongMessage("");
        }).getOption());
        assertEquals("subscribeAck", invalid(s -> s.setSubscribeAck("regex:[")).getOption());
        valid(s -> s.setSubscribeAck("any"));
    }

    @Test
    void aReplyWithoutAHeartbeatIsRefused() {
        InvalidSettingException e = invalid(s -> s.setPongMessage("pong"));
        assertEquals("pongMessage", e.getOption());
        assertFalse(e.getMessage().contains("=pong"), e.getMessage());
    }

    @Test
    void durationsAndCodes() {
        assertEquals("subscribeAckTimeout", invalid(s -> s.setSubscribeAckTimeout(Duration.ZERO)).getOption());
        assertEquals("maxConnectionAge", invalid(s -> s.setMaxConnectionAge(Duration.ofSeconds(-1))).getOption());
        assertEquals("maxConnectionAge", invalid(s -> s.setMaxConnectionAge(Duration.ofMillis(1))).getOption());
        valid(s -> s.setMaxConnectionAge(Duration.ofSeconds(1)));
        assertEquals("redeployCloseCodes", invalid(s -> s.setRedeployCloseCodes("999")).getOption());
        assertEquals("backoffCloseCodes", invalid(s -> s.setBackoffCloseCodes("1013,x")).getOption());
        assertEquals("retryAfterStatuses", invalid(s -> s.setRetryAfterStatuses("200")).getOption());
        valid(s -> {
            s.setStopOnCloseCodes("1001");
            s.setRedeployCloseCodes("1001,1012"); // overlapping lists are allowed: stopOnCloseCodes wins
        });
    }

    @Test
    void theDefaults() {
        ConnectionSettings defaults = ConnectionSettings.defaults();
        assertEquals(java.util.Set.of(1001, 1012), defaults.redeployCloseCodeSet());
        assertEquals(java.util.Set.of(1013), defaults.backoffCloseCodeSet());
        assertEquals(java.util.Set.of(429, 503), defaults.retryAfterStatusSet());
        assertEquals(Duration.ofSeconds(10), defaults.getSubscribeAckTimeout());
        assertEquals(Duration.ZERO, defaults.getMaxConnectionAge());
        assertEquals(Boolean.FALSE, defaults.getLifecycleEvents());
    }

    private static InvalidSettingException invalid(Consumer<ConnectionSettings> change) {
        ConnectionSettings settings = ConnectionSettings.defaults();
        change.accept(settings);
        return assertThrows(InvalidSettingException.class, () -> settings.validate("quotes"));
    }

    private static void valid(Consumer<ConnectionSettings> change) {
        ConnectionSettings settings = ConnectionSettings.defaults();
        change.accept(settings);
        settings.validate("quotes");
    }
}
