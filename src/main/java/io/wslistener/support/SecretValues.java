package io.wslistener.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.util.json.Jsoner;

/**
 * The secret values of this JVM, masked by value wherever ws-listener prints: every value that reached the application
 * as a secret (a property whose name says so, a token file's content, a proxy password, a handshake header value, a
 * store password, a secret endpoint option, ...) is registered here, and {@link #mask} replaces each of them with
 * {@code xxxxxx}, the way CI systems mask their registered secrets. This also covers a token in a URL's path, which no
 * rule about names could find.
 * <p>
 * JVM-wide rather than per CamelContext because the log layout, which masks every line, knows no context. Values
 * shorter than {@link #MIN_LENGTH} characters and {@code true}/{@code false} are not registered: masking them would
 * hide ordinary words everywhere. At most {@link #MAX_VALUES} values are kept, the oldest dropped first (a provider that
 * hands out a fresh token per connect would otherwise grow the set without end).
 */
public final class SecretValues {

    public static final String MASK = "xxxxxx";

    /** Shorter values are not masked by value: "admin" or "30s" would vanish from every line. */
    public static final int MIN_LENGTH = 6;

    static final int MAX_VALUES = 1024;

    private static final Set<String> VALUES = new LinkedHashSet<>();

    /** The values and their encoded forms, longest first; replaced whole on every change, read without a lock. */
    private static volatile String[] masked = new String[0];

    private SecretValues() {
    }

    /** Registers a secret value (and its URL- and JSON-encoded forms) to be masked from now on. */
    public static void register(String value) {
        if (!worthMasking(value)) {
            return;
        }
        String trimmed = value.strip();
        List<String> forms = new ArrayList<>(List.of(trimmed));
        forms.add(URLEncoder.encode(trimmed, StandardCharsets.UTF_8));
        forms.add(URLEncoder.encode(trimmed, StandardCharsets.UTF_8).replace("+", "%20"));
        String json = Jsoner.escape(trimmed);
        forms.add(json);
        // Camel's health endpoint escapes a slash twice
        forms.add(Jsoner.escape(json));
        int space = trimmed.indexOf(' ');
        if (space > 0 && space < trimmed.length() - 1 && trimmed.indexOf(' ', space + 1) < 0) {
            // "Bearer <token>", "Basic <credentials>": the credentials alone are the secret too
            register(trimmed.substring(space + 1));
        }
        synchronized (VALUES) {
            boolean changed = false;
            for (String form : forms) {
                changed |= VALUES.add(form);
            }
            if (!changed) {
                return;
            }
            while (VALUES.size() > MAX_VALUES) {
                VALUES.remove(VALUES.iterator().next());
            }
            masked = VALUES.stream().sorted(Comparator.comparingInt(String::length).reversed())
                    .toArray(String[]::new);
        }
    }

    /** Whether a value is registered at all: long enough, and no boolean. */
    static boolean worthMasking(String value) {
        if (value == null) {
            return false;
        }
        String trimmed = value.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        return trimmed.length() >= MIN_LENGTH && !lower.equals("true") && !lower.equals("false");
    }

    /** The text with every registered value replaced by {@value #MASK}. */
    public static String mask(String text) {
        String[] values = masked;
        if (text == null || values.length == 0 || text.length() < MIN_LENGTH) {
            return text;
        }
        String result = text;
        for (String value : values) {
            if (result.contains(value)) {
                result = result.replace(value, MASK);
            }
        }
        return result;
    }

    /** Whether the text holds a registered value. */
    public static boolean containsSecret(String text) {
        return text != null && !text.equals(mask(text));
    }
}
