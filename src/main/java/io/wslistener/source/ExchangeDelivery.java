package io.wslistener.source;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import io.wslistener.support.WsListenerConstants;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.AsyncProcessorAwaitManager;
import org.apache.camel.support.DefaultConsumer;

/**
 * Turns what the hand-off carries into exchanges and runs the route on them, on the delivery thread, one after another
 * in arrival order: one exchange per message, or with {@code maxBatchSize} above 1 one per batch, as Camel's consumers
 * do with the exchanges they create (the consumer's own createExchange, releaseExchange and exception handler).
 * <p>
 * Once Camel has forced the context's stop (shutdownTimeout reached) it would reject every exchange; what is left of
 * the received messages then goes to the undelivered file for replay instead. So does what a stop's budget cut off
 * ({@link #spill}: the route too slow for what the server sent before it saw the close frame), and every message of an
 * exchange whose processing ended in an {@link Error} (each counted as a failure).
 * <p>
 * One per consumer start: a batch of its own, since the last start's hand-off may still be delivering when this one
 * begins.
 */
final class ExchangeDelivery implements OrderedHandoff.Worker<Inbound> {

    private static final Exception FORCED = new RejectedExecutionException(
            "not processed: the stop reached shutdownTimeout and was forced");

    /** Told of an {@link Error} the route did not handle, with how many messages it cut off and where they are kept. */
    @FunctionalInterface
    interface ErrorReport {

        /** @param keptIn the undelivered file they were written to, or null when they could not be kept */
        void failed(Throwable error, int messages, Path keptIn);
    }

    private final DefaultConsumer consumer;
    private final AsyncProcessorAwaitManager awaitManager;
    private final String routeId;
    private final SequenceGaps sequenceGaps;
    private final MessageBatch batch;
    private final UndeliveredMessages undelivered;
    private final BooleanSupplier forcedStop;
    private final ErrorReport errors;
    // messages of the connections numbered up to spillThrough go to the undelivered file, with spillCause
    private volatile Exception spillCause;
    private volatile long spillThrough = -1;
    // written by the delivery thread only
    private volatile long routed;

    /**
     * @param awaitManager runs the route and waits should it go asynchronous, as Camel's own Processor.process does
     * @param sequenceGaps the {@code sequenceField} check, or null without one
     * @param forcedStop   whether Camel forced the context's stop
     * @param errors       told of each Error the route did not handle
     */
    ExchangeDelivery(DefaultConsumer consumer, AsyncProcessorAwaitManager awaitManager, String routeId,
                     SequenceGaps sequenceGaps, int maxBatchSize, UndeliveredMessages undelivered,
                     BooleanSupplier forcedStop, ErrorReport errors) {
        this.consumer = consumer;
        this.awaitManager = awaitManager;
        this.routeId = routeId;
        this.sequenceGaps = sequenceGaps;
        this.batch = maxBatchSize <= 1 ? null : new MessageBatch(maxBatchSize);
        this.undelivered = undelivered;
        this.forcedStop = forcedStop;
        this.errors = errors;
    }

    /** Received messages written to the undelivered file since the route started (cut off by a stop, or an Error). */
    long undelivered() {
        return undelivered.written();
    }

    /** Forces to disk what was written to the undelivered file and not forced yet. Any thread. */
    void forceUndelivered() {
        undelivered.force();
    }

    /** Received messages that could not be written there either. */
    long lost() {
        return undelivered.lost();
    }

    /** Messages the route processed (its exchange completed, a handled failure included) since the route started. */
    long routed() {
        return routed;
    }

    /** The undelivered file. */
    Path undeliveredFile() {
        return undelivered.file();
    }

    /**
     * From now on, the messages of the connections numbered up to {@code throughConnection} that wait for the route go to
     * the undelivered file instead, in order, with {@code why} as their cause: a local append is many times faster than
     * the route, so what the server sent before it saw the close frame is kept rather than cut off by the deadline. Any
     * thread; later connections (a planned reconnect's next one) are not affected.
     */
    void spill(long throughConnection, String why) {
        if (throughConnection > spillThrough) {
            spillCause = new TimeoutException("not processed: " + why);
            spillThrough = throughConnection;
        }
    }

    /** Why a message of this connection no longer goes to the route, or null when it does. */
    private Exception cutOff(long connection) {
        if (forcedStop.getAsBoolean()) {
            return FORCED;
        }
        return connection <= spillThrough ? spillCause : null;
    }

    @Override
    public void process(Inbound item, boolean endOfBatch) {
        if (batch == null) {
            deliver(item, endOfBatch);
        } else {
            collect(item, endOfBatch);
        }
    }

    private void deliver(Inbound item, boolean endOfBatch) {
        if (item instanceof Inbound.DataMessage message) {
            deliverMessage(message, endOfBatch);
        } else {
            deliverEvent((LifecycleEvent) item, endOfBatch);
        }
    }

    private void deliverEvent(LifecycleEvent event, boolean endOfBatch) {
        Exchange exchange = consumer.createExchange(false);
        try {
            var in = exchange.getMessage();
            in.setHeader(WsListenerConstants.ROUTE_ID, routeId);
            event.applyTo(in);
        } catch (Exception e) {
            exchange.setException(e);
        }
        // an event is never kept for replay
        send(exchange, null, endOfBatch);
    }

    private void deliverMessage(Inbound.DataMessage message, boolean endOfBatch) {
        Exception cutOff = cutOff(message.connection());
        if (cutOff != null) {
            // Camel would reject the exchange, or the stop's deadline would cut it off: keep it for replay instead
            undeliver(message.body(), cutOff, endOfBatch);
            return;
        }
        Exchange exchange = consumer.createExchange(false);
        try {
            // the three headers as fields: no header map per message unless the route asks for one
            FeedMessage in = new FeedMessage(exchange, message.body(), routeId, message.connection(),
                    message.sequence());
            exchange.setIn(in);
            long gap = gapOf(message);
            if (gap != 0) {
                in.setHeader(WsListenerConstants.GAP, gap);
            }
        } catch (Exception e) {
            exchange.setException(e);
        }
        send(exchange, message.body(), endOfBatch);
    }

    /** Adds a message to the batch, which goes when nothing else waits (no added latency) or it is full. */
    private void collect(Inbound item, boolean endOfBatch) {
        if (!(item instanceof Inbound.DataMessage message)) {
            // lifecycle events are never batched: what was collected goes first
            deliverBatch(false);
            deliver(item, endOfBatch);
            return;
        }
        if (!batch.accepts(message.connection())) {
            // a batch never spans two connections, so that its headers hold: what was collected goes first
            deliverBatch(false);
        }
        // checked message by message, as without batches: the meter counts every gap
        if (batch.add(message.body(), message.connection(), message.sequence(), gapOf(message)) || endOfBatch) {
            deliverBatch(endOfBatch);
        }
    }

    private void deliverBatch(boolean endOfBatch) {
        if (batch.isEmpty()) {
            return;
        }
        Exception cutOff = cutOff(batch.connection());
        if (cutOff != null) {
            undeliver(batch.take(), cutOff, endOfBatch);
            return;
        }
        Exchange exchange = consumer.createExchange(false);
        FeedMessage in = batch.takeInto(exchange, routeId);
        exchange.setIn(in);
        send(exchange, in.getBody(), endOfBatch);
    }

    private long gapOf(Inbound.DataMessage message) {
        return sequenceGaps != null && message.body() instanceof String text ? sequenceGaps.check(text) : 0;
    }

    /**
     * Runs the route on the exchange (unless making the exchange failed already), as Camel's consumers do, and deals
     * with a failure: cut off by a forced stop (the exchange was rejected or interrupted), what was received was not
     * processed and goes to the undelivered file; an Error the route did not handle sends every message of the exchange
     * there too, each counted as a failure; any other failure goes to the exception handler.
     *
     * @param received the message as received, a batch's List of them, or null for a lifecycle event (never kept)
     */
    private void send(Exchange exchange, Object received, boolean endOfBatch) {
        Error error = null;
        try {
            if (exchange.getException() == null) {
                if (endOfBatch) {
                    exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, true);
                }
                // what Processor.process(exchange) does, without looking the await manager up again for every message
                awaitManager.process(consumer.getAsyncProcessor(), exchange);
            }
        } catch (Exception e) {
            exchange.setException(e);
        } catch (Error e) {
            error = e;
        } finally {
            try {
                settle(exchange, received, error, endOfBatch);
            } finally {
                consumer.releaseExchange(exchange, false);
            }
        }
    }

    private void settle(Exchange exchange, Object received, Error error, boolean endOfBatch) {
        Exception failure = exchange.getException();
        if (error != null && received == null) {
            // a lifecycle event: nothing to keep; the hand-off reports it
            throw error;
        } else if (error != null) {
            int messages = received instanceof List<?> bodies ? bodies.size() : 1;
            long lostBefore = undelivered.lost();
            undeliver(received, error, true);
            errors.failed(error, messages, undelivered.lost() == lostBefore ? undelivered.file() : null);
        } else if (failure != null && received != null && forcedStop.getAsBoolean()) {
            undeliver(received, failure, endOfBatch);
        } else {
            if (failure != null) {
                consumer.getExceptionHandler().handleException("Error processing WebSocket message", exchange,
                        failure);
            }
            if (received != null) {
                routed += received instanceof List<?> bodies ? bodies.size() : 1;
            }
        }
    }

    /** A message, or every message of a batch in order, that was not processed goes to the undelivered file. */
    private void undeliver(Object received, Throwable cause, boolean endOfBatch) {
        if (!(received instanceof List<?> bodies)) {
            undelivered.add(received, cause, endOfBatch);
            return;
        }
        for (int i = 0, last = bodies.size() - 1; i <= last; i++) {
            undelivered.add(bodies.get(i), cause, endOfBatch && i == last);
        }
    }
}
