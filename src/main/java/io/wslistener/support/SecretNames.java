package io.wslistener.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.camel.util.SensitiveUtils;

/**
 * Which names mark their value as a secret: a property key, an environment variable, a query parameter. Camel's own
 * sensitive words ({@link SensitiveUtils}, matched against the last part of a key as Camel does), the words of
 * {@link #KEYWORDS} anywhere in the last part, and the words of {@code camel.main.additionalSensitiveKeywords}, the
 * setting for names that do not look secret ({@code feed.pathToken}, {@code ingest.signature}).
 */
public final class SecretNames {

    /** Parts of a name that mark its value as secret, besides Camel's own list (case-insensitive). */
    public static final List<String> KEYWORDS = List.of("authorization", "auth", "key", "sig", "secret", "token",
            "pass", "pwd", "credential", "session", "jwt", "bearer", "cookie");

    private final List<String> words = new ArrayList<>();

    /** @param additionalKeywords {@code camel.main.additionalSensitiveKeywords}, comma-separated, or null */
    public SecretNames(String additionalKeywords) {
        KEYWORDS.forEach(word -> words.add(normalize(word)));
        if (additionalKeywords != null) {
            for (String word : additionalKeywords.split(",")) {
                if (!word.isBlank()) {
                    words.add(normalize(word));
                }
            }
        }
    }

    /** Whether the value of this property, variable or parameter is a secret. */
    public boolean isSecret(String name) {
        if (name == null || name.isBlank()) {
            return false;
        }
        if (SensitiveUtils.containsSensitive(name)) {
            return true;
        }
        String last = normalize(name.substring(name.lastIndexOf('.') + 1));
        for (String word : words) {
            if (last.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static String normalize(String word) {
        return word.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
