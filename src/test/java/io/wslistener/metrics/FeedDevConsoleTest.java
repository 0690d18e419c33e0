package io.wslistener.metrics;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.wslistener.testsupport.Docs;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ws-listener dev console as camel-main's management server serves it (/q/dev/ws-listener), in text and JSON,
 * while the feed is connected and again while it backs off from a server that went away.
 */
class FeedDevConsoleTest {

    private static final String CONSOLE = "/q/dev/ws-listener";

    private TestWebSocketServer server;
    private ObservedMain app;
    private ManagementClient client;

    @BeforeEach
    void start() throws Exception {
        server = new TestWebSocketServer().start();
        int port = server.port();
        app = new ObservedMain(AvailablePortFinder.getNextAvailable());
        // the switches as docs/observability.md prints them
        Properties switches = new Properties();
        switches.load(new StringReader(propertiesBlock(Docs.section("docs/observability.md", "Dev console"))));
        assertEquals(Set.of("camel.main.devConsoleEnabled", "camel.management.devConsoleEnabled"),
                switches.stringPropertyNames());
        switches.stringPropertyNames().forEach(key -> app.property(key, switches.getProperty(key)));
        app.routes(new RouteBuilder() {

            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + port + "/feed?query.token=s3cret").routeId("feed")
                        .to("log:feed?level=OFF");
            }
        }).start();
        client = app.client();
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void listsTheFeedWhileConnectedAndWhileItBacksOff() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> "OPEN".equals(feed().get("state")));
        server.sendTexts(5, i -> "message " + i).get(10, TimeUnit.SECONDS);
        // all five processed, and a pong has come back within a few ping intervals
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Object> f = feed();
            return ((Number) f.get("messages")).longValue() == 5 && ((Number) f.get("inFlight")).longValue() == 0
                    && f.containsKey("lastPongRoundTripMillis");
        });

        Map<String, Object> connected = feed();
        assertEquals(1L, ((Number) connected.get("connection")).longValue());
        String url = (String) connected.get("url");
        assertTrue(url.startsWith("ws://127.0.0.1:" + server.port() + "/feed"), url);
        assertFalse(url.contains("s3cret"), "the URL is masked: " + url);
        assertEquals(0L, ((Number) connected.get("inFlight")).longValue());
        assertEquals(false, connected.get("readingPaused"));
        assertEquals(0L, ((Number) connected.get("pausedMillis")).longValue());
        assertTrue(((Number) connected.get("messagesPerSecond")).doubleValue() >= 0);
        assertTrue(((Number) connected.get("lastPongRoundTripMillis")).doubleValue() >= 0);
        assertNull(connected.get("lastFailure"), "no failure yet");
        assertTrue(((Number) connected.get("since")).longValue() <= System.currentTimeMillis());

        String text = text();
        assertTrue(text.contains("Route feed: open since"), text);
        assertTrue(text.contains("connection #1"), text);
        assertTrue(text.contains("Messages: 5 ("), text);
        assertTrue(text.contains("Last failure: none"), text);
        assertFalse(text.contains("s3cret"), text);

        // the server goes away: attempts are refused and the loop waits between them
        server.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Object> f = feed();
            return "BACKING_OFF".equals(f.get("state")) && ((Number) f.get("failedInARow")).longValue() >= 2
                    && String.valueOf(f.get("lastFailure")).contains("Connection refused");
        });
        Map<String, Object> backingOff = feed();
        String failure = (String) backingOff.get("lastFailure");
        assertNotNull(failure);
        assertTrue(failure.contains("ConnectException"), failure);
        assertNotNull(backingOff.get("lastFailureAt"));
        assertEquals(1L, ((Number) backingOff.get("connection")).longValue(), "no connection since");
        assertEquals(5L, ((Number) backingOff.get("messages")).longValue());

        String backingOffText = text();
        assertTrue(backingOffText.contains("Route feed: backing off since"), backingOffText);
        assertTrue(backingOffText.contains("Last failure: " + failure.substring(0, 20)), backingOffText);
    }

    @Test
    void isListedInTheConsoleIndex() throws Exception {
        HttpResponse<String> index = client.get("/q/dev");
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("ws-listener: State, connection and traffic"), index.body());
    }

    private static String propertiesBlock(String markdown) {
        int start = markdown.indexOf("```properties\n");
        assertTrue(start >= 0, markdown);
        start += "```properties\n".length();
        return markdown.substring(start, markdown.indexOf("```", start));
    }

    private Map<String, Object> feed() throws Exception {
        HttpResponse<String> response = client.get(CONSOLE, "application/json");
        assertEquals(200, response.statusCode(), response.body());
        JsonObject root = (JsonObject) Jsoner.deserialize(response.body());
        JsonObject console = (JsonObject) root.get("ws-listener");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> feeds = (List<Map<String, Object>>) console.get("feeds");
        assertEquals(1, feeds.size(), response.body());
        assertEquals("feed", feeds.get(0).get("routeId"));
        return feeds.get(0);
    }

    private String text() throws Exception {
        HttpResponse<String> response = client.get(CONSOLE, "text/plain");
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }
}
