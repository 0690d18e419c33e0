package io.wslistener.connection;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Context;

/**
 * A {@link LoopClock} that moves only when the test moves it: {@link #advance} fires the timers that fall due, in the
 * order they fall due and each at its own instant, on the loop's context, and returns once they ran. A test of
 * backoff, keep-alive deadlines or maximum age then depends on no real milliseconds, however loaded the machine.
 * Sockets, handshakes and frames stay real: they take the time they take, and the clock stands still meanwhile.
 */
final class ManualLoopClock implements LoopClock {

    private record Timer(long id, long dueNanos, Runnable action) {
    }

    private final Context context;
    // nanoTime may be any value, even negative: start somewhere arbitrary
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Timer> timers = new ConcurrentHashMap<>();

    /** @param context the loop's context, where the timers run as Vert.x's would */
    ManualLoopClock(Context context) {
        this.context = context;
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public long setTimer(long delayMillis, Runnable action) {
        long id = ids.incrementAndGet();
        timers.put(id, new Timer(id, now.get() + TimeUnit.MILLISECONDS.toNanos(delayMillis), action));
        return id;
    }

    @Override
    public void cancelTimer(long id) {
        timers.remove(id);
    }

    /** Moves time on by {@code duration}, firing every timer that falls due meanwhile (new ones set by them too). */
    void advance(Duration duration) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                long until = now.get() + duration.toNanos();
                Timer next;
                while ((next = nextDue(until)) != null) {
                    timers.remove(next.id());
                    now.set(Math.max(now.get(), next.dueNanos()));
                    next.action().run();
                }
                now.set(until);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    /** How long from now each timer still set will fire, soonest first. */
    List<Duration> pendingTimers() {
        return timers.values().stream().sorted(Comparator.comparingLong(Timer::dueNanos))
                .map(t -> Duration.ofNanos(t.dueNanos() - now.get())).toList();
    }

    private Timer nextDue(long until) {
        return timers.values().stream().filter(t -> t.dueNanos() <= until)
                .min(Comparator.comparingLong(Timer::dueNanos).thenComparingLong(Timer::id)).orElse(null);
    }
}
