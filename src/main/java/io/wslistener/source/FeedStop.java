package io.wslistener.source;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Future;
import io.wslistener.connection.CloseReport;
import io.wslistener.support.Durations;
import io.wslistener.support.StopBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stop (or suspend) of a feed run, as the stop contract says. The socket is closed with 1000 at once, and the feed
 * reads on until the server's close reply: the server sent everything before that reply before it saw the close frame,
 * so for the feed it was delivered. The hand-off's bounds still pause reading while the route is behind.
 * <p>
 * The stop has a budget: {@code drainTimeout}, capped by what is left of Camel's {@code shutdownTimeout}. Near its end
 * ({@link StopBudget#spillReserve}) the route gets no more messages: what it has not taken, and what is still read up
 * to the close reply, is written to the undelivered file in arrival order (a local append is many times faster than a
 * slow sink). At the end the connection resets the socket if the reply has not come, so a server that never answers
 * (or keeps sending) cannot hold the stop up. One line then says how many messages were read after the close frame and
 * where they went.
 */
final class FeedStop {

    private static final Logger LOG = LoggerFactory.getLogger(WsListenerConsumer.class);
    /**
     * What the stop waits past its deadline for the reset to land and what was read to be written (at most; half the
     * spill reserve of a shorter budget), so that it still ends before Camel's own timeout.
     */
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final FeedRun run;
    private final String routeId;
    private final Duration budget;
    private final long spillAtNanos;
    private final long deadlineNanos;
    private final long routedBefore;
    private final long undeliveredBefore;
    private final Future<CloseReport> closed;
    private boolean spilled;
    private Boolean finished;

    private FeedStop(FeedRun run, String routeId, Duration budget, Future<CloseReport> closed, long startNanos) {
        this.run = run;
        this.routeId = routeId;
        this.budget = budget;
        this.deadlineNanos = startNanos + budget.toNanos();
        this.spillAtNanos = deadlineNanos - StopBudget.spillReserve(budget).toNanos();
        this.routedBefore = run.delivery().routed();
        this.undeliveredBefore = run.delivery().undelivered();
        this.closed = closed;
    }

    /** Sends the close frame and starts the deadline; returns at once. */
    static FeedStop begin(FeedRun run, String routeId, String reason) {
        long start = System.nanoTime();
        Duration budget = run.stopBudget().forFeedStop(run.settings().getDrainTimeout());
        return new FeedStop(run, routeId, budget, run.loop().stop(reason, budget), start);
    }

    /**
     * Waits until the connection has ended and the route has taken everything it received, cutting off what is left
     * near the deadline, then logs what became of the messages.
     *
     * @return true when nothing received is left waiting
     * @throws InterruptedException when Camel gave up waiting for the stop: the socket still closes by the deadline
     */
    synchronized boolean finish() throws InterruptedException {
        // Camel may stop the consumer while its graceful shutdown still waits in this stop: the second caller waits for
        // the first and gets its answer, rather than spilling and logging twice
        if (finished != null) {
            return finished;
        }
        boolean done = awaitUntil(spillAtNanos);
        if (!done) {
            spill();
            done = awaitUntil(deadlineNanos + Math.min(GRACE_NANOS, StopBudget.spillReserve(budget).toNanos() / 2));
            run.delivery().forceUndelivered();
        }
        log(done);
        finished = done;
        return done;
    }

    /**
     * Waits for the connection to end, until the stop's deadline at most: for a stop Camel forced, which no longer waits
     * for the route, but must not leave the loop running.
     */
    void awaitClosed() throws InterruptedException {
        awaitClosed(deadlineNanos);
    }

    private boolean awaitUntil(long deadline) throws InterruptedException {
        return awaitClosed(deadline) && run.awaitDelivered(deadline);
    }

    private boolean awaitClosed(long deadline) throws InterruptedException {
        try {
            closed.toCompletionStage().toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            LOG.debug("Route '{}': the socket did not close cleanly", routeId, e);
        }
        return true;
    }

    private void spill() {
        spilled = true;
        run.delivery().spill(run.loop().snapshot().connections(),
                "the stop's budget of " + Durations.format(budget) + " ran out before the route took it");
        // what is still read goes to a local append, fast enough to read on without pausing every maxInFlight
        run.handoff().liftCountBound();
    }

    private void log(boolean done) {
        CloseReport report = closed.isComplete() && closed.succeeded() ? closed.result() : null;
        String close;
        if (report == null) {
            close = "the connection is still closing";
        } else if (report.connection() == 0) {
            close = "no connection was open";
        } else {
            close = (report.reset() ? "no close reply within " + Durations.format(budget) + ", socket reset; "
                    : "the server answered the close frame; ") + report.readAfterCloseFrame()
                    + " messages were read after the close frame";
        }
        long routed = run.delivery().routed() - routedBefore;
        long undelivered = run.delivery().undelivered() - undeliveredBefore;
        int left = run.pending();
        String where = "since the stop began " + routed + " processed by the route"
                + (undelivered > 0 || spilled ? ", " + undelivered + " written to " + run.delivery().undeliveredFile()
                        + " for replay" : "")
                + (left > 0 ? ", " + left + " still waiting for a route that does not finish them" : "");
        if (done && undelivered == 0 && (report == null || !report.reset())) {
            LOG.info("Route '{}': stopped: {}; {}", routeId, close, where);
        } else {
            LOG.warn("Route '{}': stopped within its budget of {}: {}; {}", routeId, Durations.format(budget), close,
                    where);
        }
    }
}
