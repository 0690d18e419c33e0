package io.wslistener.source;

import java.util.Map;

import io.wslistener.support.WsListenerConstants;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultMessage;

/**
 * A received message with its three ws-listener headers ({@link WsListenerConstants#ROUTE_ID}, {@code CONNECTION},
 * {@code SEQUENCE}) held as fields. Camel's header map (a case-insensitive tree) is made only when something asks for
 * more than one of these headers by name: a route that reads, sets or copies headers sees them exactly as before,
 * while the common path (the sinks read the route id) costs no map per message.
 */
final class FeedMessage extends DefaultMessage {

    private final String routeId;
    private final long connection;
    private final long sequence;

    FeedMessage(Exchange exchange, Object body, String routeId, long connection, long sequence) {
        super(exchange);
        this.routeId = routeId;
        this.connection = connection;
        this.sequence = sequence;
        setBody(body);
    }

    @Override
    public Object getHeader(String name) {
        if (!hasPopulatedHeaders()) {
            // no map yet: only our three headers exist
            return own(name);
        }
        return super.getHeader(name);
    }

    @Override
    public <T> T getHeader(String name, Class<T> type) {
        if (!hasPopulatedHeaders()) {
            Object value = own(name);
            return value == null ? null
                    : getExchange().getContext().getTypeConverter().convertTo(type, getExchange(), value);
        }
        return super.getHeader(name, type);
    }

    private Object own(String name) {
        if (WsListenerConstants.ROUTE_ID.equalsIgnoreCase(name)) {
            return routeId;
        }
        if (WsListenerConstants.CONNECTION.equalsIgnoreCase(name)) {
            return connection;
        }
        if (WsListenerConstants.SEQUENCE.equalsIgnoreCase(name)) {
            return sequence;
        }
        return null;
    }

    @Override
    protected boolean isPopulateHeadersSupported() {
        // the map, once made, holds our headers: hasHeaders() is true
        return true;
    }

    @Override
    protected void populateInitialHeaders(Map<String, Object> map) {
        map.put(WsListenerConstants.ROUTE_ID, routeId);
        map.put(WsListenerConstants.CONNECTION, connection);
        map.put(WsListenerConstants.SEQUENCE, sequence);
    }
}
