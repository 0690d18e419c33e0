package io.wslistener.security;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import io.wslistener.app.WsListenerApplication;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * camel-main's management server as shipped, with the developer console switched on the way docs/observability.md
 * shows: nobody without credentials writes or reads a file through it, the probes answer, and a configuration that would
 * show the console to the network without authentication does not start.
 */
class ManagementServerTest {

    private static final String PASSWORD = "s3cret-admin-pw";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void withoutCredentialsSendReceiveAndReloadDoNothingWhileTheProbesAnswer() throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"), "user.admin = " + PASSWORD + "\n");
        Path secretFile = Files.writeString(dir.resolve("secret.txt"), "the content of a file");
        int port = AvailablePortFinder.getNextAvailable();
        Main main = shippedMainWithConsole(port);
        main.addOverrideProperty("camel.management.basicPropertiesFile", users.toString());
        // the metrics behind the same credentials, as docs/security.md shows
        main.addOverrideProperty("camel.metrics.path", "/q/metrics");
        main.start();
        try {
            Path written = dir.resolve("written");
            for (String path : List.of(
                    "/q/dev/send?endpoint=" + encode("file:" + written) + "&body=x",
                    "/q/dev/receive?endpoint=" + encode("file:" + dir + "?fileName=secret.txt&noop=true")
                            + "&enabled=true",
                    "/q/dev/receive?dump=true",
                    "/q/dev/reload",
                    "/q/dev", "/q/dev/properties", "/q/metrics")) {
                HttpResponse<String> response = get(port, path, false);
                assertEquals(401, response.statusCode(), path + ": " + response.body());
                assertFalse(response.body().contains("the content of a file"), path);
            }
            assertFalse(Files.exists(written), "send wrote no file");
            assertTrue(Files.exists(secretFile));

            // the probes need no credentials, and the credentials work where they are needed
            assertEquals(200, get(port, "/observe/health/live", false).statusCode());
            int ready = get(port, "/observe/health/ready", false).statusCode();
            assertTrue(ready == 200 || ready == 503, "readiness answers: " + ready);
            assertEquals(200, get(port, "/q/dev/ws-listener", true).statusCode());
            HttpResponse<String> metrics = get(port, "/q/metrics", true);
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("wslistener_connection_state"), metrics.body());
        } finally {
            main.stop();
        }
    }

    @Test
    void onLoopbackWithoutAuthenticationTheConsolesThatActOrReadDataAreNotServed() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Main main = shippedMainWithConsole(port);
        main.addOverrideProperty("camel.management.authenticationEnabled", "false");
        main.start();
        try {
            Path written = dir.resolve("written");
            HttpResponse<String> send = get(port, "/q/dev/send?endpoint=" + encode("file:" + written) + "&body=x",
                    false);
            assertEquals("Developer Console not found: send", send.body());
            HttpResponse<String> receive = get(port, "/q/dev/receive?endpoint="
                    + encode("file:" + dir + "?noop=true") + "&enabled=true", false);
            assertEquals("Developer Console not found: receive", receive.body());
            assertEquals("Developer Console not found: reload", get(port, "/q/dev/reload", false).body());
            assertFalse(Files.exists(written), "send wrote no file");

            String index = get(port, "/q/dev", false).body();
            assertTrue(index.contains("ws-listener:"), index);
            for (String console : MaskedDevConsoleRegistry.NEED_AUTHENTICATION) {
                assertFalse(index.lines().anyMatch(line -> line.startsWith(console + ":")), console + " listed");
            }
        } finally {
            main.stop();
        }
    }

    @Test
    void theConsoleOnAnotherHostThanLoopbackWithoutAuthenticationIsRefusedAtStart() {
        Main main = shippedMainWithConsole(AvailablePortFinder.getNextAvailable());
        main.addOverrideProperty("camel.management.host", "0.0.0.0");
        main.addOverrideProperty("camel.management.authenticationEnabled", "false");

        String message = startupFailure(main);
        assertTrue(message.contains("camel.management.devConsoleEnabled=true on camel.management.host=0.0.0.0"),
                message);
        assertTrue(message.contains("camel.management.authenticationEnabled=true with "
                + "camel.management.basicPropertiesFile"), message);
    }

    @Test
    void authenticationWithAUsersFileThatIsNotThereIsRefusedAtStart() {
        Main main = shippedMainWithConsole(AvailablePortFinder.getNextAvailable());
        main.addOverrideProperty("camel.management.basicPropertiesFile", dir.resolve("missing").toString());

        String message = startupFailure(main);
        assertTrue(message.contains("camel.management.basicPropertiesFile=" + dir.resolve("missing")
                + " does not exist or cannot be read"), message);
    }

    @Test
    void sendWithoutAuthenticationIsRefusedEvenOnLoopback() {
        Main main = WsListenerApplication.createMain(new String[0]);
        main.addOverrideProperty("wslistener.demo.enabled", "false");
        main.addOverrideProperty("camel.management.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("camel.management.sendEnabled", "true");

        String message = startupFailure(main);
        assertTrue(message.contains("camel.management.sendEnabled=true would let anyone"), message);
    }

    private Main shippedMainWithConsole(int port) {
        Main main = WsListenerApplication.createMain(new String[0]);
        main.addOverrideProperty("wslistener.demo.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("feed.dataDir", dir.resolve("data").toString());
        main.addOverrideProperty("camel.management.port", Integer.toString(port));
        main.addOverrideProperty("camel.main.devConsoleEnabled", "true");
        main.addOverrideProperty("camel.management.devConsoleEnabled", "true");
        return main;
    }

    private static String startupFailure(Main main) {
        Exception failure = assertThrows(Exception.class, () -> {
            try {
                main.start();
            } finally {
                main.stop();
            }
        });
        return WsListenerApplication.describe(failure);
    }

    private HttpResponse<String> get(int port, String path, boolean credentials)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (credentials) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
