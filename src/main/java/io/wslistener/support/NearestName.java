package io.wslistener.support;

import java.util.Collection;

/**
 * The known name closest to a misspelled one, for "did you mean" in an error. Camel's own suggestion strategy lives in
 * camel-catalog, a large dependency for one edit distance, so this is the textbook Levenshtein distance.
 */
public final class NearestName {

    private NearestName() {
    }

    /** The name of {@code known} with the fewest single-character edits from {@code name}, or null when none. */
    public static String of(String name, Collection<String> known) {
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(name, candidate);
            if (distance < best) {
                best = distance;
                nearest = candidate;
            }
        }
        return nearest;
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
