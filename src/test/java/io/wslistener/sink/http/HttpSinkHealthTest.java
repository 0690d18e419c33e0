package io.wslistener.sink.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.wslistener.sink.SinkFailure;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP sink's readiness check, {@code wslistener-sink:sink-http:<name>}: UP after one failed post (a blip), DOWN
 * once the first retry failed too, UP again once a post succeeds.
 */
class HttpSinkHealthTest {

    private static final String CHECK = SinkFailure.GROUP + ":sink-http:ingest";

    @TempDir
    Path dir;
    private final CountDownLatch releaseFirstRetry = new CountDownLatch(1);
    private HttpTestServer server;
    private CamelContext context;

    @AfterEach
    void stop() {
        releaseFirstRetry.countDown();
        if (context != null) {
            context.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private HealthCheck.Result health() {
        return HealthCheckHelper.invokeReadiness(context).stream().filter(r -> r.getCheck().getId().equals(CHECK))
                .findFirst().orElseThrow(() -> new AssertionError("no readiness check " + CHECK));
    }

    @Test
    void downWhileTheFirstRetryFailsTooAndUpAgainAfterASuccess() throws Exception {
        server = new HttpTestServer().start().defaultStatus(503).onRequest(n -> {
            if (n == 1) {
                try {
                    releaseFirstRetry.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        context = YamlCamel.create().property("dir", dir).property("url", server.url("/ingest"))
                .start("""
                        - route:
                            from:
                              uri: direct:in
                              steps:
                                - to: "sink-http:ingest?url=RAW({{url}})&maxRetries=-1&initialDelay=50ms&maxDelay=100ms&deadLetterDirectory={{dir}}/dead-letter"
                        """);
        assertEquals(HealthCheck.State.UP, health().getState());
        context.createProducerTemplate().sendBody("direct:in", "{\"n\":1}");

        // the first attempt failed, the first retry is held at the server: one failure is not yet DOWN
        await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().size() == 1);
        assertEquals(HealthCheck.State.UP, health().getState(), String.valueOf(health().getMessage()));

        releaseFirstRetry.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> health().getState() == HealthCheck.State.DOWN);
        String message = health().getMessage().orElse("");
        assertTrue(message.contains(CHECK) && message.contains("503"), message);
        assertFalse(health().getCheck().isLiveness(), "readiness only: a restart does not bring the server back");

        server.defaultStatus(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.acceptedBodies().equals(List.of("{\"n\":1}")));
        await().atMost(Duration.ofSeconds(5)).until(() -> health().getState() == HealthCheck.State.UP);
    }
}
