package io.wslistener.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sections of README.md, so that tests load the YAML the README prints, exactly as printed.
 */
public final class Readme {

    private static final Path README = Path.of("README.md");

    private Readme() {
    }

    /** The section whose {@code ## } heading starts with {@code title}, up to the next {@code ## } heading. */
    public static String section(String title) {
        try {
            String text = Files.readString(README, StandardCharsets.UTF_8);
            int start = text.indexOf("\n## " + title);
            if (start < 0) {
                throw new IllegalStateException("README.md has no section '## " + title + "'");
            }
            int end = text.indexOf("\n## ", start + 1);
            return text.substring(start + 1, end < 0 ? text.length() : end + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
