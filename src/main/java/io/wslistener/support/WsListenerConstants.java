package io.wslistener.support;

import org.apache.camel.spi.Metadata;

/**
 * Headers set on every message exchange. Deliberately few: every header is copied with the exchange at each hop. The
 * body type tells text ({@code String}) from binary ({@code byte[]}), and the exchange's creation time
 * ({@code exchange.getClock().getCreated()}) is when the route took the message up.
 */
public final class WsListenerConstants {

    /** The id of the route that received the message. */
    @Metadata(description = "The id of the route that received the message.", javaType = "String")
    public static final String ROUTE_ID = "CamelWsListenerRouteId";
    /** Which connection of this route carried the message, counting from 1 since the route started. */
    @Metadata(description = "Which connection of this route carried the message, counting from 1 since the route started.",
              javaType = "long")
    public static final String CONNECTION = "CamelWsListenerConnection";
    /** The message's position on its connection, counting from 1. */
    @Metadata(description = "The message's position on its connection, counting from 1.", javaType = "long")
    public static final String SEQUENCE = "CamelWsListenerSequence";
    /**
     * On a batch (option {@code maxBatchSize} above 1): how many messages its {@code java.util.List} body holds. The
     * connection and sequence headers are then those of its first message.
     */
    @Metadata(description = "On a batch (option maxBatchSize above 1): how many messages its java.util.List body holds."
            + " The connection and sequence headers are then those of its first message.",
              javaType = "Integer")
    public static final String BATCH_SIZE = "CamelWsListenerBatchSize";
    /**
     * On a message whose {@code sequenceField} does not follow the previous message's: its number minus the expected
     * one (positive: numbers were skipped; negative: the sequence stepped back or started again).
     */
    public static final String GAP = "CamelWsListenerGap";

    // lifecycle exchanges (option lifecycleEvents), which have no body
    /** {@code connected} or {@code disconnected}. */
    public static final String EVENT = "CamelWsListenerEvent";
    /** On {@code disconnected}: how long the connection lived, in milliseconds. */
    public static final String UPTIME = "CamelWsListenerUptime";
    /** On {@code disconnected}: the server's close code, when it sent one. */
    public static final String CLOSE_CODE = "CamelWsListenerCloseCode";
    /** On {@code disconnected}: why it ended. */
    public static final String CAUSE = "CamelWsListenerCause";

    private WsListenerConstants() {
    }
}
