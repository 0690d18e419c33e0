package io.wslistener.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.wslistener.connection.ConnectionState;
import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A context stop that reaches Camel's shutdownTimeout while the route is held: every message received is afterwards
 * either processed or in the route's undelivered dead-letter file, in order; none is lost without a trace.
 */
class ForcedStopTest {

    private static final int N = 30;

    @TempDir
    Path deadLetters;

    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.create().shutdownTimeout(2);
    private final CamelContext camel = yamlCamel.context();

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> processed = Collections.synchronizedList(new ArrayList<>());
    private TestWebSocketServer server;

    @AfterEach
    void stopServer() {
        release.countDown();
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void whatTheHandoffHoldsAtAForcedStopIsDeadLettered() throws Exception {
        yamlCamel.property("wslistener.undelivered.directory", deadLetters.toString());
        server = new TestWebSocketServer(yamlCamel.serverVertx()).start();
        yamlCamel.start(new RouteBuilder() {
            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + server.port() + "/feed").routeId("feed")
                        .process(exchange -> {
                            release.await(20, TimeUnit.SECONDS);
                            processed.add(exchange.getMessage().getBody(String.class));
                        });
            }
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> yamlCamel.consumer("feed").getLoop().state() == ConnectionState.OPEN);
        server.sendTexts(N, i -> "m" + i);
        await().atMost(5, TimeUnit.SECONDS).until(() -> yamlCamel.consumer("feed").getInFlight() == N);

        camel.stop(); // drains for what is left of the 2 s budget, then Camel forces the stop
        release.countDown();

        // the held message was cut off half-way (Camel rejects its exchange as it completes): it is dead-lettered
        // too, so it may be in both (at least once); every other one is in the dead letter, once, in order
        await().atMost(10, TimeUnit.SECONDS).until(() -> deadLettered().size() >= N - 1);
        List<String> deadLettered = deadLettered();
        List<String> rest = IntStream.rangeClosed(2, N).mapToObj(i -> "m" + i).toList();
        if (deadLettered.size() == N) {
            assertEquals("m1", deadLettered.get(0));
            assertEquals(rest, deadLettered.subList(1, N), "in order, once");
        } else {
            assertEquals(rest, deadLettered, "in order, once");
            assertEquals(List.of("m1"), processed, "the held message was processed when not dead-lettered");
        }
        assertTrue(processed.size() <= 1, "nothing processed after the forced stop: " + processed);
    }

    private List<String> deadLettered() throws Exception {
        if (!Files.isDirectory(deadLetters)) {
            return List.of();
        }
        List<String> messages = new ArrayList<>();
        try (Stream<Path> files = Files.list(deadLetters)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        messages.add((String) DeadLetterRecord.originalMessage(line));
                    }
                }
            }
        }
        return messages;
    }
}
