package io.wslistener.source;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import io.wslistener.connection.ConnectionLoop;
import io.wslistener.connection.ConnectionState;
import io.wslistener.policy.ConnectionSettings;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedStatus;
import io.wslistener.spi.FeedStatuses;
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
 * The route starts even when the server is down; the loop keeps trying in the background. A stop ({@link FeedStop})
 * closes the socket with 1000 at once and reads on until the server's close reply, the route processing what arrives,
 * within {@code drainTimeout} capped by what is left of Camel's {@code shutdownTimeout}; what the route has not taken
 * near the end goes to the undelivered file. A context stop begins every feed's stop the moment it starts.
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
        /**
         * A stop or suspend began: the close frame is out, and backpressure works as usual while the last frames come
         * in and the route processes them.
         */
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
    // the stop of the current start (or since the last resume), once it began
    private FeedStop stop;
    private Runnable stopOnContextStop = () -> {
    };

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

    /** Messages received and not yet processed, those a previous start still holds included. */
    public int getInFlight() {
        FeedRun current = run;
        return current == null ? 0 : current.pending();
    }

    State state() {
        return state.get();
    }

    @Override
    protected void doStart() throws Exception {
        getEndpoint().startConsuming(this);
        super.doStart();
        FeedRun started = new FeedRunFactory(this).create(this::resumeUnlessStopped, this::isForcedStop,
                () -> state.get() != State.RUNNING);
        synchronized (this) {
            run = started;
            stop = null;
            state.set(State.RUNNING);
        }
        stopOnContextStop = started.stopBudget().whenStopping(() -> {
            if (state.get() == State.RUNNING) {
                beginStop("route stopped");
            }
        });
        started.observers().forEach(o -> o.feedStarted(started.feed()));
        started.loop().start();
    }

    @Override
    protected void doStop() throws Exception {
        FeedRun current = run;
        if (current != null) {
            stopUnlessClosed("route stopped");
            stopOnContextStop.run();
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
            synchronized (this) {
                stop = null;
                state.set(State.RUNNING);
            }
            current.handoff().restoreCountBound();
            current.loop().resumeReading();
            current.loop().start();
        }
    }

    // --- graceful shutdown: Camel waits for getPendingExchangesSize() to reach 0 before stopping this consumer

    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        if (run != null) {
            // Close and drain now, while every other route (a kamelet sink) still runs: the frames read until the
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
            case FORCED -> awaitClosed(beginStop(reason));
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

    private void resumeUnlessStopped() {
        // Called on the delivery thread when the backlog fell to half; decided on the loop's context, where messages
        // are offered and reading is paused: a resume that arrives after reading was paused again at maxInFlight is
        // dropped there, otherwise it would let one more message in past the bound each time.
        FeedRun current = run;
        if (!mayRead()) {
            // stopped: the socket is closed or closing for good, and the event loop may be gone with Vert.x
            return;
        }
        ConnectionLoop loop = current.loop();
        OrderedHandoff<Inbound> messages = current.handoff();
        try {
            loop.context().runOnContext(v -> {
                if (mayRead() && messages.belowPauseBound()) {
                    messages.resumed();
                    loop.resumeReading();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Route '{}': no resume, Vert.x is closed", getRouteId());
        }
    }

    private boolean mayRead() {
        State now = state.get();
        return now == State.RUNNING || now == State.CLOSING;
    }

    /** Begins this start's stop, once: the close frame goes out now. Quick, never blocking. */
    private synchronized FeedStop beginStop(String reason) {
        if (stop == null) {
            moveTo(State.CLOSING);
            stop = FeedStop.begin(run, getRouteId(), reason);
        }
        return stop;
    }

    private static void awaitClosed(FeedStop stopping) {
        try {
            stopping.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops (begun already when the context's stop began) and waits for it, within the stop's budget. */
    private void stopLoopDelivering(String reason) {
        FeedStop stopping = beginStop(reason);
        boolean interrupted = false;
        try {
            stopping.finish();
        } catch (InterruptedException e) {
            // Camel gave up waiting (its shutdownTimeout): the socket still closes by the stop's own deadline
            interrupted = true;
        }
        moveTo(State.CLOSED);
        if (interrupted) {
            Thread.currentThread().interrupt();
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

    @ManagedAttribute(description = "Received messages not processed and written to the undelivered dead-letter file (cut off by a stop's budget or a forced stop, or by an Error)")
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
            resumeUnlessStopped();
        }
    }

    /** One INFO line per operator request: what was asked, by whom (as far as JMX tells) and what it did. */
    private void logOperation(String operation, String caller, String outcome) {
        LOG.atInfo().addKeyValue("route", getRouteId()).addKeyValue("event", "operator-request")
                .addKeyValue("operation", operation).addKeyValue("caller", caller)
                .log("Route '{}': {} requested by {} (JMX): {}", getRouteId(), operation, caller, outcome);
    }
}
