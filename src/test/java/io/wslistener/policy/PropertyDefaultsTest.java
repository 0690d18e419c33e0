package io.wslistener.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.wslistener.app.WsListenerApplication;
import io.wslistener.source.WsListenerConsumer;
import io.wslistener.testsupport.PolicyYaml;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code wslistener.*} application properties are resolved once for all the routes that start together, and read
 * again after a reload: the application as shipped (camel-main, a properties file, YAML routes) against a local
 * server.
 */
class PropertyDefaultsTest {

    private static final int FEEDS = 20;

    @TempDir
    Path dir;

    private TestWebSocketServer server;
    private Main main;

    @BeforeEach
    void startServer() {
        server = new TestWebSocketServer().start();
    }

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
        server.close();
    }

    @Test
    void routesThatStartTogetherShareOneResolution() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        StringBuilder yaml = new StringBuilder();
        for (int i = 1; i <= FEEDS; i++) {
            yaml.append(feed("feed-" + i, "/feeds/" + i));
        }
        Files.writeString(routes.resolve("feeds.yaml"), yaml);
        Path properties = properties("wslistener.pingInterval = 7s");
        main = WsListenerApplication.createMain(
                new String[]{ "--properties", properties.toString(), "--routes", routes.toString() });
        AtomicInteger lookups = new AtomicInteger();
        main.addMainListener(new MainListenerSupport() {

            @Override
            public void beforeConfigure(BaseMainSupport support) {
                ((PropertiesComponent) support.getCamelContext().getPropertiesComponent())
                        .addPropertiesLookupListener((name, value, defaultValue, source) -> {
                            if (name.equals("wslistener.pingInterval")) {
                                lookups.incrementAndGet();
                            }
                        });
            }
        });

        main.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> server.openSockets() == FEEDS);
        for (int i = 1; i <= FEEDS; i++) {
            assertEquals(Duration.ofSeconds(7), consumer(main.getCamelContext(), "feed-" + i).getSettings()
                    .getPingInterval(), "feed-" + i);
        }
        // one when the context initializes (the secret masking reads every property), one for all the routes
        assertEquals(2, lookups.get(), "look-ups of wslistener.pingInterval with " + FEEDS + " routes");
    }

    @Test
    void aRouteReloadReadsTheChangedPropertiesFile() throws Exception {
        // camel:run's live reload: the routes folder is watched, properties files included
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("feed.yaml"), feed("quotes", "/quotes"));
        Path properties = routes.resolve("application.properties");
        Files.writeString(properties, propertiesText("wslistener.pingInterval = 7s",
                "camel.main.routesReloadEnabled = true",
                "camel.main.routesReloadDirectory = " + routes,
                "camel.main.routesReloadPattern = *.yaml,*.properties"));
        main = WsListenerApplication.createMain(
                new String[]{ "--properties", properties.toString(), "--routes", routes.toString() });
        main.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.openSockets() == 1);
        WsListenerConsumer before = consumer(main.getCamelContext(), "quotes");
        assertEquals(Duration.ofSeconds(7), before.getSettings().getPingInterval());

        Files.writeString(properties, Files.readString(properties).replace("pingInterval = 7s", "pingInterval = 3s"));

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            WsListenerConsumer now = consumer(main.getCamelContext(), "quotes");
            return now != null && now != before && now.getSettings() != null;
        });
        assertEquals(Duration.ofSeconds(3), consumer(main.getCamelContext(), "quotes").getSettings()
                .getPingInterval(), "the reloaded route's setting");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.totalConnections() == 2 && server.openSockets() == 1);
    }

    private String feed(String routeId, String path) {
        return PolicyYaml.plainRoute(routeId, server.listenerUri(path), true);
    }

    private Path properties(String... lines) throws Exception {
        Path file = dir.resolve("application.properties");
        Files.writeString(file, propertiesText(lines));
        return file;
    }

    private static String propertiesText(String... lines) {
        return """
                camel.main.name = property-defaults
                camel.main.shutdownTimeout = 10
                camel.management.port = 0
                wslistener.demo.enabled = false
                """ + String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    private static WsListenerConsumer consumer(CamelContext context, String routeId) {
        Route route = context.getRoute(routeId);
        return route != null && route.getConsumer() instanceof WsListenerConsumer consumer ? consumer : null;
    }
}
