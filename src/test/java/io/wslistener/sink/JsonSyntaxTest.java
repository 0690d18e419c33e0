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
        for (String json : List.of("{}", "[]", "{\"a\":1}", " {\"a\" : [1, -2.5e+3, true, false, null, \"x\\n\\u00e9\"]} ",
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
