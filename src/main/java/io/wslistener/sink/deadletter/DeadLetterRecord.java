package io.wslistener.sink.deadletter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.wslistener.sink.SinkMessages;
import io.wslistener.support.UriMasking;

/**
 * One line of a dead-letter file: a message a sink could not deliver, and why.
 * <p>
 * {@code {"time":"2025-01-31T10:15:30.123Z","sink":"sink-http:orders","attempts":6,"status":503,
 * "cause":"HttpOperationFailedException: ...","message":"<the message text>"}} - a binary message is kept as
 * {@code "messageBase64"} instead of {@code "message"}; {@code status} is absent when there was no HTTP response. The
 * message is always kept as a JSON string, so that a replay gets back exactly the text that was received.
 */
public final class DeadLetterRecord {

    private static final JsonFactory FACTORY = new JsonFactory();

    private DeadLetterRecord() {
    }

    /** The JSON line (without line end) for one failed message. */
    public static String toJson(Object message, String sink, int attempts, Integer status, Throwable cause,
                                Instant time) {
        // sized for the message, so that a large one is not copied over and over as the writer grows
        StringWriter out = new StringWriter(256 + (message instanceof byte[] bytes ? bytes.length * 4 / 3
                : message instanceof CharSequence text ? text.length() + 16 : 0));
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", time.toString());
            json.writeStringField("sink", sink);
            json.writeNumberField("attempts", attempts);
            if (status != null) {
                json.writeNumberField("status", status);
            }
            json.writeStringField("cause", describe(cause));
            if (message instanceof byte[] bytes) {
                json.writeStringField("messageBase64", Base64.getEncoder().encodeToString(bytes));
            } else {
                json.writeStringField("message", SinkMessages.text(message));
            }
            json.writeEndObject();
        } catch (IOException e) {
            // writing to a StringWriter does not fail
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The original message of a dead-letter line: the text, or the bytes of a binary message. Used by the replay
     * kamelet ({@code ws-dead-letter-source}).
     *
     * @throws IllegalArgumentException when the line is not a dead-letter record
     */
    public static Object originalMessage(String line) {
        try (JsonParser parser = FACTORY.createParser(line.strip())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a dead-letter record: " + abbreviate(line));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if ("message".equals(field)) {
                    return parser.getText();
                } else if ("messageBase64".equals(field)) {
                    return Base64.getDecoder().decode(parser.getText());
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a dead-letter record: " + abbreviate(line), e);
        }
        throw new IllegalArgumentException("dead-letter record without a message: " + abbreviate(line));
    }

    public static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        // camel-http names the URL it posted to, query included: an ingest key or signature must not reach a log or file
        String message = UriMasking.maskUrlsIn(cause.getMessage());
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
