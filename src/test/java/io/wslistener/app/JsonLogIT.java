package io.wslistener.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.wslistener.testsupport.AppInstance;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code wslistener.log.format = json}: the standalone application, in a JVM of its own with the shipped routes, writes
 * its console log as JSON lines, and the connection lines carry route, event, connection and cause as fields.
 */
class JsonLogIT {

    @TempDir
    Path dir;

    @Test
    void everyLineIsJsonAndConnectionLinesCarryTheirFields() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer().start()) {
            Path properties = properties(server.port(), "wslistener.log.format = json");
            try (AppInstance app = AppInstance.start("json-log", dir, properties)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> connectionEvent(app, "connected") != null);
                server.closeAll((short) 4000, "maintenance");
                await().atMost(Duration.ofSeconds(20)).until(() -> connectionEvent(app, "disconnected") != null);
                server.stop();
                // attempts are now refused (the first may still see the server closing)
                await().atMost(Duration.ofSeconds(20)).until(() -> refusedAttempt(app) != null);

                Map<String, Object> connected = connectionEvent(app, "connected");
                assertEquals("demo-feed", connected.get("route"));
                assertEquals("1", connected.get("connection"));
                assertEquals("INFO", connected.get("level"));
                assertEquals("io.wslistener.connection", connected.get("logger"));
                assertTrue(((String) connected.get("message")).startsWith("Route 'demo-feed': connected to"),
                        connected.toString());
                assertTrue(((String) connected.get("timestamp")).endsWith("Z"), connected.toString());

                Map<String, Object> disconnected = connectionEvent(app, "disconnected");
                assertEquals("demo-feed", disconnected.get("route"));
                assertEquals("1", disconnected.get("connection"));
                assertEquals("maintenance", disconnected.get("cause"));
                assertEquals("4000", disconnected.get("closeCode"));

                Map<String, Object> failed = refusedAttempt(app);
                assertEquals("WARN", failed.get("level"));
                assertEquals("demo-feed", failed.get("route"));
                assertTrue(((String) failed.get("message")).contains((String) failed.get("cause")), failed.toString());

                // the fields come from the line only: the next line of the same thread has none of them
                List<Map<String, Object>> lines = lines(app);
                assertTrue(lines.stream().anyMatch(l -> !"io.wslistener.connection".equals(l.get("logger"))
                        && l.get("event") == null), "other loggers' lines have no connection fields");
            }
        }
    }

    @Test
    void anUnknownFormatStopsTheStartWithAClearError() throws Exception {
        Path properties = properties(1, "wslistener.log.format = xml");
        try (AppInstance app = AppInstance.start("bad-format", dir, properties)) {
            assertNotEquals(0, app.awaitExit());
            assertTrue(app.logText().contains("Invalid wslistener.log.format 'xml': use text or json"), app.logText());
        }
    }

    /** The shipped properties, with the feed pointed at the test server and free ports. */
    private Path properties(int feedPort, String extra) throws Exception {
        return AppInstance.shippedProperties(dir, "feed.uri = ws-listener:127.0.0.1:" + feedPort + "/feed",
                "feed.dataDir = " + dir.resolve("data"),
                "camel.management.port = " + AvailablePortFinder.getNextAvailable(), "wslistener.initialDelay = 100ms",
                "wslistener.maxDelay = 200ms", extra);
    }

    private static Map<String, Object> refusedAttempt(AppInstance app) {
        return lines(app).stream().filter(l -> "attempt-failed".equals(l.get("event"))
                && String.valueOf(l.get("cause")).contains("Connection refused")).findFirst().orElse(null);
    }

    private static Map<String, Object> connectionEvent(AppInstance app, String event) {
        return lines(app).stream().filter(l -> event.equals(l.get("event"))).findFirst().orElse(null);
    }

    /** Every line of the output parsed as a JSON object: a line that is not one fails the test. */
    private static List<Map<String, Object>> lines(AppInstance app) {
        List<Map<String, Object>> parsed = new ArrayList<>();
        for (String line : app.logText().lines().toList()) {
            try {
                parsed.add((JsonObject) Jsoner.deserialize(line));
            } catch (Exception | Error e) {
                fail("not a JSON line: " + line + "\n" + app.logTail());
            }
        }
        return parsed;
    }
}
