package io.wslistener.sink;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * The little JSON the sinks need: is a message one JSON value ({@link JsonSyntax}), and how to write any text as a JSON
 * string (Jackson's encoder, the engine under Vert.x's JSON). camel-util-json's {@code Jsoner} builds a map and
 * allocates a 16 KB lexer buffer per call, far too slow for a check made on every message.
 */
public final class JsonText {

    private JsonText() {
    }

    /** True when the text is exactly one JSON value (object, array, string, number, true, false or null). */
    public static boolean isJson(String text) {
        return JsonSyntax.isValid(text);
    }

    /** Appends the text as a quoted, escaped JSON string. */
    public static void appendQuoted(StringBuilder out, String text) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        out.append('"');
    }

    /** The text as a quoted, escaped JSON string. */
    public static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        appendQuoted(out, text);
        return out.toString();
    }

    /**
     * The text as one JSON Lines record without its line end: valid JSON as it is (its line breaks, which JSON only
     * allows as whitespace between tokens, become spaces), anything else as a JSON string.
     */
    public static String asJsonValue(String text) {
        if (!isJson(text)) {
            return quoted(text);
        }
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return text.replace('\r', ' ').replace('\n', ' ');
    }
}
