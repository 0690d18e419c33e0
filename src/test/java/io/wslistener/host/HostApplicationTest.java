package io.wslistener.host;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.wslistener.connection.ConnectionState;
import io.wslistener.demo.DemoFeedServer;
import io.wslistener.source.WsListenerConsumer;
import io.wslistener.spi.FeedObserver;
import io.wslistener.testsupport.Docs;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ws-listener as a library in a host camel-main application: plain {@code org.apache.camel.main.Main}, the host's own
 * properties (src/test/resources/host-app), and the route exactly as docs/library.md prints it.
 */
class HostApplicationTest {

    @TempDir
    Path routesDir;

    @TempDir
    Path dataDir;

    private final TestWebSocketServer server = new TestWebSocketServer();
    private Main main;

    @AfterEach
    void tearDown() throws Exception {
        if (main != null) {
            main.stop();
        }
        server.close();
    }

    @Test
    void hostRouteConnectsThroughThePolicySurvivesARestartAndWritesToTheSinkKamelet() throws Exception {
        server.autoSendOnConnect(5, n -> "{\"n\":" + n + "}");
        server.start();
        Files.writeString(routesDir.resolve("ticker.yaml"), librarySnippet("host-route"));

        main = new Main();
        main.setDefaultPropertyPlaceholderLocation("classpath:host-app/application.properties");
        main.addOverrideProperty("camel.main.routesIncludePattern", "file:" + routesDir + "/*.yaml");
        main.addOverrideProperty("ticker.port", Integer.toString(server.port()));
        main.addOverrideProperty("ticker.dataDir", dataDir.toString());
        main.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> lines().size() >= 5);
        WsListenerConsumer consumer = (WsListenerConsumer) main.getCamelContext().getRoute("ticker").getConsumer();
        assertEquals(Duration.ofSeconds(5), consumer.getSettings().getPingInterval(),
                "the route's policy bean set the ping interval");
        assertEquals(Duration.ofMillis(100), consumer.getSettings().getInitialDelay(),
                "the host's wslistener.initialDelay is the default for what the bean leaves unset");
        assertEquals(List.of("{\"op\":\"subscribe\",\"channels\":[\"ticker\"]}"), server.receivedTexts(),
                "the policy's open message was sent");

        server.restart();
        await().atMost(Duration.ofSeconds(20)).until(() -> lines().size() >= 10);
        assertEquals(ConnectionState.OPEN, consumer.getLoop().state());
        assertEquals(2, server.totalConnections(), "reconnected once after the restart");
        assertEquals(2, server.receivedTexts().size(), "the open message was sent again on the new connection");

        assertFalse(listening(8765), "the demo feed of the standalone application must not start in a host");
        assertNull(main.getCamelContext().hasService(DemoFeedServer.class), "no demo feed service");
        assertFalse(main.getCamelContext().getRegistry().findByType(FeedObserver.class).isEmpty(),
                "the library's observers were registered by its ContextServicePlugin");
        assertEquals("host", main.getCamelContext().getName(), "the host's own properties are in force");
    }

    private List<String> lines() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            List<Path> sorted = files.filter(p -> p.getFileName().toString().startsWith("ticker-")).sorted().toList();
            List<String> lines = new java.util.ArrayList<>();
            for (Path file : sorted) {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
            return lines;
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The yaml block that follows {@code <!-- snippet:name -->} on docs/library.md. */
    static String librarySnippet(String name) {
        String page = Docs.page("docs/library.md");
        int marker = page.indexOf("<!-- snippet:" + name + " -->");
        assertTrue(marker >= 0, "docs/library.md has no snippet " + name);
        return Docs.yamlBlocks(page.substring(marker)).get(0);
    }
}
