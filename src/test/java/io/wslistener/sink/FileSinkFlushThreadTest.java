package io.wslistener.sink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many files, one flush timer: a feed per file must not cost a thread per feed.
 */
class FileSinkFlushThreadTest {

    private static final int FILES = 20;

    @TempDir
    Path dir;

    @Test
    void everyFileOfTheContextIsFlushedByOneSharedTimerThread() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {

                @Override
                public void configure() {
                    for (int i = 0; i < FILES; i++) {
                        from("direct:feed" + i).to("sink-file:" + dir + "?fileName=feed" + i
                                + ".jsonl&flushEvery=1000&flushInterval=100ms");
                    }
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            for (int i = 0; i < FILES; i++) {
                template.sendBody("direct:feed" + i, "{\"n\":" + i + "}");
            }

            // no batch end and far from flushEvery: only the timer can have written them
            await().atMost(Duration.ofSeconds(5)).until(() -> flushedFiles() == FILES);
            assertEquals(1, Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().contains("SinkFileFlush")).count(), "flush timer threads");
        }
    }

    private long flushedFiles() throws Exception {
        long flushed = 0;
        for (int i = 0; i < FILES; i++) {
            Path file = dir.resolve("feed" + i + ".jsonl");
            if (Files.exists(file) && Files.size(file) > 0) {
                flushed++;
            }
        }
        return flushed;
    }
}
