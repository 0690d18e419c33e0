package io.wslistener.source;

import java.util.ArrayList;
import java.util.List;

import io.wslistener.support.WsListenerConstants;
import org.apache.camel.Exchange;

/**
 * The messages of one connection collected for one exchange (option {@code maxBatchSize}), the way Camel's Kafka
 * consumer hands a poll's records to the route with {@code batching=true}: the body is a {@code java.util.List} of the
 * message bodies in arrival order, the headers those of the first message plus
 * {@link WsListenerConstants#BATCH_SIZE}. Used by the delivery side only, one message at a time.
 */
final class MessageBatch {

    private final int maxSize;
    private List<Object> bodies;
    private long connection;
    private long sequence;
    private long gap;

    MessageBatch(int maxSize) {
        this.maxSize = maxSize;
        this.bodies = new ArrayList<>(maxSize);
    }

    boolean isEmpty() {
        return bodies.isEmpty();
    }

    /** The connection of the messages collected; meaningful while not {@link #isEmpty()}. */
    long connection() {
        return connection;
    }

    /** Whether a message of this connection may join: a batch never spans two connections, so its headers hold. */
    boolean accepts(long messageConnection) {
        return bodies.isEmpty() || messageConnection == connection;
    }

    /**
     * @param messageGap what the sequenceField check found for this message (0: it follows); the batch keeps the first
     *                   non-zero one
     * @return true when the batch is full and must go now
     */
    boolean add(Object body, long messageConnection, long messageSequence, long messageGap) {
        if (bodies.isEmpty()) {
            connection = messageConnection;
            sequence = messageSequence;
            gap = 0;
        }
        if (gap == 0) {
            gap = messageGap;
        }
        bodies.add(body);
        return bodies.size() >= maxSize;
    }

    /**
     * Takes the collected messages out as one exchange message and starts an empty batch: the list goes with the
     * exchange, which a route may keep.
     */
    FeedMessage takeInto(Exchange exchange, String routeId) {
        List<Object> taken = take();
        FeedMessage message = new FeedMessage(exchange, taken, routeId, connection, sequence);
        // one header map per batch, not per message
        message.setHeader(WsListenerConstants.BATCH_SIZE, taken.size());
        if (gap != 0) {
            message.setHeader(WsListenerConstants.GAP, gap);
        }
        return message;
    }

    /** Takes the collected messages out, in arrival order, and starts an empty batch. */
    List<Object> take() {
        List<Object> taken = bodies;
        bodies = new ArrayList<>(maxSize);
        return taken;
    }
}
