package io.wslistener.sink;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.TypeConverter;

/**
 * What a sink takes from an exchange: the body as received, text ({@code String}) or binary ({@code byte[]}), or a
 * batch of such messages ({@code java.util.List}, ws-listener's {@code maxBatchSize}) that the sink writes one by one.
 */
public final class SinkMessages {

    private SinkMessages() {
    }

    /**
     * The body as text or bytes, or a batch as its List (each element one message, see {@link #messageOf}): other types
     * (streams, buffers) are converted to bytes, null to empty text.
     */
    public static Object bodyOf(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        if (body == null) {
            return "";
        }
        if (body instanceof String || body instanceof byte[] || body instanceof List) {
            return body;
        }
        byte[] bytes = message.getBody(byte[].class);
        return bytes != null ? bytes : message.getBody(String.class);
    }

    /** One message of a batch as text or bytes, converted as {@link #bodyOf} converts a body. */
    public static Object messageOf(Exchange exchange, Object element) {
        if (element == null) {
            return "";
        }
        if (element instanceof String || element instanceof byte[]) {
            return element;
        }
        TypeConverter converter = exchange.getContext().getTypeConverter();
        byte[] bytes = converter.convertTo(byte[].class, exchange, element);
        return bytes != null ? bytes : converter.convertTo(String.class, exchange, element);
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
