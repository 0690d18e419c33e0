package io.wslistener.sink;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * What a sink takes from an exchange: the body as received, text ({@code String}) or binary ({@code byte[]}).
 */
final class SinkMessages {

    private SinkMessages() {
    }

    /** The body as text or bytes: other types (streams, buffers) are converted to bytes, null to empty text. */
    static Object bodyOf(Exchange exchange) {
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
}
