package io.wslistener.sink.http;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpSinkHeadersTest {

    @Test
    void parsesNameValuePairsInOrder() {
        assertEquals(Map.of("Authorization", "Bearer abc", "X-Feed", "quotes"),
                HttpHeaderOptions.parse("sink-http:x", "secretHeaders", "Authorization: Bearer abc; X-Feed: quotes"));
        assertTrue(HttpHeaderOptions.parse("sink-http:x", "headers", " ").isEmpty());
    }

    @Test
    void aMalformedEntryIsNamedByPositionNotByItsSecretContent() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> HttpHeaderOptions.parse("sink-http:x", "secretHeaders", "X-Feed: quotes; Bearer s3cr3t-t0ken"));
        assertTrue(error.getMessage().contains("sink-http:x: secretHeaders") && error.getMessage().contains("entry 2"),
                error.getMessage());
        assertFalse(error.getMessage().contains("s3cr3t-t0ken"), error.getMessage());
    }

    @Test
    void aCredentialInThePlainHeadersIsRefusedWithoutShowingIt() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> HttpHeaderOptions.refuseCredentials("sink-http:x",
                        HttpHeaderOptions.parse("sink-http:x", "headers",
                                "X-Feed: quotes; Authorization: Bearer s3cr3t")));
        assertTrue(error.getMessage().contains("Authorization") && error.getMessage().contains("secretHeaders"),
                error.getMessage());
        assertFalse(error.getMessage().contains("s3cr3t"), error.getMessage());
    }
}
