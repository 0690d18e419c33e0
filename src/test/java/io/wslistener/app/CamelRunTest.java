package io.wslistener.app;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wslistener.testsupport.FeedFiles;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mvn camel:run} from the project root, as the README shows it: camel-maven-plugin runs the standalone
 * application inside Maven with the shipped properties and routes; the demo feed reaches the file sink and health
 * says UP. Ports and the data folder are moved with {@code -D}, as a user can; the run is bounded by
 * {@code -Dcamel.duration} and stopped (SIGTERM) once seen working.
 */
class CamelRunTest {

    @TempDir
    Path dir;

    @Test
    void mvnCamelRunStartsTheShippedRoutes() throws Exception {
        int managementPort = AvailablePortFinder.getNextAvailable();
        Path data = dir.resolve("data");
        Path log = dir.resolve("camel-run.log");
        List<String> command = List.of(maven(), "-B", "-q", "camel:run",
                "-Dwslistener.demo.port=" + AvailablePortFinder.getNextAvailable(),
                "-Dcamel.management.port=" + managementPort,
                "-Dfeed.dataDir=" + data,
                "-Dwslistener.demo.rate=50",
                // a bound of its own, should this test be killed before it stops the run
                "-Dcamel.duration=300");
        Process maven = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .failFast("mvn camel:run ended", () -> !maven.isAlive())
                    .ignoreExceptions()
                    .until(() -> http.send(health, HttpResponse.BodyHandlers.ofString()).body().contains("\"UP\""));
            await().atMost(Duration.ofSeconds(60)).failFast("mvn camel:run ended", () -> !maven.isAlive())
                    .until(() -> FeedFiles.sequences(data).size() >= 20);
            assertEquals(-1, FeedFiles.firstGap(FeedFiles.sequences(data)), "in order, none missing");
            String output = Files.readString(log);
            assertTrue(output.contains("Route 'demo-feed': connected to"), output);
            assertTrue(
                    output.contains("Using custom io.wslistener.app.WsListenerApplication")
                            || output.contains("(ws-listener) started"),
                    output);
        } finally {
            maven.destroy();
            if (!maven.waitFor(60, TimeUnit.SECONDS)) {
                maven.destroyForcibly();
                maven.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The mvn of this build (Maven sets maven.home for surefire), else the one on the PATH. */
    private static String maven() {
        String home = System.getProperty("maven.home");
        if (home != null) {
            File mvn = Path.of(home, "bin", "mvn").toFile();
            if (mvn.canExecute()) {
                return mvn.getPath();
            }
        }
        return "mvn";
    }
}
