package io.wslistener.app;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start-up with a broken route file or an unknown property stops with a message naming the file or the property.
 */
class StartupFailureTest {

    @TempDir
    Path dir;

    @Test
    void malformedYamlRouteNamesTheFileAndLine() {
        String message = startupFailure(new String[]{ "--routes", "src/test/resources/broken-routes" });
        assertTrue(message.contains("broken.yaml"), message);
        assertTrue(message.contains("line 7"), message);
    }

    @Test
    void unknownWsListenerPropertyNamesTheRouteAndProperty() throws Exception {
        Path properties = withExtraProperty("wslistener.pingIntervall = 5s");
        String message = startupFailure(new String[]{ "--properties", properties.toString() });
        assertTrue(message.contains("wslistener.pingIntervall"), message);
        assertTrue(message.contains("demo-feed"), message);
    }

    @Test
    void unknownCamelPropertyNamesTheProperty() throws Exception {
        Path properties = withExtraProperty("camel.main.routesIncludePatern = file:routes/*.yaml");
        String message = startupFailure(new String[]{ "--properties", properties.toString() });
        assertTrue(message.contains("routesIncludePatern"), message);
    }

    @Test
    void theApplicationExitsNonZero() {
        assertEquals(1, WsListenerApplication.run(new String[]{ "--routes", "src/test/resources/broken-routes" }));
    }

    private Path withExtraProperty(String line) throws Exception {
        Path file = dir.resolve("application.properties");
        String shipped = Files.readString(Path.of("application.properties"));
        Files.writeString(file, shipped + System.lineSeparator() + "wslistener.demo.port = 0" + System.lineSeparator()
                + "camel.management.port = " + AvailablePortFinder.getNextAvailable() + System.lineSeparator()
                + line + System.lineSeparator());
        return file;
    }

    private static String startupFailure(String[] args) {
        Main main = WsListenerApplication.createMain(args);
        main.addOverrideProperty("camel.management.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
        Exception failure = assertThrows(Exception.class, () -> {
            try {
                main.start();
            } finally {
                main.stop();
            }
        });
        return WsListenerApplication.describe(failure);
    }
}
