package io.wslistener.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpTestServerTest {

    private HttpTestServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void setUp() {
        server = new HttpTestServer().start();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.url("/sink")))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersTheScriptInOrderThenTheDefaultAndRecordsBodies() throws Exception {
        server.respondWith(500, 500).respondWithRetryAfter(503, "2").respondWith(201, Map.of("X-Id", "7"), "made");

        assertEquals(500, post("a").statusCode());
        assertEquals(500, post("a").statusCode());
        HttpResponse<String> retry = post("a");
        assertEquals(503, retry.statusCode());
        assertEquals("2", retry.headers().firstValue("Retry-After").orElse(null));
        HttpResponse<String> created = post("a");
        assertEquals(201, created.statusCode());
        assertEquals("7", created.headers().firstValue("X-Id").orElse(null));
        assertEquals("made", created.body());
        assertEquals(0, server.pendingScriptedResponses());
        assertEquals(200, post("b").statusCode());

        assertEquals(List.of("a", "a", "a", "a", "b"), server.receivedBodies());
        assertEquals(List.of("a", "b"), server.acceptedBodies());
        assertEquals("/sink", server.requests().get(0).path());
        assertEquals(500, server.requests().get(0).status());
    }

    @Test
    void stopsAndStartsAgainOnTheSamePort() throws Exception {
        int port = server.port();
        assertEquals(200, post("before").statusCode());
        server.stop();
        assertThrows(IOException.class, () -> post("while down"));
        server.start(port);
        assertEquals(200, post("after").statusCode());
        server.restart();
        assertEquals(port, server.port());
        assertEquals(200, post("restarted").statusCode());
        assertEquals(List.of("before", "after", "restarted"), server.receivedBodies());
        assertFalse(server.receivedBodies().contains("while down"));
        assertTrue(server.requests().stream().allMatch(r -> "POST".equals(r.method())));
    }

    @Test
    void onFreePortIsDownUntilStartedThereAndRequestsCanBeHeld() throws Exception {
        HttpTestServer later = HttpTestServer.onFreePort();
        try {
            int port = later.port();
            assertEquals("http://127.0.0.1:" + port + "/ingest", later.url("/ingest"));
            assertThrows(IOException.class, () -> http.send(HttpRequest.newBuilder(URI.create(later.url("/ingest")))
                    .POST(HttpRequest.BodyPublishers.ofString("down")).build(), HttpResponse.BodyHandlers.ofString()));

            CountDownLatch release = new CountDownLatch(1);
            List<Integer> numbers = new CopyOnWriteArrayList<>();
            later.onRequest(n -> {
                numbers.add(n);
                if (n == 0) {
                    awaitQuietly(release);
                }
            }).start();
            assertEquals(port, later.port());
            CompletableFuture<HttpResponse<String>> held = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(later.url("/ingest")))
                            .POST(HttpRequest.BodyPublishers.ofString("first")).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> numbers.size() == 1);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !held.isDone());
            release.countDown();
            assertEquals(200, held.get(10, TimeUnit.SECONDS).statusCode());
            http.send(HttpRequest.newBuilder(URI.create(later.url("/ingest")))
                    .POST(HttpRequest.BodyPublishers.ofString("second")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(List.of(0, 1), numbers);
            assertEquals(List.of("first", "second"), later.receivedBodies());
            List<HttpTestServer.Request> requests = later.requests();
            assertTrue(requests.get(1).receivedAtNanos() > requests.get(0).receivedAtNanos());
        } finally {
            later.close();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
