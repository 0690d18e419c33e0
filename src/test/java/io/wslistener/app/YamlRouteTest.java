package io.wslistener.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wslistener.testsupport.FeedFiles;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route written only in YAML in a test resource folder, loaded by camel-main (Camel's own camel-main test support),
 * against an in-process WebSocket server.
 */
@CamelMainTest(properties = "camel.main.routesIncludePattern=classpath:routes/test-feed.yaml")
class YamlRouteTest {

    private static final int MESSAGES = 5_000;
    private static final TestWebSocketServer server = new TestWebSocketServer();

    @TempDir
    static Path dataDir;

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void startServer() {
        server.start();
        // what the route's {{test.port}} and {{test.dir}} resolve to: the annotation's properties are constants
        System.setProperty("test.port", Integer.toString(server.port()));
        System.setProperty("test.dir", dataDir.toString());
    }

    @AfterAll
    static void stopServer() {
        System.clearProperty("test.port");
        System.clearProperty("test.dir");
        server.close();
    }

    @Test
    void yamlRouteWritesEveryMessageInOrder() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openSockets() == 1);
        NotifyBuilder routed = new NotifyBuilder(context).fromRoute("test-feed").whenCompleted(MESSAGES).create();
        server.sendTexts(MESSAGES, i -> "{\"seq\":" + i + "}").get(30, TimeUnit.SECONDS);

        assertTrue(routed.matches(30, TimeUnit.SECONDS), "every message went through the route");
        await().atMost(Duration.ofSeconds(10)).until(() -> FeedFiles.sequences(dataDir).size() >= MESSAGES);
        List<Long> sequences = FeedFiles.sequences(dataDir);
        assertEquals(MESSAGES, sequences.size(), "messages written");
        assertEquals(-1, FeedFiles.firstGap(sequences), "position of the first missing or reordered message");
    }
}
