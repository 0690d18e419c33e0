package io.wslistener.connection;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UrlRotationTest {

    @Test
    void staysWhileItWorksAndMovesOnRoundRobinAfterAFailure() {
        UrlRotation<String> urls = new UrlRotation<>(List.of("a", "b", "c"));
        assertEquals("a", urls.next());
        assertEquals("a", urls.next(), "a reconnect after a drop tries the same server first");
        urls.onAttemptFailed();
        assertEquals("a", urls.current(), "until the next attempt, the one that failed is the one in use");
        assertEquals("b", urls.next());
        urls.onAttemptFailed();
        assertEquals("c", urls.next());
        urls.onAttemptFailed();
        assertEquals("a", urls.next());
    }

    @Test
    void oneUrlIsAlwaysThatOne() {
        UrlRotation<String> urls = new UrlRotation<>(List.of("a"));
        urls.onAttemptFailed();
        assertEquals("a", urls.next());
    }
}
