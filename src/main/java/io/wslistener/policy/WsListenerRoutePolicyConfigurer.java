package io.wslistener.policy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertyConfigurer;

/**
 * How Camel sets the properties of a {@link WsListenerRoutePolicy} bean declared in YAML (found through
 * {@code META-INF/services/org/apache/camel/configurer/io.wslistener.policy.WsListenerRoutePolicy}, where Camel looks
 * for a configurer of a bean class).
 * <p>
 * Two things it adds to Camel's reflection, which does the rest: durations are read strictly (Camel's conversion turns
 * {@code -5s}, {@code 10S} or {@code 5x} into 0 without a word), and a misspelled option fails naming the options that
 * exist, instead of only the one that does not.
 */
public class WsListenerRoutePolicyConfigurer implements PropertyConfigurer {

    private static final Map<String, BiConsumer<WsListenerRoutePolicy, Duration>> DURATIONS = Map.of(
            "connecttimeout", WsListenerRoutePolicy::setConnectTimeout,
            "initialdelay", WsListenerRoutePolicy::setInitialDelay,
            "maxdelay", WsListenerRoutePolicy::setMaxDelay,
            "stableuptime", WsListenerRoutePolicy::setStableUptime,
            "pinginterval", WsListenerRoutePolicy::setPingInterval,
            "pongtimeout", WsListenerRoutePolicy::setPongTimeout,
            "idletimeout", WsListenerRoutePolicy::setIdleTimeout,
            "draintimeout", WsListenerRoutePolicy::setDrainTimeout,
            "stalledtimeout", WsListenerRoutePolicy::setStalledTimeout);

    /** Every property the bean can take (its setters, those of its Camel base class included), lower case. */
    private static final Set<String> WRITABLE = Arrays.stream(WsListenerRoutePolicy.class.getMethods())
            .filter(m -> m.getName().startsWith("set") && m.getName().length() > 3 && m.getParameterCount() == 1
                         && !Modifier.isStatic(m.getModifiers()))
            .map(Method::getName).map(name -> name.substring(3).toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());

    /** The options worth naming in a message: the settings, not the plumbing of the base class. */
    static final Set<String> OPTIONS = new TreeSet<>(PropertyDefaults.SETTINGS);

    static {
        OPTIONS.add("handshakeHeaders");
        OPTIONS.add("headersProvider");
    }

    @Override
    public boolean configure(CamelContext camelContext, Object target, String name, Object value, boolean ignoreCase) {
        if (!(target instanceof WsListenerRoutePolicy policy)) {
            return false; // a map or bean inside the policy (handshakeHeaders.X): Camel's business
        }
        String key = name.toLowerCase(Locale.ROOT);
        BiConsumer<WsListenerRoutePolicy, Duration> duration = DURATIONS.get(key);
        if (duration != null) {
            duration.accept(policy, value instanceof Duration given ? given : parse(name, value));
            return true;
        }
        if (!WRITABLE.contains(key)) {
            throw new IllegalArgumentException("unknown ws-listener policy option " + name + "; the options are " + OPTIONS);
        }
        return false; // Camel's reflection converts and sets it
    }

    private static Duration parse(String name, Object value) {
        try {
            return Durations.parse(value == null ? null : value.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid ws-listener option " + name + "=" + value + "; allowed: " + e.getMessage());
        }
    }
}
