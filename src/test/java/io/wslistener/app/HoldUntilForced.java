package io.wslistener.app;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ShutdownStrategy;

/**
 * A sink stuck on the first message until Camel forces the context's stop (its shutdownTimeout ran out), as a sink
 * that hangs does: the application's test routes call it as {@code class:io.wslistener.app.HoldUntilForced?method=hold}.
 * Camel has no event for a forced stop, so it looks every 10 ms.
 */
public final class HoldUntilForced {

    private static final AtomicBoolean HELD = new AtomicBoolean();

    public void hold(Exchange exchange) throws InterruptedException {
        if (!HELD.compareAndSet(false, true)) {
            return;
        }
        ShutdownStrategy shutdown = exchange.getContext().getShutdownStrategy();
        while (!shutdown.isForceShutdown()) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}
