package io.wslistener.metrics;

import io.wslistener.spi.Feed;

/** What {@link FeedMeters} keeps for one started feed: its series, whichever way they are written. */
interface FeedMeterSet {

    /** The feed whose events these series count. */
    Feed feed();

    /** Takes the series out of the registry. */
    void remove();
}
