package io.wslistener.features;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The resync recipe of docs/connection-policy.md, run as printed against a loopback feed and REST server.
 */
class ResyncRecipeTest extends FeatureTestSupport {

    @TempDir
    Path dir;

    @Test
    void theSnapshotIsWrittenOnEveryConnectAndAfterAGapBeforeTheUpdates() throws Exception {
        String yaml = ConnectionPolicyDocsTest.yamlBlocks(ConnectionPolicyDocsTest.section("docs/connection-policy.md",
                "Recipe: re-fetch the snapshot")).get(0);
        try (TestWebSocketServer feed = new TestWebSocketServer(serverVertx).start();
                HttpTestServer rest = new HttpTestServer().start()) {
            int[] first = { 1, 2, 3, 7 }; // 4 to 6 lost: a gap
            feed.autoSendOnConnect(first.length, i -> "{\"seq\":" + first[i - 1] + "}");
            rest.respondWith(200, java.util.Map.of(), "{\"snapshot\":1}");
            rest.respondWith(200, java.util.Map.of(), "{\"snapshot\":2}");
            rest.respondWith(200, java.util.Map.of(), "{\"snapshot\":3}");
            yamlCamel.property("book.feed", "127.0.0.1:" + feed.port() + "/book")
                    .property("book.snapshot", rest.url("/v1/book"))
                    .property("book.dir", dir.toString())
                    .start(yaml);
            Path file = dir.resolve("book.jsonl");

            await().atMost(10, TimeUnit.SECONDS).until(() -> lines(file).size() == 6);
            feed.stopAutoSend();
            feed.autoSendOnConnect(1, i -> "{\"seq\":8}");
            feed.closeAll((short) 1012, "restart").get(5, TimeUnit.SECONDS);
            await().atMost(10, TimeUnit.SECONDS).until(() -> lines(file).size() == 8);

            assertEquals(List.of("{\"snapshot\":1}", "{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}", "{\"snapshot\":2}",
                    "{\"seq\":7}", "{\"snapshot\":3}", "{\"seq\":8}"), lines(file));
            assertEquals(3, rest.requests().size());
            assertEquals("GET", rest.requests().get(0).method());
        }
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }
}
