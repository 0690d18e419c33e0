package io.wslistener.source;

import java.util.List;

import io.vertx.core.http.WebSocketConnectOptions;
import io.wslistener.policy.InvalidSettingException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerUrlsUnitTest {

    @Test
    void entriesAreSplitOnLinesAndOnCommasBeforeAScheme() {
        assertEquals(List.of("ws://a/x?s=1,2", "wss://b/y"), ServerUrls.split("ws://a/x?s=1,2, wss://b/y"));
        assertEquals(List.of("ws://a/x", "ws://b/y"), ServerUrls.split("ws://a/x\n  ws://b/y\n"));
    }

    @Test
    void aUrlPointsTheOptionsAtItsServer() throws Exception {
        ServerUrls urls = new ServerUrls(new DefaultCamelContext(), "quotes", "wss://feed.example.com/v1?k=1", null,
                "ws://r:1/");
        WebSocketConnectOptions options = new WebSocketConnectOptions();
        urls.applyTo(urls.entries().get(0), options, step -> {
        });
        assertEquals("feed.example.com", options.getHost());
        assertEquals(443, options.getPort());
        assertTrue(options.isSsl());
        assertEquals("/v1?k=1", options.getURI());
    }

    @Test
    void aBadFixedUrlStopsStartUpWithoutShowingIt() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new ServerUrls(new DefaultCamelContext(), "quotes", "ws://ok/x\nhttp://s3cret@b/y", null,
                        "ws://r:1/"));
        assertEquals("Route 'quotes': invalid ws-listener option serverUrls: entry 2 is not a ws:// or wss:// URL",
                e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    @Test
    void theRouteUrlNeedsNoComputingWithoutAProvider() {
        assertFalse(new ServerUrls(new DefaultCamelContext(), "q", null, null, "ws://r:1/").computed());
        assertTrue(new ServerUrls(new DefaultCamelContext(), "q", null, (r, u) -> u, "ws://r:1/").computed());
    }
}
