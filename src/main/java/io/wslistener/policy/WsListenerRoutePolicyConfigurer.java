package io.wslistener.policy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;

/**
 * How Camel sets the properties of a {@link WsListenerRoutePolicy} bean declared in YAML (found through
 * {@code META-INF/services/org/apache/camel/configurer/io.wslistener.policy.WsListenerRoutePolicy}, where Camel looks
 * for a configurer of a bean class): a property named like an option of {@link ConnectionSettings} goes to the
 * policy's configuration, so that YAML keeps writing {@code pingInterval: 5s} on the policy itself.
 * <p>
 * Written by hand, not generated, for what a generated configurer cannot do: it takes its options from
 * {@link SettingOptions} (the {@code @UriParam} fields) with no list of its own; durations are read strictly (a
 * generated configurer converts with Camel's type converter, which turns {@code -5s}, {@code 10S} or {@code 5x} into 0
 * without a word); and a misspelled option fails naming the options that exist, instead of only the one that does not.
 */
public class WsListenerRoutePolicyConfigurer implements PropertyConfigurer, PropertyConfigurerGetter {

    /** The policy's own properties (those of its Camel base class included), lower case. */
    private static final Set<String> POLICY_PROPERTIES = Arrays.stream(WsListenerRoutePolicy.class.getMethods())
            .filter(m -> m.getName().startsWith("set") && m.getName().length() > 3 && m.getParameterCount() == 1
                    && !Modifier.isStatic(m.getModifiers()))
            .map(Method::getName).map(name -> name.substring(3).toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());

    @Override
    public boolean configure(CamelContext camelContext, Object target, String name, Object value, boolean ignoreCase) {
        if (!(target instanceof WsListenerRoutePolicy policy)) {
            return false; // a map or bean inside the policy (handshakeHeaders.X): Camel's business
        }
        SettingOptions.Option option = SettingOptions.find(name).orElse(null);
        if (option == null) {
            if (!POLICY_PROPERTIES.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("unknown ws-listener policy option " + name + "; the options are "
                        + SettingOptions.names());
            }
            return false; // Camel's reflection sets the policy's own property
        }
        Object converted = value;
        if (value != null && !option.type().isInstance(value)) {
            try {
                converted = option.convert(camelContext, value.toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid ws-listener option " + name + "=" + value + "; allowed: "
                        + e.getMessage());
            }
        }
        option.set(policy.getConfiguration(), converted);
        return true;
    }

    // the getter side, so that Camel's binding of a nested property (handshakeHeaders.X) finds the map where it is

    @Override
    public Class<?> getOptionType(String name, boolean ignoreCase) {
        return SettingOptions.find(name).map(SettingOptions.Option::type).orElse(null);
    }

    @Override
    public Object getOptionValue(Object target, String name, boolean ignoreCase) {
        if (!(target instanceof WsListenerRoutePolicy policy)) {
            return null;
        }
        return SettingOptions.find(name).map(option -> option.get(policy.getConfiguration())).orElse(null);
    }

    @Override
    public Object getCollectionValueType(Object target, String name, boolean ignoreCase) {
        return SettingOptions.find(name).map(SettingOptions.Option::valueType).orElse(null);
    }
}
