package io.wslistener.support;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code wslistener.*} application properties other than the connection settings (those are
 * {@code wslistener.<setting>}, one per option of the connection policy). The code that reads a property names it by
 * its constant here, so this is the one list that start-up checks every {@code wslistener.} property against: a key that
 * is neither one of these nor a connection setting is a typo, and refused.
 */
public enum WsListenerProperty {

    /** Where a forced stop writes the messages it could not deliver. */
    UNDELIVERED_DIRECTORY("wslistener.undelivered.directory", "data/dead-letter"),
    /**
     * The most threads that hand received messages to the routes, for all feeds of a CamelContext together. 100: at
     * 10,000 feeds sent a message a second each (bench/run.sh footprint) the unbounded pool ran up to 110 threads at
     * once, and a bound there costs those bursts a few milliseconds on a machine of a few cores; a sink that stalls every
     * feed held 3,056.
     */
    DELIVERY_MAX_THREADS("wslistener.delivery.maxThreads", "100"),
    /** How often the summary line per feed is logged. */
    SUMMARY_INTERVAL("wslistener.summary.interval", "60s"),
    /** The standalone process's console log format. */
    LOG_FORMAT("wslistener.log.format", "text"),
    /** The embedded demo feed of the standalone application. */
    DEMO_ENABLED("wslistener.demo.enabled", "false"), DEMO_HOST("wslistener.demo.host", "127.0.0.1"), DEMO_PORT(
            "wslistener.demo.port",
            "8765"), DEMO_PATH("wslistener.demo.path", "/feed"), DEMO_RATE("wslistener.demo.rate", "5");

    /** What every ws-listener application property starts with. */
    public static final String PREFIX = "wslistener.";

    private final String key;
    private final String defaultValue;

    WsListenerProperty(String key, String defaultValue) {
        this.key = key;
        this.defaultValue = defaultValue;
    }

    public String key() {
        return key;
    }

    /** What applies when the property is not set, as written in the docs. */
    public String defaultValue() {
        return defaultValue;
    }

    /** Every key, sorted. */
    public static Set<String> keys() {
        return Arrays.stream(values()).map(WsListenerProperty::key)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Override
    public String toString() {
        return key;
    }
}
