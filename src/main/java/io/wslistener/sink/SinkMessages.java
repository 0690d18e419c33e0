package io.wslistener.sink;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * What a sink takes from an exchange: the body as received, text ({@code String}) or binary ({@code byte[]}).
 */
public final class SinkMessages {

    private SinkMessages() {
    }

    /** The body as text or bytes: other types (streams, buffers) are converted to bytes, null to empty text. */
    public static Object bodyOf(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        if (body == null) {
            return "";
        }
        if (body instanceof String || body instanceof byte[]) {
            return body;
        }
        byte[] bytes = message.getBody(byte[].class);
        return bytes != null ? bytes : message.getBody(String.class);
    }

    /** The text of a body: a String as it is, bytes read as UTF-8. */
    public static String text(Object body) {
        if (body instanceof String text) {
            return text;
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return String.valueOf(body);
    }
}
