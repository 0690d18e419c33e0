package io.wslistener.sink;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FileSinkTest {

    @TempDir
    Path dir;

    @Test
    void hundredThousandMessagesLandInOrder() throws Exception {
        CamelContext context = SinkCamel.create().property("dir", dir).start("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - to: "kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl"
                """);
        ProducerTemplate template = context.createProducerTemplate();
        int count = 100_000;
        for (int i = 1; i <= count; i++) {
            template.sendBody("direct:in", "{\"n\":" + i + "}");
        }
        context.stop();

        List<String> lines = Files.readAllLines(dir.resolve("feed.jsonl"), StandardCharsets.UTF_8);
        assertEquals(count, lines.size());
        for (int i = 0; i < count; i++) {
            assertEquals("{\"n\":" + (i + 1) + "}", lines.get(i));
        }
    }
}
