package io.wslistener.source;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.wslistener.connection.ConnectionState;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.wslistener.testsupport.YamlCamel.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that refuses the WebSocket upgrade with an HTTP status: some statuses are worth retrying (503 while a
 * deployment rolls), others mean the credentials are wrong (401, 403) and, repeated, stop the route.
 * <p>
 * The server here answers from a script, attempt by attempt (401, 401, 503, ...), decided on its own event loop as each
 * attempt arrives: a test thread switching a shared server's rejection status could not keep up with the retries.
 */
class HandshakeRejectionTest {

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    private final AtomicInteger attempts = new AtomicInteger();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = new LogCapture("io.wslistener.connection");
        policy.setInitialDelay(Duration.ofMillis(50));
        policy.setMultiplier(1.0);
    }

    @AfterEach
    void releaseLog() {
        log.close();
    }

    @Test
    void serviceUnavailableIsRetriedUntilTheServerAccepts() throws Exception {
        HttpServer server = serverAnswering(attempt -> attempt <= 4 ? 503 : 101);
        startRoute(server);

        await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("welcome"));
        assertEquals(5, attempts.get());
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("feed"));
        assertTrue(log.contains("WARN",
                "Route 'feed': attempt 4 failed: handshake refused with HTTP 503 connecting to ws://127.0.0.1:"),
                String.join("\n", log.lines()));
        assertTrue(log.contains("INFO", "Route 'feed': connected to ws://127.0.0.1:" + server.actualPort()
                + "/feed (127.0.0.1:" + server.actualPort() + ") as connection #1 after 5 attempts"),
                String.join("\n", log.lines()));
    }

    @Test
    void unauthorizedRepeatedGivesUpAndStopsTheRoute() throws Exception {
        policy.setHandshakeRejectionsBeforeStop(3);
        HttpServer server = serverAnswering(attempt -> 401);
        startRoute(server);

        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> camel.getRouteController().getRouteStatus("feed") == ServiceStatus.Stopped);
        assertEquals(3, attempts.get(), "retried up to handshakeRejectionsBeforeStop, then no more");
        assertEquals(ConnectionState.FAILED, yamlCamel.feedLoop().state(), "health still says why");
        assertTrue(yamlCamel.feedLoop().snapshot().lastCause()
                .contains("handshake refused with HTTP 401 3 times in a row (stopOnHandshakeStatuses)"));
        assertTrue(log.contains("ERROR", "Route 'feed': giving up on ws://127.0.0.1:" + server.actualPort()
                + "/feed: handshake refused with HTTP 401 3 times in a row (stopOnHandshakeStatuses);"
                + " stopping the route"),
                String.join("\n", log.lines()));
        await().during(Duration.ofMillis(500)).atMost(2, TimeUnit.SECONDS).until(() -> attempts.get() == 3);
    }

    @Test
    void onlyRejectionsInARowCountTowardsGivingUp() throws Exception {
        policy.setHandshakeRejectionsBeforeStop(3);
        // 401 401 503 401 401 then accepted: never three 401s in a row
        HttpServer server = serverAnswering(attempt -> attempt == 3 ? 503 : attempt <= 5 ? 401 : 101);
        startRoute(server);

        await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("welcome"));
        assertEquals(6, attempts.get());
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("feed"));
        assertEquals(ConnectionState.OPEN, yamlCamel.feedLoop().state());
    }

    @Test
    void aStatusLeftOutOfStopOnHandshakeStatusesIsRetried() throws Exception {
        policy.setStopOnHandshakeStatuses("403");
        policy.setHandshakeRejectionsBeforeStop(1);
        HttpServer server = serverAnswering(attempt -> attempt <= 3 ? 401 : 101);
        startRoute(server);

        await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("welcome"));
        assertEquals(4, attempts.get());
    }

    /** Answers attempt n (from 1) with the status the function gives; 101 accepts and sends "welcome". */
    private HttpServer serverAnswering(IntUnaryOperator statusOfAttempt) throws Exception {
        HttpServer server = serverVertx.createHttpServer().requestHandler(request -> {
            int status = statusOfAttempt.applyAsInt(attempts.incrementAndGet());
            if (status == 101) {
                request.toWebSocket().onSuccess(ws -> ws.writeTextMessage("welcome"));
            } else {
                request.response().setStatusCode(status).end();
            }
        });
        join(server.listen(0, "127.0.0.1"));
        return server;
    }

    private void startRoute(HttpServer server) throws Exception {
        yamlCamel.startFeed(server.actualPort(), exchange -> received.add(exchange.getMessage().getBody(String.class)));
    }
}
