package io.wslistener.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.wslistener.connection.ConnectionListener;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedObserver;

/**
 * When each connection of a ws-listener feed opened and closed, by {@link System#nanoTime()} on the loop's own event
 * loop. Bound in the Camel registry, it is found by the consumer like the meters are (the {@link FeedObserver} hook).
 */
public final class ConnectionEvents implements FeedObserver {

    private final Map<Long, Long> connectedAt = new ConcurrentHashMap<>();
    private final Map<Long, Long> disconnectedAt = new ConcurrentHashMap<>();
    private final AtomicLong latestConnection = new AtomicLong();

    @Override
    public void feedStarted(Feed feed) {
        feed.loop().addListener(new ConnectionListener() {
            @Override
            public void onConnected(long connectionNumber, int attempts, String remote) {
                connectedAt.put(connectionNumber, System.nanoTime());
                latestConnection.set(connectionNumber);
            }

            @Override
            public void onDisconnected(long connectionNumber, int closeCode, String reason, Duration uptime) {
                disconnectedAt.put(connectionNumber, System.nanoTime());
            }
        });
    }

    @Override
    public void feedStopped(Feed feed) {
        // the loop goes away with the feed, and its listener with it
    }

    /** The number of the latest connection that opened, 0 before the first. */
    long latestConnection() {
        return latestConnection.get();
    }

    /** When connection {@code number} opened, or null if it has not (yet). */
    Long connectedAt(long number) {
        return connectedAt.get(number);
    }

    /** When connection {@code number} was found closed or abandoned, or null if it has not been (yet). */
    Long disconnectedAt(long number) {
        return disconnectedAt.get(number);
    }
}
