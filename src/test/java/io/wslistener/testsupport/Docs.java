package io.wslistener.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sections and YAML blocks of the documentation pages (README.md, docs/*.md), so that tests load the YAML the pages
 * print, exactly as printed.
 */
public final class Docs {

    private static final String YAML_FENCE = "```yaml";

    private Docs() {
    }

    /** The text of {@code page}, a path relative to the project root such as {@code "docs/sinks.md"}. */
    public static String page(String page) {
        try {
            return Files.readString(Path.of(page), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read documentation page " + page, e);
        }
    }

    /**
     * The section of {@code page} whose heading (any level, {@code #} to {@code ####}) starts with {@code title}, from
     * its heading up to the next heading of the same or a higher level. Lines inside fenced code blocks are never
     * headings (a {@code #} comment in a properties block is not one).
     */
    public static String section(String page, String title) {
        List<String> lines = page(page).lines().toList();
        int start = -1;
        int level = 0;
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            int headingLevel = fenced ? 0 : headingLevel(line);
            if (headingLevel == 0) {
                continue;
            }
            if (start < 0) {
                if (line.substring(headingLevel).strip().startsWith(title)) {
                    start = i;
                    level = headingLevel;
                }
            } else if (headingLevel <= level) {
                return join(lines.subList(start, i));
            }
        }
        if (start < 0) {
            throw new IllegalStateException(page + " has no section whose heading starts with '" + title + "'");
        }
        return join(lines.subList(start, lines.size()));
    }

    /** The contents of the {@code ```yaml} fenced blocks of {@code markdown}, in order, each ending with a newline. */
    public static List<String> yamlBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : markdown.lines().toList()) {
            String trimmed = line.strip();
            if (block == null) {
                if (trimmed.equals(YAML_FENCE)) {
                    block = new StringBuilder();
                }
            } else if (trimmed.equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else {
                block.append(line).append('\n');
            }
        }
        if (block != null) {
            throw new IllegalStateException("a ```yaml block is not closed:\n" + block);
        }
        return blocks;
    }

    /** 1 to 6 for a markdown heading line ({@code #}s followed by a space), 0 for any other line. */
    private static int headingLevel(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == '#') {
            n++;
        }
        return n > 0 && n <= 6 && n < line.length() && line.charAt(n) == ' ' ? n : 0;
    }

    private static String join(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }
}
