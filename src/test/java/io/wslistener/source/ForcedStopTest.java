package io.wslistener.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    // how many messages the held exchange carries; 0 until the route holds one
    private final AtomicInteger held = new AtomicInteger();
    private volatile boolean heldABatch;
    private TestWebSocketServer server;

    @AfterEach
    void stopServer() {
        release.countDown();
        if (server != null) {
            server.stop();
        }
    }

    /** maxBatchSize 1 (one exchange per message) and 10 (batches: every message of a batch cut off is dead-lettered). */
    @ParameterizedTest(name = "maxBatchSize {0}")
    @ValueSource(ints = { 1, 10 })
    void whatTheHandoffHoldsAtAForcedStopIsDeadLettered(int maxBatchSize) throws Exception {
        yamlCamel.property("wslistener.undelivered.directory", deadLetters.toString());
        yamlCamel.property("wslistener.maxBatchSize", maxBatchSize);
        server = new TestWebSocketServer(yamlCamel.serverVertx()).start();
        yamlCamel.start(new RouteBuilder() {

            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + server.port() + "/feed").routeId("feed")
                        .process(exchange -> {
                            Object body = exchange.getMessage().getBody();
                            heldABatch = body instanceof List;
                            held.set(body instanceof List<?> batch ? batch.size() : 1);
                            release.await(20, TimeUnit.SECONDS);
                            processed.addAll(body instanceof List<?> batch
                                    ? batch.stream().map(String.class::cast).toList() : List.of((String) body));
                        });
            }
        });
        yamlCamel.awaitFeedOpen();
        server.sendTexts(N, i -> "m" + i);
        // in flight: the messages queued and the last of the held exchange (a batch's others are no longer counted)
        await().atMost(5, TimeUnit.SECONDS).until(() -> yamlCamel.consumer("feed").getInFlight() + held.get() - 1 == N);

        camel.stop(); // drains for what is left of the 2 s budget, then Camel forces the stop
        release.countDown();

        // the held exchange (m1, or a batch from m1 on) was cut off half-way (Camel rejects it as it completes): its
        // messages are dead-lettered too, so they may be in both (at least once); every other one is in the dead
        // letter, once, in order
        await().atMost(10, TimeUnit.SECONDS).until(() -> deadLettered().size() + processed.size() >= N);
        List<String> deadLettered = deadLettered();
        List<String> all = IntStream.rangeClosed(1, N).mapToObj(i -> "m" + i).toList();
        assertEquals(maxBatchSize > 1, heldABatch, "a List body with batches");
        int notDeadLettered = N - deadLettered.size();
        assertEquals(all.subList(notDeadLettered, N), deadLettered, "in order, once");
        if (notDeadLettered > 0) {
            assertEquals(all.subList(0, notDeadLettered), processed,
                    "the held messages were processed when not dead-lettered");
        }
        assertTrue(processed.size() <= maxBatchSize && processed.equals(all.subList(0, processed.size())),
                "nothing processed after the forced stop but the held exchange: " + processed);
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
