package io.wslistener.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A route written only in YAML in a test resource folder, against an in-process Vert.x WebSocket server.
 */
class YamlRouteTest extends CamelTestSupport {

    private static final int MESSAGES = 5_000;
    private static Vertx vertx;
    private static HttpServer server;

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().webSocketHandler(YamlRouteTest::sendAll);
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopServer() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void sendAll(ServerWebSocket ws) {
        for (int i = 1; i <= MESSAGES; i++) {
            ws.writeTextMessage("{\"seq\":" + i + "}");
        }
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        Properties properties = new Properties();
        properties.setProperty("test.port", Integer.toString(server.actualPort()));
        properties.setProperty("test.dir", dataDir.toString());
        context.getPropertiesComponent().setInitialProperties(properties);
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.resolveMandatoryResource(context, "classpath:routes/test-feed.yaml"));
        return context;
    }

    @Test
    void yamlRouteWritesEveryMessageInOrder() {
        await().atMost(Duration.ofSeconds(30)).until(() -> FeedFiles.sequences(dataDir).size() >= MESSAGES);
        List<Long> sequences = FeedFiles.sequences(dataDir);
        assertEquals(MESSAGES, sequences.size(), "messages written");
        assertEquals(-1, FeedFiles.firstGap(sequences), "position of the first missing or reordered message");
    }
}
