package io.wslistener.sink;

import java.io.IOException;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-pass JSON check, against hand-picked cases and against Jackson's streaming parser as an oracle.
 */
class JsonSyntaxTest {

    private static final JsonFactory JACKSON = new JsonFactory();

    @Test
    void acceptsJsonValues() {
        for (String json : List.of("{}", "[]", "{\"a\":1}",
                " {\"a\" : [1, -2.5e+3, true, false, null, \"x\\n\\u00e9\"]} ",
                "\"text\"", "0", "-0.0", "1E9", "true", "null", "[[[]]]", "{\"seq\":\"0000000001\",\"p\":\"xx\"}",
                "{\n  \"pretty\": [\n    1\n  ]\n}", "\"\\\"\\\\\\/\\b\\f\\r\\t\"")) {
            assertTrue(JsonSyntax.isValid(json), json);
        }
    }

    @Test
    void rejectsWhatIsNotExactlyOneJsonValue() {
        for (String text : List.of("", " ", "hello", "{", "}", "{\"a\"}", "{\"a\":}", "{a:1}", "[1,]", "[,1]", "{} {}",
                "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "\"open", "\"bad \\x escape\"", "\"\\u12g4\"",
                "\"tab\tinside\"", "{\"a\":1,}", "[1 2]", "{\"a\":1 \"b\":2}", "NaN", "'single'")) {
            assertFalse(JsonSyntax.isValid(text), text);
        }
    }

    @Test
    void nestingDeeperThanTheLimitIsNotJson() {
        String deep = "[".repeat(JsonSyntax.MAX_DEPTH + 1) + "]".repeat(JsonSyntax.MAX_DEPTH + 1);
        String allowed = "[".repeat(JsonSyntax.MAX_DEPTH) + "]".repeat(JsonSyntax.MAX_DEPTH);
        assertFalse(JsonSyntax.isValid(deep));
        assertTrue(JsonSyntax.isValid(allowed));
    }

    @Test
    void agreesWithJacksonOnRandomTexts() {
        String alphabet = "{}[]\":,.-+eE0123456789 \n\\utrfalsenx\t";
        Random random = new Random(42);
        int disagreements = 0;
        StringBuilder examples = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String candidate = text.toString();
            if (JsonSyntax.isValid(candidate) != jackson(candidate)) {
                disagreements++;
                examples.append('[').append(candidate).append("] ");
            }
        }
        assertEquals(0, disagreements, examples.toString());
    }

    @Test
    void agreesWithJacksonOnLongStringsWhateverWhereTheirSpecialCharactersFallInAWord() {
        // the inside of a string is skipped eight bytes at a time: put each kind of byte that matters at every offset
        List<String> specials = List.of("\"", "\\", "\\\"", "\\u00e9", "\\x", "\t", "\n", "\u0001", "\u001f", " ", "~",
                "\u007f", "é", "€", "😀");
        int checked = 0;
        for (String special : specials) {
            for (int before = 0; before < 20; before++) {
                for (int after = 0; after < 10; after++) {
                    String candidate = "{\"k\":\"" + "a".repeat(before) + special + "b".repeat(after) + "\"}";
                    assertEquals(jackson(candidate), JsonSyntax.isValid(candidate), candidate);
                    checked++;
                }
            }
        }
        assertEquals(specials.size() * 200, checked);
    }

    @Test
    void agreesWithJacksonOnRandomLongerTextsWithUnicode() {
        String alphabet = "{}[]\":,.-+eE0123456789 \n\r\\utrfalsenx\téé€😀aaaaaaaaaa\u0001";
        Random random = new Random(7);
        int disagreements = 0;
        int valid = 0;
        StringBuilder examples = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            StringBuilder text = new StringBuilder(i % 2 == 0 ? "[\"" : "{\"k\":\"");
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            text.append(i % 2 == 0 ? "\"]" : "\"}");
            String candidate = text.toString();
            boolean expected = jackson(candidate);
            valid += expected ? 1 : 0;
            if (JsonSyntax.isValid(candidate) != expected) {
                disagreements++;
                examples.append('[').append(candidate).append("] ");
            }
        }
        assertEquals(0, disagreements, examples.toString());
        assertTrue(valid > 1_000, "the random texts include valid JSON: " + valid);
    }

    @Test
    void tellsLineBreaksBetweenTokensApart() {
        assertEquals(JsonSyntax.VALID, check("{\"a\": [1, 2]}"));
        assertEquals(JsonSyntax.VALID, check("{\"a\":\"line\\nbreak escaped\"}"));
        assertEquals(JsonSyntax.VALID_WITH_LINE_BREAKS, check("{\n  \"a\": 1\r\n}"));
        assertEquals(JsonSyntax.VALID_WITH_LINE_BREAKS, check("[1,\n2]\n"));
        assertEquals(JsonSyntax.INVALID, check("{\"a\":\"raw\nbreak\"}"));
        assertEquals(JsonSyntax.INVALID, check("{\n"));
    }

    private static int check(String text) {
        return JsonSyntax.check(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static boolean jackson(String text) {
        try (JsonParser parser = JACKSON.createParser(text)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
