package io.wslistener.testsupport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sockets of one request path on a {@link TestWebSocketServer}: open now, the most ever open at once, accepted in all,
 * when the last came. The server, not the client, is then the witness that there were never two live sockets for one
 * feed. Readable from any thread.
 */
public final class PathCounts {

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile long lastAcceptedNanos;

    PathCounts() {
    }

    void opened() {
        // open's increment returns the exact count at that instant, so the max is exact whatever the thread
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        lastAcceptedNanos = System.nanoTime();
        accepted.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    public int open() {
        return open.get();
    }

    public int maxOpen() {
        return maxOpen.get();
    }

    public int accepted() {
        return accepted.get();
    }

    /** When the last socket on this path was accepted, in {@link System#nanoTime()}; 0 if none. */
    public long lastAcceptedNanos() {
        return lastAcceptedNanos;
    }

    @Override
    public String toString() {
        return "open=" + open() + " max=" + maxOpen() + " accepted=" + accepted();
    }
}
