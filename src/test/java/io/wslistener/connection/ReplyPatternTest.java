package io.wslistener.connection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyPatternTest {

    @Test
    void plainTextMatchesExactly() {
        ReplyPattern pong = ReplyPattern.of("{\"op\":\"pong\"}");
        assertTrue(pong.matches("{\"op\":\"pong\"}"));
        assertFalse(pong.matches("{\"op\":\"pong\",\"ts\":1}"));
        assertFalse(pong.matches("{\"op\": \"pong\"}"));
    }

    @Test
    void regexIsFoundAnywhereUnlessAnchored() {
        assertTrue(ReplyPattern.of("regex:\"op\"\\s*:\\s*\"pong\"").matches("{\"ts\":1, \"op\": \"pong\"}"));
        assertFalse(ReplyPattern.of("regex:^pong$").matches("pong!"));
    }

    @Test
    void unsetIsNull() {
        assertNull(ReplyPattern.of(null));
    }

    @Test
    void badSettingsNameTheRouteAndOption() {
        InvalidSettingException broken = assertThrows(InvalidSettingException.class,
                () -> ReplyPattern.validate("quotes", "pongMessage", "regex:("));
        assertTrue(broken.getMessage().startsWith("Route 'quotes': invalid ws-listener option pongMessage: is not a valid regular expression"),
                broken.getMessage());
        assertThrows(InvalidSettingException.class, () -> ReplyPattern.validate("quotes", "pongMessage", ""));
    }

    @Test
    void aReplyWithoutAHeartbeatIsRefused() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> TestSettings.with(s -> s.pongMessage = "pong").validate("quotes"));
        assertEquals("pongMessage", e.getOption());
    }

    @Test
    void subscribeAckTakesAnyOrAPattern() {
        assertTrue(ReplyPattern.orAny("any").matches("whatever"));
        assertTrue(ReplyPattern.orAny("any").matchesBinary());
        assertFalse(ReplyPattern.orAny("ok").matchesBinary());
        TestSettings.with(s -> s.subscribeAck = "any").validate("quotes");
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> TestSettings.with(s -> s.subscribeAck = "regex:[").validate("quotes"));
        assertEquals("subscribeAck", e.getOption());
        assertEquals("subscribeAckTimeout", assertThrows(InvalidSettingException.class,
                () -> TestSettings.with(s -> s.subscribeAckTimeout = java.time.Duration.ZERO).validate("quotes")).getOption());
    }
}
