package io.wslistener.sink.http;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP sink's {@code headers} option: 'Name: value' pairs, and an error that never repeats a value.
 */
class HttpSinkHeadersTest {

    @Test
    void parsesNameValuePairsInOrder() {
        assertEquals(Map.of("Authorization", "Bearer abc", "X-Feed", "quotes"),
                HttpSinkEndpoint.parseHeaders("Authorization: Bearer abc; X-Feed: quotes"));
        assertTrue(HttpSinkEndpoint.parseHeaders(" ").isEmpty());
    }

    @Test
    void aMalformedEntryIsNamedByPositionNotByItsSecretContent() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> HttpSinkEndpoint.parseHeaders("X-Feed: quotes; Bearer s3cr3t-t0ken"));
        assertTrue(error.getMessage().contains("entry 2"), error.getMessage());
        assertFalse(error.getMessage().contains("s3cr3t-t0ken"), error.getMessage());
    }
}
