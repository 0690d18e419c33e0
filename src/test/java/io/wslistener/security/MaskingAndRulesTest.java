package io.wslistener.security;

import java.util.List;
import java.util.Map;

import io.wslistener.policy.HandshakeHeaders;
import io.wslistener.support.UriMasking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The masking of feed URIs and the rules for handshake headers, value by value.
 */
class MaskingAndRulesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // names Camel knows
            "wss://h:443/ws?apiKey=s3cr3t&symbols=BTC        | wss://h:443/ws?apiKey=xxxxxx&symbols=BTC",
            "wss://h:443/ws?token=s3cr3t                     | wss://h:443/ws?token=xxxxxx",
            "wss://h:443/ws?access_token=s3cr3t              | wss://h:443/ws?access_token=xxxxxx",
            "wss://h:443/ws?password=s3cr3t                  | wss://h:443/ws?password=xxxxxx",
            // names Camel leaves alone, every match masked
            "wss://h:443/ws?key=a1&sig=b2&X-Api-Key=c3&n=1   | wss://h:443/ws?key=xxxxxx&sig=xxxxxx&X-Api-Key=xxxxxx&n=1",
            "wss://h:443/ws?signature=a&auth=b&session_id=c  | wss://h:443/ws?signature=xxxxxx&auth=xxxxxx&session_id=xxxxxx",
            "ws-listener:h:1/ws?handshake.Authorization=Bearer+abc&x=1 | ws-listener:h:1/ws?handshake.Authorization=xxxxxx&x=1",
            // RAW(...) and RAW{...} keep an '&' or '#' of the value inside: masked to the closing bracket
            "wss://h:443/ws?key=RAW(a&b#c)&n=1               | wss://h:443/ws?key=xxxxxx&n=1",
            "wss://h:443/ws?sig=RAW{a&b)c}&n=1               | wss://h:443/ws?sig=xxxxxx&n=1",
            "ws-listener:h:1/ws?handshake.Authorization=RAW(Bearer a&b) | ws-listener:h:1/ws?handshake.Authorization=xxxxxx",
            "wss://h:443/ws?token=RAW(s3&cr3t)&n=1           | wss://h:443/ws?token=xxxxxx&n=1",
            // user info: the password, or a lone token
            "wss://user:pa55@h:443/ws                        | wss://user:xxxxxx@h:443/ws",
            "wss://tok3n@h:443/ws                            | wss://xxxxxx@h:443/ws",
            // nothing secret: unchanged
            "wss://h:443/ws?format=json&symbols=BTC,ETH      | wss://h:443/ws?format=json&symbols=BTC,ETH" })
    void secretsInAUriAreMasked(String uri, String masked) {
        assertEquals(masked, UriMasking.mask(uri));
    }

    @Test
    void headerNamesMustBeTokens() {
        assertNull(HandshakeHeaders.problemWithName("X-Api-Key"));
        assertNull(HandshakeHeaders.problemWithName("Sec-WebSocket-Protocol"));
        assertTrue(HandshakeHeaders.problemWithName("Bad Header").contains("may hold only letters, digits and"));
        assertTrue(HandshakeHeaders.problemWithName("X:Y").contains("may hold only"));
        assertTrue(HandshakeHeaders.problemWithName("").contains("must not be empty"));
        assertTrue(HandshakeHeaders.problemWithName("Naïve").contains("may hold only"));
    }

    @Test
    void headerValuesMustHaveNoControlCharacters() {
        assertNull(HandshakeHeaders.problemWithValue("Authorization", "Bearer a.b-c_d~e+f/g="));
        assertNull(HandshakeHeaders.problemWithValue("X", "tab\tis allowed"));
        for (String bad : List.of("a\r\nInjected: 1", "a\nb", "a\rb", "nul\u0000", "del\u007F")) {
            String problem = HandshakeHeaders.problemWithValue("Authorization", bad);
            assertEquals("the value of header Authorization holds a line break or another control character", problem);
        }
    }

    @Test
    void allHeadersTogetherStayWithinEightKilobytes() {
        HandshakeHeaders.check(Map.of("A", "x".repeat(8192 - 5)).entrySet());
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> HandshakeHeaders.check(Map.of("A", "x".repeat(8192 - 4)).entrySet()));
        assertEquals("the handshake headers take 8193 bytes, more than the 8192 bytes servers accept",
                tooBig.getMessage());
    }
}
