package io.wslistener.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.wslistener.connection.ConnectionState;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedObserver;
import io.wslistener.support.SecretValues;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.wslistener.testsupport.YamlCamel.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Credentials from files, properties and system properties reach the server on every connect, and never the log, a
 * health detail or an exception message.
 */
class SecretsTest {

    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.create().shutdownTimeout(5).recordBodiesAs("received");
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    @TempDir
    Path dir;

    private final List<MultiMap> handshakes = new CopyOnWriteArrayList<>();
    private final List<String> requestUris = new CopyOnWriteArrayList<>();
    private final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile int rejectFirst;
    private HttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        yamlCamel.property("wslistener.initialDelay", "50ms");
        yamlCamel.property("wslistener.maxDelay", "100ms");
        yamlCamel.property("test.dir", dir.toString());
        server = serverVertx.createHttpServer().requestHandler(request -> {
            handshakes.add(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
            requestUris.add(request.uri());
            if (attempts.incrementAndGet() <= rejectFirst) {
                request.response().setStatusCode(503).end();
                return;
            }
            request.toWebSocket().onSuccess(ws -> {
                sockets.add(ws);
                ws.writeTextMessage("hello #" + sockets.size());
            });
        });
        join(server.listen(0, "127.0.0.1"));
        yamlCamel.property("test.port", Integer.toString(server.actualPort()));
    }

    @AfterEach
    void stopServer() throws Exception {
        join(server.close());
    }

    @Test
    void aPasswordInsideASecretOptionIsMaskedAlsoWhereItIsPrintedEscaped() {
        // the route dump console prints a kamelet URI XML-escaped (&quot;), where the whole JAAS value no longer matches
        camel.getEndpoint("sink-kafka:quotes?brokers=127.0.0.1:1&saslJaasConfig=RAW(org.apache.kafka.common.security"
                + ".plain.PlainLoginModule required username=\"feed\" password=\"jaasWord4711\";)");
        assertEquals("password=&quot;xxxxxx&quot;", SecretValues.mask("password=&quot;jaasWord4711&quot;"));
    }

    @Test
    void aTokenFileRewrittenBetweenConnectsIsReadAgain() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "first-token\n");
        yamlCamel.start("""
                - beans:
                    - name: feedToken
                      type: "#class:io.wslistener.policy.FileTokenHeaders"
                      properties:
                        file: "{{test.dir}}/token"
                    - name: feedPolicy
                      type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                      properties:
                        headersProvider: "#bean:feedToken"
                - route:
                    id: feed
                    routePolicy: feedPolicy
                    from:
                      uri: "ws-listener:127.0.0.1:{{test.port}}/feed"
                      steps:
                        - process:
                            ref: received
                """);
        await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("hello #1"));

        Files.writeString(token, "second-token\n");
        sockets.get(0).close();

        await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("hello #2"));
        assertEquals("Bearer first-token", handshakes.get(0).get("Authorization"));
        assertEquals("Bearer second-token", handshakes.get(1).get("Authorization"));
    }

    @Test
    void aTokenFileCanFillAnApiKeyHeaderWithoutPrefix() throws Exception {
        Files.writeString(dir.resolve("key"), "k-123");
        yamlCamel.start("""
                - beans:
                    - name: feedKey
                      type: "#class:io.wslistener.policy.FileTokenHeaders"
                      properties:
                        file: "{{test.dir}}/key"
                        header: X-Api-Key
                        prefix: ""
                    - name: feedPolicy
                      type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                      properties:
                        headersProvider: "#bean:feedKey"
                - route:
                    id: feed
                    routePolicy: feedPolicy
                    from:
                      uri: "ws-listener:127.0.0.1:{{test.port}}/feed"
                      steps:
                        - process:
                            ref: received
                """);

        await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("hello #1"));
        assertEquals("k-123", handshakes.get(0).get("X-Api-Key"), "dash kept: the name is a value, not a YAML key");
    }

    @Test
    void handshakeHeadersBindFromYamlAsANestedMapOrWithBracketKeys() throws Exception {
        yamlCamel.property("feed.token", "t-1");
        System.setProperty("feed.client", "c-1");
        try {
            yamlCamel.start("""
                    - beans:
                        - name: nestedPolicy
                          type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                          properties:
                            handshakeHeaders:
                              Authorization: "Bearer {{feed.token}}"
                              ClientId: "${sys.feed.client}"
                        - name: bracketPolicy
                          type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                          properties:
                            "handshakeHeaders[Authorization]": "Bearer {{feed.token}}"
                            "handshakeHeaders[ClientId]": "${sys.feed.client}"
                    - route:
                        id: nested
                        routePolicy: nestedPolicy
                        from:
                          uri: "ws-listener:127.0.0.1:{{test.port}}/nested"
                          steps:
                            - process:
                                ref: received
                    - route:
                        id: bracket
                        routePolicy: bracketPolicy
                        from:
                          uri: "ws-listener:127.0.0.1:{{test.port}}/bracket"
                          steps:
                            - process:
                                ref: received
                    """);

            await().atMost(10, TimeUnit.SECONDS).until(() -> handshakes.size() >= 2);
            for (MultiMap headers : handshakes) {
                assertEquals("Bearer t-1", headers.get("Authorization"));
                assertEquals("c-1", headers.get("ClientId"), "a simple expression, evaluated at connect");
            }
        } finally {
            System.clearProperty("feed.client");
        }
    }

    @Test
    void aMissingTokenFileFailsTheAttemptNamingTheFileAndIsRetried() throws Exception {
        try (LogCapture logs = LogCapture.everything()) {
            yamlCamel.start("""
                    - beans:
                        - name: feedToken
                          type: "#class:io.wslistener.policy.FileTokenHeaders"
                          properties:
                            file: "{{test.dir}}/not-yet"
                        - name: feedPolicy
                          type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                          properties:
                            headersProvider: "#bean:feedToken"
                    - route:
                        id: feed
                        routePolicy: feedPolicy
                        from:
                          uri: "ws-listener:127.0.0.1:{{test.port}}/feed"
                          steps:
                            - process:
                                ref: received
                    """);
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> yamlCamel.consumer("feed").getLoop().snapshot().failedInARow() >= 2);
            assertEquals(0, attempts.get(), "no handshake without the token");
            assertFalse(logs.containing("attempt 1 failed: NoSuchFileException: " + dir.resolve("not-yet")).isEmpty(),
                    String.join("\n", logs.entries()));

            Files.writeString(dir.resolve("not-yet"), "late-token");
            await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("hello #1"));
            assertEquals("Bearer late-token", handshakes.get(0).get("Authorization"));
        }
    }

    @Test
    void noSecretReachesTheLogHealthDetailsOrTheLoopsCause() throws Exception {
        Files.writeString(dir.resolve("token"), "SECRET-FILE-1");
        yamlCamel.property("feed.apiKey", "SECRET-PROP-2");
        System.setProperty("feed.session", "SECRET-SYS-3");
        List<String> feedUris = new ArrayList<>();
        camel.getRegistry().bind("feedUris", new FeedObserver() {

            @Override
            public void feedStarted(Feed feed) {
                feedUris.add(feed.serverUri());
            }

            @Override
            public void feedStopped(Feed feed) {
            }
        });
        rejectFirst = 2; // two failed attempts: their log lines carry the URI too
        List<String> secrets = List.of("SECRET-FILE-1", "SECRET-PROP-2", "SECRET-SYS-3", "SECRET-Q4", "SECRET-Q5",
                "SECRET-Q6", "SECRET-Q7", "SECRET-URI-8");
        try (LogCapture logs = LogCapture.everything()) {
            yamlCamel
                    .start("""
                            - beans:
                                - name: feedToken
                                  type: "#class:io.wslistener.policy.FileTokenHeaders"
                                  properties:
                                    file: "{{test.dir}}/token"
                                - name: feedPolicy
                                  type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                                  properties:
                                    headersProvider: "#bean:feedToken"
                                    handshakeHeaders:
                                      ApiKey: "{{feed.apiKey}}"
                                      Cookie: "session=${sys.feed.session}"
                            - route:
                                id: feed
                                routePolicy: feedPolicy
                                from:
                                  uri: "ws-listener:127.0.0.1:{{test.port}}/feed?query.apiKey=SECRET-Q4&query.token=SECRET-Q5&query.key=SECRET-Q6&query.sig=SECRET-Q7&query.symbols=BTC&handshake.Authorization=Basic SECRET-URI-8"
                                  steps:
                                    - process:
                                        ref: received
                            """);
            await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("hello #1"));
            sockets.get(0).close((short) 4000, "bye");
            await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("hello #2"));
            camel.getRouteController().stopRoute("feed");

            // the secrets were really used ...
            MultiMap last = handshakes.get(handshakes.size() - 1);
            assertEquals("Bearer SECRET-FILE-1", last.get("Authorization"), "the provider wins over the URI's header");
            assertEquals("SECRET-PROP-2", last.get("ApiKey"));
            assertEquals("session=SECRET-SYS-3", last.get("Cookie"));
            assertTrue(requestUris.get(0).contains("apiKey=SECRET-Q4") && requestUris.get(0).contains("sig=SECRET-Q7"),
                    requestUris.get(0));
            // ... the log saw the feed come and go ...
            assertFalse(logs.containing("Route 'feed': connected to ws://127.0.0.1:").isEmpty());
            assertFalse(logs.containing("attempt 2 failed").isEmpty());
            assertFalse(logs.containing("symbols=BTC").isEmpty(), "harmless parameters stay readable");
            // ... and never a secret
            for (String secret : secrets) {
                assertEquals(List.of(), logs.containing(secret), secret);
                assertFalse(feedUris.get(0).contains(secret), feedUris.get(0));
                assertFalse(
                        String.valueOf(yamlCamel.consumer("feed").getLoop().snapshot().lastCause()).contains(secret));
            }
            assertTrue(feedUris.get(0).contains("apiKey=xxxxxx"), feedUris.get(0));
        } finally {
            System.clearProperty("feed.session");
        }
    }

    @Test
    void aBadOptionNextToASecretFailsStartWithoutPrintingTheSecret() {
        Exception e = assertThrows(Exception.class, () -> yamlCamel
                .start("""
                        - route:
                            id: feed
                            from:
                              uri: "ws-listener:127.0.0.1:{{test.port}}/feed?handshake.Authorization=Bearer SECRET-A&apiKey=SECRET-B"
                              steps:
                                - process:
                                    ref: received
                        """));

        String messages = messages(e);
        assertTrue(messages.contains("unknown option [apiKey]"), messages);
        assertTrue(messages.contains("query parameter for the server needs the query. prefix"), messages);
        assertTrue(messages.contains("feed"), "names the route: " + messages);
        assertFalse(messages.contains("SECRET-A"), messages);
        assertFalse(messages.contains("SECRET-B"), messages);
    }

    @Test
    void aLineBreakInAHeaderValueFailsStartNamingTheHeaderNotTheValue() {
        Exception e = assertThrows(Exception.class, () -> yamlCamel.start("""
                - beans:
                    - name: feedPolicy
                      type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                      properties:
                        handshakeHeaders:
                          Authorization: "Bearer SECRET-C\\r\\nX-Injected: 1"
                - route:
                    id: feed
                    routePolicy: feedPolicy
                    from:
                      uri: "ws-listener:127.0.0.1:{{test.port}}/feed"
                      steps:
                        - process:
                            ref: received
                """));

        String messages = messages(e);
        assertTrue(messages.contains("Route 'feed': invalid ws-listener option handshakeHeaders: the value of header"
                + " Authorization holds a line break or another control character"), messages);
        assertFalse(messages.contains("SECRET-C"), messages);
    }

    @Test
    void aComputedHeaderWithALineBreakFailsTheAttemptAndIsRetried() throws Exception {
        System.setProperty("feed.injected", "SECRET-D\r\nX-Injected: 1");
        try (LogCapture logs = LogCapture.everything()) {
            yamlCamel.start("""
                    - beans:
                        - name: feedPolicy
                          type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                          properties:
                            handshakeHeaders:
                              Authorization: "Bearer ${sys.feed.injected}"
                    - route:
                        id: feed
                        routePolicy: feedPolicy
                        from:
                          uri: "ws-listener:127.0.0.1:{{test.port}}/feed"
                          steps:
                            - process:
                                ref: received
                    """);

            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> yamlCamel.consumer("feed").getLoop().snapshot().failedInARow() >= 2);
            assertEquals(0, attempts.get(), "nothing sent");
            assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("feed"));
            assertTrue(yamlCamel.consumer("feed").getLoop().state() != ConnectionState.OPEN);
            assertFalse(logs.containing("the value of header Authorization holds a line break").isEmpty(),
                    String.join("\n", logs.entries()));
            assertEquals(List.of(), logs.containing("SECRET-D"));
        } finally {
            System.clearProperty("feed.injected");
        }
    }

    private static String messages(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
        }
        return text.toString();
    }
}
