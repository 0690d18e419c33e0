package io.wslistener.sink;

import java.nio.charset.StandardCharsets;

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
     * The text as the UTF-8 bytes of one JSON Lines record without its line end: valid JSON as it is (its line breaks,
     * which JSON only allows as whitespace between tokens, become spaces), anything else as a JSON string.
     */
    public static byte[] asJsonValue(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        switch (JsonSyntax.check(utf8)) {
            case JsonSyntax.VALID -> {
                return utf8;
            }
            case JsonSyntax.VALID_WITH_LINE_BREAKS -> {
                // outside strings only (inside, a raw line break is not JSON): the bytes are ours to change
                for (int i = 0; i < utf8.length; i++) {
                    if (utf8[i] == '\n' || utf8[i] == '\r') {
                        utf8[i] = ' ';
                    }
                }
                return utf8;
            }
            default -> {
                return quoted(text).getBytes(StandardCharsets.UTF_8);
            }
        }
    }
}
