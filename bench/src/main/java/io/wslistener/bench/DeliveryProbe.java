package io.wslistener.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.wslistener.support.WsListenerConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The last step of a benchmark route, after the sink: a message that reaches it has been delivered. Records the time
 * of the first message of each ws-listener connection, and of the first message after a mark the benchmark sets (for
 * the stock consumer, whose messages carry no connection number).
 */
public final class DeliveryProbe implements Processor {

    private final Map<Long, Long> firstByConnection = new ConcurrentHashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong firstAfterMark = new AtomicLong();
    private volatile long mark = Long.MAX_VALUE;
    private volatile long lastAt;

    @Override
    public void process(Exchange exchange) {
        long now = System.nanoTime();
        Long connection = exchange.getMessage().getHeader(WsListenerConstants.CONNECTION, Long.class);
        firstByConnection.putIfAbsent(connection == null ? 0L : connection, now);
        if (now >= mark) {
            firstAfterMark.compareAndSet(0, now);
        }
        lastAt = now;
        delivered.incrementAndGet();
    }

    /** From now on, remember the first message delivered at or after {@code nanoTime}. */
    void mark(long nanoTime) {
        firstAfterMark.set(0);
        mark = nanoTime;
    }

    /** When the first message at or after the mark was delivered, or null if none has been. */
    Long firstAfterMark() {
        long at = firstAfterMark.get();
        return at == 0 ? null : at;
    }

    /** When the first message of ws-listener connection {@code number} was delivered, or null. */
    Long firstOfConnection(long number) {
        return firstByConnection.get(number);
    }

    long delivered() {
        return delivered.get();
    }

    /** When the latest message was delivered (0 before the first). */
    long lastAt() {
        return lastAt;
    }
}
