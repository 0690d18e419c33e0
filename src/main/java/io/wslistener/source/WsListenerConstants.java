package io.wslistener.source;

/**
 * Headers set on every message exchange.
 */
public final class WsListenerConstants {

    /** The id of the route that received the message. */
    public static final String ROUTE_ID = "CamelWsListenerRouteId";
    /** Which connection of this route carried the message, counting from 1 since the route started. */
    public static final String CONNECTION = "CamelWsListenerConnection";
    /** The message's position on its connection, counting from 1. */
    public static final String SEQUENCE = "CamelWsListenerSequence";
    /** When the message was received, in milliseconds since the epoch. */
    public static final String RECEIVED_AT = "CamelWsListenerReceivedAt";
    /** "text" or "binary". */
    public static final String MESSAGE_TYPE = "CamelWsListenerMessageType";

    private WsListenerConstants() {
    }
}
