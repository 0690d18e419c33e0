package io.wslistener.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocsTest {

    private static final String PAGE = """
            # Title

            intro

            ## Sinks

            text
            ```properties
            # not a heading
            a = 1
            ```

            ### File sink

            ```yaml
            - to: "log:a"
            ```

            ## Security

            ```yaml
            - route:
                from:
                  uri: direct:a
            ```
            """;

    @TempDir
    Path dir;

    private String page() throws Exception {
        Path page = dir.resolve("page.md");
        Files.writeString(page, PAGE);
        return page.toString();
    }

    @Test
    void aSectionRunsToTheNextHeadingOfTheSameOrAHigherLevel() throws Exception {
        String sinks = Docs.section(page(), "Sinks");

        assertTrue(sinks.startsWith("## Sinks\n"), sinks);
        assertTrue(sinks.contains("# not a heading"), sinks);
        assertTrue(sinks.contains("### File sink"), sinks);
        assertTrue(sinks.endsWith("```\n\n"), sinks);
        assertEquals("### File sink\n\n```yaml\n- to: \"log:a\"\n```\n\n", Docs.section(page(), "File"));
        assertTrue(Docs.section(page(), "Title").contains("## Security"));
    }

    @Test
    void aMissingSectionNamesThePageAndTheTitle() throws Exception {
        String page = page();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Docs.section(page, "Metrics"));

        assertTrue(e.getMessage().contains(page) && e.getMessage().contains("'Metrics'"), e.getMessage());
    }

    @Test
    void yamlBlocksAreTheYamlFencesOnly() throws Exception {
        assertEquals(List.of("- to: \"log:a\"\n", "- route:\n    from:\n      uri: direct:a\n"),
                Docs.yamlBlocks(Docs.page(page())));
        assertEquals(List.of("- to: \"log:a\"\n"), Docs.yamlBlocks(Docs.section(page(), "Sinks")));
    }
}
