package io.wslistener.source;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Future;
import io.wslistener.connection.ConnectionLoop;
import io.wslistener.connection.ConnectionState;
import io.wslistener.policy.ConnectionSettings;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedStatus;
import io.wslistener.spi.FeedStatuses;
import io.wslistener.support.Durations;
import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.Suspendable;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ws-listener WebSocket client consumer. Like Camel's own consumers (KafkaConsumer, for one) it only orchestrates
 * start, stop, suspend and resume: {@link FeedRunFactory} wires a start (the {@link ConnectionLoop}, the hand-off to the
 * route, the delivery that makes the exchanges), and each stop drains and closes it.
 * <p>
 * The route starts even when the server is down; the loop keeps trying in the background. A stop pauses reading first,
 * lets the route process what was received, and only then closes the socket with 1000, reading on until the server's
 * close reply (those last frames are processed too), all within {@code drainTimeout}.
 * <p>
 * Suspend does to the socket what a stop does: drain, then close with 1000; nothing stays connected while the route is
 * suspended. Resume connects again (a new connection, counted and logged as any other).
 */
@ManagedResource(description = "Managed ws-listener WebSocket consumer")
public class WsListenerConsumer extends DefaultConsumer implements ShutdownAware, Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(WsListenerConsumer.class);

    /** Where the consumer is between a start and the end of its stop; one value that every thread reads. */
    enum State {
        /** Messages flow; a backlog that falls lets reading resume. */
        RUNNING,
        /** A stop or suspend waits for the route to process what was received: reading stays paused. */
        DRAINING,
        /** The loop closes the socket: backpressure works as usual while the last frames come in. */
        CLOSING,
        /** Drained and closed (Camel's graceful shutdown does it early, in deferShutdown): nothing left to stop. */
        CLOSED,
        /**
         * Camel forced the stop (shutdownTimeout reached): what the hand-off still holds goes to the undelivered file,
         * and a stop only makes sure the loop is stopped. Stays until the next start.
         */
        FORCED
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
    private volatile FeedRun run;

    public WsListenerConsumer(WsListenerEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public WsListenerEndpoint getEndpoint() {
        return (WsListenerEndpoint) super.getEndpoint();
    }

    /** The feed's connection loop, or null before the first start. */
    public ConnectionLoop getLoop() {
        FeedRun current = run;
        return current == null ? null : current.loop();
    }

    /** The feed as observers see it, or null before the first start. */
    public Feed getFeed() {
        FeedRun current = run;
        return current == null ? null : current.feed();
    }

    /** The settings the feed runs with, or null before the first start. */
    public ConnectionSettings getSettings() {
        FeedRun current = run;
        return current == null ? null : current.settings();
    }

    /** Messages received and not yet processed. */
    public int getInFlight() {
        FeedRun current = run;
        return current == null ? 0 : current.handoff().pending();
    }

    State state() {
        return state.get();
    }

    @Override
    protected void doStart() throws Exception {
        getEndpoint().startConsuming(this);
        super.doStart();
        FeedRun started = new FeedRunFactory(this).create(this::resumeUnlessDraining, this::isForcedStop);
        run = started;
        state.set(State.RUNNING);
        started.observers().forEach(o -> o.feedStarted(started.feed()));
        started.loop().start();
    }

    @Override
    protected void doStop() throws Exception {
        FeedRun current = run;
        if (current != null) {
            stopUnlessClosed("route stopped");
            current.observers().forEach(o -> o.feedStopped(current.feed()));
            current.connector().close();
        }
        super.doStop();
    }

    @Override
    protected void doSuspend() {
        stopUnlessClosed("route suspended");
    }

    @Override
    protected void doResume() throws Exception {
        FeedRun current = run;
        if (current != null) {
            state.set(State.RUNNING);
            current.loop().resumeReading();
            current.loop().start();
        }
    }

    // --- graceful shutdown: Camel waits for getPendingExchangesSize() to reach 0 before stopping this consumer

    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        if (run != null) {
            // Drain and close now, while every other route (a kamelet sink) still runs: the frames read until the
            // server's close reply are then processed before Camel goes on. Closed only in doStop, they would reach
            // sinks Camel may already have stopped.
            stopLoopDelivering("route stopped");
        }
        return true;
    }

    @Override
    public int getPendingExchangesSize() {
        return getInFlight();
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        if (forced) {
            state.set(State.FORCED);
            if (getInFlight() > 0) {
                LOG.warn("Route '{}': shutdown forced with {} received messages not yet processed", getRouteId(),
                        getInFlight());
            }
        }
    }

    private void stopUnlessClosed(String reason) {
        FeedRun current = run;
        if (current == null) {
            return;
        }
        switch (state.get()) {
            case CLOSED -> {
            }
            // Camel gave up waiting: no drain any more (what is left goes to the undelivered file), but the loop must
            // stop, or it would go on reconnecting next to the route's next start
            case FORCED -> awaitQuietly(current.loop().stop(reason));
            default -> stopLoopDelivering(reason);
        }
    }

    /** Moves on to {@code next}, unless the stop was forced meanwhile: that stays until the next start. */
    private void moveTo(State next) {
        state.getAndUpdate(now -> now == State.FORCED ? now : next);
    }

    /**
     * The context's stop reached shutdownTimeout and was forced. A forced stop of the route alone does not count: its
     * messages go on being processed in the background, and a restart's new messages follow them.
     */
    private boolean isForcedStop() {
        FeedRun current = run;
        return (state.get() == State.FORCED || getEndpoint().getCamelContext().getShutdownStrategy().isForceShutdown())
                && current != null && current.stopBudget().isStopping();
    }

    private void resumeUnlessDraining() {
        // Called on the delivery thread when the backlog fell to half; decided on the loop's context, where messages
        // are offered and reading is paused: a resume that arrives after reading was paused again at maxInFlight is
        // dropped there, otherwise it would let one more message in past the bound each time.
        FeedRun current = run;
        ConnectionLoop loop = current.loop();
        OrderedHandoff<Inbound> messages = current.handoff();
        loop.context().runOnContext(v -> {
            State now = state.get();
            if ((now == State.RUNNING || now == State.CLOSING) && messages.belowPauseBound()) {
                messages.resumed();
                loop.resumeReading();
            }
        });
    }

    /**
     * Pauses reading, lets the route process what was received, then closes the socket: the loop reads on while the
     * close handshake runs, and what Vert.x had already read comes out and is processed too, all within drainTimeout.
     */
    private void stopLoopDelivering(String reason) {
        FeedRun current = run;
        ConnectionLoop loop = current.loop();
        OrderedHandoff<Inbound> handoff = current.handoff();
        Duration drainTimeout = current.settings().getDrainTimeout();
        // drainTimeout, capped by what is left of Camel's shutdownTimeout when the whole context stops
        Duration budget = current.stopBudget().cap(drainTimeout);
        long deadline = System.nanoTime() + budget.toNanos();
        boolean drained = false;
        boolean interrupted = false;
        moveTo(State.DRAINING);
        loop.pauseReading();
        try {
            drained = handoff.awaitEmpty(budget);
        } catch (InterruptedException e) {
            // Camel interrupts a stop that reached shutdownTimeout: stop waiting, but the loop must still stop, or it
            // would go on reconnecting next to the route's next start
            interrupted = true;
        }
        // while the socket closes, backpressure works as usual: the frames still coming are bounded as before
        moveTo(State.CLOSING);
        awaitQuietly(loop.stop(reason));
        moveTo(State.DRAINING);
        try {
            if (drained && !interrupted) {
                drained = handoff.awaitEmpty(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        moveTo(State.CLOSED);
        if (!drained) {
            LOG.warn("Route '{}': {} received messages not processed within drainTimeout {}", getRouteId(),
                    handoff.pending(), Durations.format(drainTimeout));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(Future<Void> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Socket did not close cleanly", e);
        }
    }

    // --- JMX: Camel adds these to the consumer's MBean (org.apache.camel:type=consumers), as for its own
    // @ManagedResource consumers. They read the FeedStatus that the dev console reads, so both always agree.

    private FeedStatus managedStatus() {
        FeedStatuses statuses = FeedStatuses.of(getEndpoint().getCamelContext());
        return statuses == null ? null : statuses.of(getFeed());
    }

    @ManagedAttribute(description = "Connection state: CONNECTING, OPEN, BACKING_OFF, STOPPED or FAILED")
    public String getConnectionState() {
        ConnectionLoop loop = getLoop();
        return loop == null ? ConnectionState.STOPPED.name() : loop.snapshot().state().name();
    }

    @ManagedAttribute(description = "Since when the connection is in its state (ISO-8601)")
    public String getConnectionStateSince() {
        ConnectionLoop loop = getLoop();
        return loop == null ? null : Instant.ofEpochMilli(loop.snapshot().sinceEpochMillis()).toString();
    }

    @ManagedAttribute(description = "Number of the current (or last) connection; 0 before the first")
    public long getConnectionNumber() {
        ConnectionLoop loop = getLoop();
        return loop == null ? 0 : loop.snapshot().connections();
    }

    @ManagedAttribute(description = "Server URL, secrets masked")
    public String getServerUrl() {
        Feed feed = getFeed();
        return feed == null ? null : feed.serverUri();
    }

    @ManagedAttribute(description = "WebSocket messages received since the route started")
    public long getMessagesReceived() {
        FeedStatus status = managedStatus();
        return status == null ? 0 : status.messages();
    }

    @ManagedAttribute(description = "Messages per second over the last 10 seconds")
    public double getMessageRate() {
        FeedStatus status = managedStatus();
        return status == null ? 0 : status.messagesPerSecond();
    }

    @ManagedAttribute(description = "Messages received and not yet processed")
    public int getMessagesInFlight() {
        return getInFlight();
    }

    @ManagedAttribute(description = "Received messages a forced stop left unprocessed and wrote to the undelivered dead-letter file")
    public long getMessagesUndelivered() {
        FeedRun current = run;
        return current == null ? 0 : current.delivery().undelivered();
    }

    @ManagedAttribute(description = "Whether reading from the socket is paused (backpressure or operator)")
    public boolean isReadingPaused() {
        FeedStatus status = managedStatus();
        return status != null && status.readingPaused();
    }

    @ManagedAttribute(description = "Whether an operator paused reading (pauseReading), until resumeReading")
    public boolean isReadingHeld() {
        ConnectionLoop loop = getLoop();
        return loop != null && loop.readingHeld();
    }

    @ManagedAttribute(description = "Total time reading was paused, in milliseconds")
    public long getPausedMillis() {
        FeedStatus status = managedStatus();
        return status == null ? 0 : status.pausedTime().toMillis();
    }

    @ManagedAttribute(description = "Round trip of the last pong in milliseconds, -1 before the first")
    public double getLastPongRoundTripMillis() {
        FeedStatus status = managedStatus();
        Duration rtt = status == null ? null : status.lastPongRoundTrip();
        return rtt == null ? -1 : rtt.toNanos() / 1e6;
    }

    @ManagedAttribute(description = "Cause of the last failed attempt, lost connection or give-up")
    public String getLastFailure() {
        FeedStatus status = managedStatus();
        FeedStatus.Failure failure = status == null ? null : status.lastFailure();
        return failure == null ? null : failure.cause();
    }

    @ManagedAttribute(description = "When the last failure happened (ISO-8601)")
    public String getLastFailureAt() {
        FeedStatus status = managedStatus();
        FeedStatus.Failure failure = status == null ? null : status.lastFailure();
        return failure == null ? null : failure.at().toString();
    }

    @ManagedOperation(description = "Reconnect now: close the open connection with 1000 (its frames still delivered), or stop waiting out the backoff (not a server's Retry-After)")
    public void reconnectNow() {
        String caller = JmxCaller.describe();
        ConnectionLoop loop = getLoop();
        if (loop == null) {
            logOperation("reconnectNow", caller, "nothing to do before the route started");
            return;
        }
        // logged once the loop says what it did (on its context, quickly)
        loop.reconnectNow().onSuccess(outcome -> logOperation("reconnectNow", caller, outcome));
    }

    @ManagedOperation(description = "Pause reading from the socket (TCP backpressure) until resumeReading")
    public void pauseReading() {
        String caller = JmxCaller.describe();
        ConnectionLoop loop = getLoop();
        logOperation("pauseReading", caller,
                loop == null ? "nothing to do before the route started" : "reading paused until resumeReading");
        if (loop != null) {
            loop.holdReading();
        }
    }

    @ManagedOperation(description = "Resume reading after pauseReading (a backlog above maxInFlight keeps it paused)")
    public void resumeReading() {
        String caller = JmxCaller.describe();
        ConnectionLoop loop = getLoop();
        logOperation("resumeReading", caller, loop == null ? "nothing to do before the route started"
                : "reading resumes once the route is less than maxInFlight behind");
        if (loop != null) {
            loop.releaseReading();
            resumeUnlessDraining();
        }
    }

    /** One INFO line per operator request: what was asked, by whom (as far as JMX tells) and what it did. */
    private void logOperation(String operation, String caller, String outcome) {
        LOG.atInfo().addKeyValue("route", getRouteId()).addKeyValue("event", "operator-request")
                .addKeyValue("operation", operation).addKeyValue("caller", caller)
                .log("Route '{}': {} requested by {} (JMX): {}", getRouteId(), operation, caller, outcome);
    }
}
