package io.wslistener.source;

import java.util.Map;

import io.wslistener.support.WsListenerConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ws-listener headers held as fields look to a route exactly like headers in Camel's map. */
class FeedMessageTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    private Exchange exchange() {
        Exchange exchange = new DefaultExchange(context);
        exchange.setIn(new FeedMessage(exchange, "{\"a\":1}", "feed", 2, 7));
        return exchange;
    }

    @Test
    void theHeadersAreReadByNameInAnyCaseAndType() {
        var message = exchange().getMessage();
        assertEquals("feed", message.getHeader(WsListenerConstants.ROUTE_ID));
        assertEquals(2L, message.getHeader(WsListenerConstants.CONNECTION.toLowerCase()));
        assertEquals("7", message.getHeader(WsListenerConstants.SEQUENCE, String.class));
        assertNull(message.getHeader("Other"));
        assertEquals("{\"a\":1}", message.getBody(String.class));
    }

    @Test
    void theMapHoldsThemOnceARouteSetsOrListsHeaders() {
        var message = exchange().getMessage();
        assertTrue(message.hasHeaders());
        message.setHeader("Other", "x");
        assertEquals(Map.of(WsListenerConstants.ROUTE_ID, "feed", WsListenerConstants.CONNECTION, 2L,
                WsListenerConstants.SEQUENCE, 7L, "Other", "x"), Map.copyOf(message.getHeaders()));
        message.removeHeader(WsListenerConstants.SEQUENCE);
        assertNull(message.getHeader(WsListenerConstants.SEQUENCE), "removed from the map, not read from the field");
    }

    @Test
    void aCopyOfTheExchangeHasTheHeaders() {
        Exchange copy = exchange().copy();
        assertEquals("feed", copy.getMessage().getHeader(WsListenerConstants.ROUTE_ID));
        assertEquals(7L, copy.getMessage().getHeader(WsListenerConstants.SEQUENCE));
    }
}
