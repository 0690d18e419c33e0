package io.wslistener.source;

import io.wslistener.testsupport.PolicyYaml;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two routes from one ws-listener URI would be two sockets to one feed: the second route is refused at start, as
 * Camel refuses a second consumer of an endpoint that does not support several (ws-listener makes that check itself,
 * see {@link WsListenerEndpoint#isMultipleConsumersSupported()}). The first route can be stopped and started again,
 * and once it is stopped, the other route may take the endpoint.
 */
class OneConsumerPerEndpointTest {

    private final TestWebSocketServer server = new TestWebSocketServer().start();
    private final CamelContext camel = YamlCamel.create().context();

    @AfterEach
    void stop() {
        camel.stop();
        server.close();
    }

    @Test
    void aSecondRouteFromTheSameUriIsRefused() throws Exception {
        YamlCamel.load(camel, routes("quotes", "quotes-again", true));

        Exception e = assertThrows(Exception.class, camel::start);

        String messages = messages(e);
        assertTrue(messages.contains("Multiple consumers for the same endpoint is not allowed: ws-listener://127.0.0.1:"
                + server.port() + "/quotes"), messages);
        assertTrue(messages.contains("Failed to start route: quotes-again"), messages);
        assertTrue(messages.contains("route 'quotes' consumes from it"), messages);
    }

    @Test
    void theEndpointIsFreeAgainOnceItsRouteStopped() throws Exception {
        YamlCamel.load(camel, routes("quotes", "standby", false));
        camel.start();
        await().until(() -> server.openSockets() == 1);

        camel.getRouteController().stopRoute("quotes");
        camel.getRouteController().startRoute("quotes");
        await().until(() -> server.openSockets() == 1 && server.totalConnections() == 2);
        assertThrows(Exception.class, () -> camel.getRouteController().startRoute("standby"));

        camel.getRouteController().stopRoute("quotes");
        camel.getRouteController().startRoute("standby");

        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("standby"));
        await().until(() -> server.openSockets() == 1 && server.totalConnections() == 3);
        assertEquals(1, server.maxOpenOnAnyPath(), "never two sockets for the feed");
    }

    private String routes(String first, String second, boolean secondStarts) {
        String uri = server.listenerUri("/quotes");
        return PolicyYaml.plainRoute(first, uri, true) + PolicyYaml.plainRoute(second, uri, secondStarts);
    }

    private static String messages(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
        }
        return text.toString();
    }
}
