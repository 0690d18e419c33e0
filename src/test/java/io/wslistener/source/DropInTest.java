package io.wslistener.source;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.support.WsListenerConstants;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.wslistener.testsupport.YamlCamel.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * An existing {@code vertx-websocket:...?consumeAsClient=true} route gets the ws-listener consumer by naming the
 * policy, without changing its URI.
 */
class DropInTest {

    // no policy bean: a test binds one where it needs it
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.create().shutdownTimeout(5);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    private static final String ROUTE = """
            - beans:
                - name: feedPolicy
                  type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                  properties:
                    initialDelay: 50ms
            - route:
                id: legacy
                routePolicy: feedPolicy
                from:
                  uri: "vertx-websocket:127.0.0.1:%d/feed?consumeAsClient=true"
                  steps:
                    - to: "mock:legacy"
            """;

    @Test
    void aVertxWebsocketClientRouteNamingThePolicyGetsTheWsListenerConsumer() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        HttpServer server = serverVertx.createHttpServer().webSocketHandler(ws -> {
            if (connections.incrementAndGet() == 1) {
                ws.writeTextMessage("before restart");
                ws.close((short) 1001, "restarting");
            } else {
                ws.writeTextMessage("after restart");
            }
        });
        join(server.listen(0, "127.0.0.1"));
        // without a "policy" bean in the registry: only the YAML names one
        yamlCamel.start(ROUTE.formatted(server.actualPort()));

        assertInstanceOf(WsListenerConsumer.class, camel.getRoute("legacy").getConsumer());
        MockEndpoint mock = camel.getEndpoint("mock:legacy", MockEndpoint.class);
        await().atMost(5, TimeUnit.SECONDS).until(() -> mock.getReceivedCounter() == 2);
        List<Exchange> exchanges = mock.getReceivedExchanges();
        assertEquals("before restart", exchanges.get(0).getMessage().getBody(String.class));
        assertEquals("after restart", exchanges.get(1).getMessage().getBody(String.class));
        // headers only the ws-listener consumer sets
        assertEquals(1L, exchanges.get(0).getMessage().getHeader(WsListenerConstants.CONNECTION));
        assertEquals(2L, exchanges.get(1).getMessage().getHeader(WsListenerConstants.CONNECTION));
        assertEquals("legacy", exchanges.get(1).getMessage().getHeader(WsListenerConstants.ROUTE_ID));
    }

    @Test
    void withoutThePolicyTheStockConsumerStays() throws Exception {
        CamelContext plain = new DefaultCamelContext();
        try {
            plain.start();
            Endpoint endpoint = plain.getEndpoint("vertx-websocket:127.0.0.1:1/feed?consumeAsClient=true");

            assertFalse(endpoint instanceof WsListenerEndpoint);
            assertFalse(endpoint.createConsumer(exchange -> {
            }) instanceof WsListenerConsumer);
        } finally {
            plain.stop();
        }
    }

    @Test
    void aServerEndpointIsLeftAlone() throws Exception {
        yamlCamel.bean("policy", new WsListenerRoutePolicy()).start(); // a policy bean is bound
        Endpoint server = camel.getEndpoint("vertx-websocket:127.0.0.1:1/feed");
        Endpoint client = camel.getEndpoint("vertx-websocket:127.0.0.1:1/feed?consumeAsClient=true");

        assertFalse(server instanceof WsListenerEndpoint);
        assertInstanceOf(WsListenerEndpoint.class, client);
    }
}
