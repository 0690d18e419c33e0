package io.wslistener.sink;

import java.util.Arrays;

import io.wslistener.metrics.SinkMeters;

/**
 * Which routes' messages one write of a sink holds (the file sink's buffer, an HTTP batch), and how many of each, so
 * that the write is counted with one increment per route instead of one per message. Usually one route; routes that
 * share a sink endpoint add a few more entries, so a linear search over them is the cheapest lookup there is.
 * <p>
 * Not thread-safe: the sink guards it along with the messages it counts.
 */
public final class WriteTally {

    private SinkMeters[] meters = new SinkMeters[2];
    private long[] counts = new long[2];
    private int size;
    private int last;

    /** One more message of the route these meters belong to. */
    public void add(SinkMeters routeMeters) {
        if (size > 0 && meters[last] == routeMeters) {
            counts[last]++;
            return;
        }
        for (int i = 0; i < size; i++) {
            if (meters[i] == routeMeters) {
                last = i;
                counts[i]++;
                return;
            }
        }
        if (size == meters.length) {
            meters = Arrays.copyOf(meters, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        meters[size] = routeMeters;
        counts[size] = 1;
        last = size++;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The write succeeded and took {@code nanos}: the messages count as written, the latency once per route. */
    public void written(long nanos) {
        for (int i = 0; i < size; i++) {
            meters[i].written(counts[i]);
            meters[i].latency(nanos);
        }
        clear();
    }

    /** The write failed and will be tried again: one retry per route (the messages stay). */
    public void retried() {
        for (int i = 0; i < size; i++) {
            meters[i].retried();
        }
    }

    /** The messages went to the dead letter. */
    public void deadLettered() {
        for (int i = 0; i < size; i++) {
            meters[i].deadLettered(counts[i]);
        }
        clear();
    }

    /** Forgets the messages without counting them (they were neither written nor dead-lettered). */
    public void clear() {
        Arrays.fill(meters, 0, size, null);
        size = 0;
        last = 0;
    }
}
