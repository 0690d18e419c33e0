package io.wslistener.policy;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How Camel sets the properties of a {@link WsListenerRoutePolicy} bean declared in YAML (found through
 * {@code META-INF/services/org/apache/camel/configurer/io.wslistener.policy.WsListenerRoutePolicy}, where Camel looks
 * for a configurer of a bean class).
 * <p>
 * Written by hand, not generated, for what a generated configurer cannot do: it takes its options from
 * {@link SettingOptions} (the {@code @Metadata} fields) with no list of its own; durations are read strictly (a
 * generated configurer converts with Camel's type converter, which turns {@code -5s}, {@code 10S} or {@code 5x} into 0
 * without a word); and a misspelled option fails naming the options that exist, instead of only the one that does not.
 */
public class WsListenerRoutePolicyConfigurer implements PropertyConfigurer, PropertyConfigurerGetter {

    /**
     * A deprecated prefix that YAML may still write before a setting ({@code configuration.pingInterval: 5s}): it leads
     * to the policy itself, whose own properties the settings are, with a warning.
     */
    static final String DEPRECATED_PREFIX = "configuration";

    private static final Logger LOG = LoggerFactory.getLogger(WsListenerRoutePolicyConfigurer.class);

    @Override
    public boolean configure(CamelContext camelContext, Object target, String name, Object value, boolean ignoreCase) {
        if (!(target instanceof WsListenerRoutePolicy policy)) {
            return false; // a map or bean inside the policy (handshakeHeaders.X): Camel's business
        }
        SettingOptions.Option option = SettingOptions.find(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown ws-listener policy option " + name
                        + "; the options are " + SettingOptions.names()));
        Object converted = value;
        if (value != null && !option.type().isInstance(value)) {
            try {
                converted = option.convert(camelContext, value.toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid ws-listener option " + name + "=" + value + "; allowed: "
                        + e.getMessage());
            }
        }
        option.set(policy, converted);
        return true;
    }

    // the getter side, so that Camel's binding of a nested property (handshakeHeaders.X) finds the map where it is

    @Override
    public Class<?> getOptionType(String name, boolean ignoreCase) {
        if (DEPRECATED_PREFIX.equalsIgnoreCase(name)) {
            return WsListenerRoutePolicy.class;
        }
        return SettingOptions.find(name).map(SettingOptions.Option::type).orElse(null);
    }

    @Override
    public Object getOptionValue(Object target, String name, boolean ignoreCase) {
        if (!(target instanceof WsListenerRoutePolicy policy)) {
            return null;
        }
        if (DEPRECATED_PREFIX.equalsIgnoreCase(name)) {
            LOG.warn("ws-listener policy properties under {}. are deprecated: write them on the policy itself"
                    + " (pingInterval: 5s, not {}.pingInterval: 5s)", DEPRECATED_PREFIX, DEPRECATED_PREFIX);
            return policy;
        }
        return SettingOptions.find(name).map(option -> option.get(policy)).orElse(null);
    }

    @Override
    public Object getCollectionValueType(Object target, String name, boolean ignoreCase) {
        return SettingOptions.find(name).map(SettingOptions.Option::valueType).orElse(null);
    }
}
