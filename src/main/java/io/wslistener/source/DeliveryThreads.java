package io.wslistener.source;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The delivery threads of a CamelContext: never more than {@code maxThreads}, and no more than the drains that wanted a
 * thread at once in the last minute. Drains beyond the bound wait in order, and a drain that never runs dry lets them
 * go first after a slice ({@link OrderedHandoff#yieldWhen}).
 * <p>
 * The threads are a Camel thread pool (its names, JMX and shutdown), whose core and maximum sizes follow the demand.
 * Camel's pools cannot be both bounded and lazy: with an unbounded queue a {@link ThreadPoolExecutor} never grows past
 * its core size, and a core size at the bound starts a thread for every drain until the bound is reached, which idle
 * threads then keep (they take turns at the queue, so under any trickle of messages none idles for a whole minute): a
 * few feeds at one message a second would hold every thread of the bound. So the size is raised when more drains want a
 * thread than there are, and lowered to the last minute's peak once a minute; lowering the maximum ends the surplus
 * threads as soon as they are idle.
 * <p>
 * With Camel's virtual threads ({@code camel.main.virtualThreadsEnabled} on Java 21) the pool is a thread per task,
 * cheap enough to need no bound: drains are handed to it as they come.
 */
final class DeliveryThreads implements Executor {

    static final String NAME = "WsListenerDelivery";
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ExecutorService executor;
    // the executor when it is a pool of platform threads, sized here; null for virtual threads
    private final ThreadPoolExecutor pool;
    // Integer.MAX_VALUE once lifted
    private volatile int maxThreads;
    private final LongSupplier nanoClock;
    // drains handed over and not finished, queued or running
    private final AtomicInteger demand = new AtomicInteger();
    // the highest demand since windowStart
    private final AtomicInteger peak = new AtomicInteger();
    private final Object sizing = new Object();
    private volatile int size = 1;
    private volatile long windowStart;

    DeliveryThreads(ExecutorService executor, int maxThreads, LongSupplier nanoClock) {
        this.executor = executor;
        this.pool = executor instanceof ThreadPoolExecutor sized ? sized : null;
        this.maxThreads = maxThreads;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    /** A pool of the context's executor service manager, {@code source} owning it (for its JMX name). */
    static DeliveryThreads create(CamelContext camelContext, Object source, int maxThreads) {
        // every field set, so that a changed default profile of the application (camel.threadpool.*) does not apply;
        // Abort: a drain refused at exit must hear it (Camel's default CallerRuns drops it silently once shut down)
        ExecutorService threads = camelContext.getExecutorServiceManager().newThreadPool(source, NAME,
                new ThreadPoolProfileBuilder(NAME).poolSize(1).maxPoolSize(1).keepAliveTime(60L, TimeUnit.SECONDS)
                        .maxQueueSize(Integer.MAX_VALUE).allowCoreThreadTimeOut(true)
                        .rejectedPolicy(ThreadPoolRejectedPolicy.Abort).build());
        return new DeliveryThreads(threads, maxThreads, System::nanoTime);
    }

    @Override
    public void execute(Runnable drain) {
        if (pool == null) {
            executor.execute(drain);
            return;
        }
        resize(demand.incrementAndGet());
        try {
            pool.execute(() -> {
                try {
                    drain.run();
                } finally {
                    demand.decrementAndGet();
                }
            });
        } catch (RuntimeException | Error e) {
            demand.decrementAndGet();
            throw e;
        }
    }

    /** True when drains wait for a thread: every thread is busy and the bound reached. Cheap: read after messages. */
    boolean othersWait() {
        return pool != null && !pool.getQueue().isEmpty();
    }

    /**
     * From now on the pool has no bound, and every drain gets a thread at once: the context is stopping, and each feed's
     * drain delivers what it still has or writes it to the undelivered file; behind threads stuck in a route for good,
     * drains waiting for a thread would not, and their messages would be lost at the exit. The size still follows the
     * demand, so a drain that finds an idle thread takes it (a core size without bound would start a thread for every
     * drain handed over from now on: thousands at the stop of thousands of feeds); raising it now starts a thread for
     * each drain waiting.
     */
    void lift() {
        if (pool == null) {
            return;
        }
        synchronized (sizing) {
            maxThreads = Integer.MAX_VALUE;
            setSize(Math.max(size, demand.get()));
        }
    }

    /** The threads the pool may have now. */
    int size() {
        return size;
    }

    ExecutorService executor() {
        return executor;
    }

    private void resize(int wanted) {
        peak.accumulateAndGet(wanted, Math::max);
        long now = nanoClock.getAsLong();
        if (wanted <= size && now - windowStart < MINUTE_NANOS) {
            return;
        }
        synchronized (sizing) {
            int target = Math.max(size, wanted);
            long sinceWindow = now - windowStart;
            if (sinceWindow >= MINUTE_NANOS) {
                // the window's peak, unless the window was quiet for more than a minute of it (no drain came to end it)
                int windowPeak = peak.getAndSet(wanted);
                target = sinceWindow < 2 * MINUTE_NANOS ? Math.max(wanted, windowPeak) : wanted;
                windowStart = now;
            }
            setSize(Math.min(maxThreads, target));
        }
    }

    private void setSize(int target) {
        if (target > size) {
            // the maximum first: it may never be below the core size; a higher core size starts threads for drains
            // already queued
            pool.setMaximumPoolSize(target);
            pool.setCorePoolSize(target);
        } else if (target < size) {
            pool.setCorePoolSize(target);
            pool.setMaximumPoolSize(target);
        }
        size = target;
    }
}
