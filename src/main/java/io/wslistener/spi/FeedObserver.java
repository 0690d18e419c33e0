package io.wslistener.spi;

/**
 * Told when a feed starts and stops. Beans of this type in the Camel registry are found by every ws-listener consumer;
 * this is how meters and health checks attach without the consumer knowing them.
 */
public interface FeedObserver {

    void feedStarted(Feed feed);

    void feedStopped(Feed feed);
}
