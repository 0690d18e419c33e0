package io.wslistener.connection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
    void subscribeAckTakesAnyOrAPattern() {
        assertTrue(ReplyPattern.orAny("any").matches("whatever"));
        assertTrue(ReplyPattern.orAny("any").matchesBinary());
        assertFalse(ReplyPattern.orAny("ok").matchesBinary());
    }
}
