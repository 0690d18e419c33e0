package io.wslistener.sink;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * The little JSON the sinks need: is a message one JSON value, and how to write any text as a JSON string.
 * <p>
 * Jackson's streaming parser (the engine under Vert.x's JSON) checks a 100-byte message in about 0.2 µs without
 * building objects; camel-util-json's {@code Jsoner} builds a map and allocates a 16 KB lexer buffer per call, about ten
 * times slower, which alone would cap the file sink well under its target rate.
 */
final class JsonText {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {
    }

    /** True when the text is exactly one JSON value (object, array, string, number, true, false or null). */
    static boolean isJson(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Appends the text as a quoted, escaped JSON string. */
    static void appendQuoted(StringBuilder out, String text) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        out.append('"');
    }

    /** The text as a quoted, escaped JSON string. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        appendQuoted(out, text);
        return out.toString();
    }

    /**
     * The text as one JSON Lines record without its line end: valid JSON as it is (its line breaks, which JSON only
     * allows as whitespace between tokens, become spaces), anything else as a JSON string.
     */
    static String asJsonValue(String text) {
        if (!isJson(text)) {
            return quoted(text);
        }
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return text.replace('\r', ' ').replace('\n', ' ');
    }
}
