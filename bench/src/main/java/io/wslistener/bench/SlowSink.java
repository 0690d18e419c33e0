package io.wslistener.bench;

import java.util.concurrent.locks.LockSupport;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A sink step that takes a fixed time per message, one message at a time, like a single connection to a slow database:
 * its throughput is bounded however many threads call it. It parks rather than spins, so it does not steal the
 * shared machine's CPU; Linux timer slack makes a park last somewhat longer than asked, so the benchmark reports the
 * time per message it really observed.
 */
public final class SlowSink implements Processor {

    private final long nanosPerMessage;

    public SlowSink(long micros) {
        this.nanosPerMessage = micros * 1000;
    }

    @Override
    public void process(Exchange exchange) {
        synchronized (this) {
            long deadline = System.nanoTime() + nanosPerMessage;
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }
    }
}
