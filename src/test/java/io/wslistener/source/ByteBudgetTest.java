package io.wslistener.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wslistener.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In-flight is bounded in bytes: a feed of 1 MB messages behind a route that never finishes one, in a JVM of its own
 * with a 256 MB heap, pauses the socket with a few dozen messages held, instead of taking in maxInFlight (1000) of
 * them and running out of memory.
 */
class ByteBudgetTest {

    private static final int MESSAGE_CHARS = 1_000_000;
    private static final int OFFERED = 400; // 400 MB: more than the child's heap

    private final TestWebSocketServer server = new TestWebSocketServer().writeQueueMaxSize(4 << 20);
    private Process child;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        server.close();
    }

    @Test
    void megabyteMessagesBehindAStuckRouteFitA256MbHeap() throws Exception {
        server.start();
        Path log = dir.resolve("child.log");
        child = startChild(log, server.port());
        await().atMost(30, TimeUnit.SECONDS).until(() -> server.openSockets() == 1);

        String body = "x".repeat(MESSAGE_CHARS);
        server.sendTexts(OFFERED, i -> body);

        // the server is held back: once the hand-off holds its 32 MB (plus what the sockets buffer) nothing more is
        // taken in, and the count of what was sent stops moving
        long[] last = { -1, System.nanoTime() };
        await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).until(() -> {
            long sent = server.lastConnection().messagesSent();
            if (sent != last[0]) {
                last[0] = sent;
                last[1] = System.nanoTime();
            }
            return sent > 0 && System.nanoTime() - last[1] > TimeUnit.SECONDS.toNanos(3);
        });
        long held = server.lastConnection().messagesSent();
        assertTrue(held < 100, held + " of " + OFFERED + " MB messages taken in");
        assertTrue(child.isAlive());
        String output = Files.readString(log);
        assertFalse(output.contains("OutOfMemoryError"), output);
        assertTrue(server.lastConnection().isOpen(), "paused, not dropped");
    }

    private static Process startChild(Path log, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dwslistener.pingInterval=0s", "-Dwslistener.demo.enabled=false",
                "-Dcamel.main.routesIncludePattern=file:" + log.getParent() + "/*.yaml")); // only the held route
        String budget = System.getProperty("byteBudgetTest.maxInFlightBytes");
        if (budget != null) {
            // to see the test fail without the byte budget: -DbyteBudgetTest.maxInFlightBytes=2000000000
            command.add("-Dwslistener.maxInFlightBytes=" + budget);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HeldFeedMain.class.getName(),
                Integer.toString(port)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
