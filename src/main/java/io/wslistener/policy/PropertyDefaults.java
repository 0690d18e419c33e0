package io.wslistener.policy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.Type;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;

/**
 * The {@code wslistener.<option>} application properties of one CamelContext, resolved once and shared by every route
 * start, until they may have changed.
 * <p>
 * Resolving them per route start looked up every option in the properties (each look-up tries the environment variable
 * forms too) and loaded all properties to reject unknown {@code wslistener.*} names: about a tenth of a millisecond per
 * route, a second at 10,000 feeds. Camel has no event for a properties change, so the snapshot is dropped at the
 * moments a change can reach a route: the context starting (again), a context reload (JMX, the dev console) and a route
 * being removed (a route reload of {@code camel.main.routesReloadEnabled}, as {@code camel:run} uses it, removes the
 * routes before it reloads the properties files and adds the routes again).
 */
final class PropertyDefaults {

    private static final Object LOCK = new Object();

    private final Invalidator invalidator = new Invalidator();
    private volatile Snapshot snapshot;

    private PropertyDefaults() {
    }

    /** The context's snapshot holder, installed on first use. */
    static PropertyDefaults of(CamelContext context) {
        PropertyDefaults defaults = context.getCamelContextExtension().getContextPlugin(PropertyDefaults.class);
        if (defaults != null) {
            return defaults;
        }
        synchronized (LOCK) {
            defaults = context.getCamelContextExtension().getContextPlugin(PropertyDefaults.class);
            if (defaults == null) {
                defaults = new PropertyDefaults();
                // exchange events are never offered to it, so the routes' exchanges do not pay for it
                defaults.invalidator.setIgnoreExchangeEvents(true);
                defaults.invalidator.setIgnoreStepEvents(true);
                ServiceHelper.startService(defaults.invalidator);
                context.getManagementStrategy().addEventNotifier(defaults.invalidator);
                context.getCamelContextExtension().addContextPlugin(PropertyDefaults.class, defaults);
            }
            return defaults;
        }
    }

    /**
     * The snapshot: the value of {@code wslistener.<option>} for every option a property can set.
     *
     * @param checkNames the check of the {@code wslistener.*} names, run once per snapshot (a typo fails the start of
     *                   every route until it is fixed)
     */
    Snapshot snapshot(CamelContext context, Runnable checkNames) {
        Snapshot current = snapshot;
        if (current == null) {
            checkNames.run();
            Map<String, Optional<String>> read = new HashMap<>();
            for (SettingOptions.Option option : SettingOptions.all()) {
                if (option.settableByProperty()) {
                    read.put(option.name(), context.getPropertiesComponent()
                            .resolveProperty(SettingOptions.PROPERTY_PREFIX + option.name()));
                }
            }
            current = new Snapshot(Map.copyOf(read));
            snapshot = current;
        }
        return current;
    }

    /** The properties as they were read, and the values made from them and from the defaults, shared by the routes. */
    static final class Snapshot {

        private final Map<String, Optional<String>> properties;
        // option name and text to value: a Duration or number per option and route added up to a few hundred bytes
        // per feed
        private final Map<String, Object> converted = new ConcurrentHashMap<>();

        private Snapshot(Map<String, Optional<String>> properties) {
            this.properties = properties;
        }

        /** The text of {@code wslistener.<option>}, empty when it is not set. */
        Optional<String> property(SettingOptions.Option option) {
            return properties.getOrDefault(option.name(), Optional.empty());
        }

        /**
         * {@link SettingOptions.Option#convert}, once per option and text when the value cannot change (text, a
         * duration, a number, a boolean or an enum).
         *
         * @throws IllegalArgumentException as convert does
         */
        Object convert(SettingOptions.Option option, String text, CamelContext context) {
            String key = option.name() + '\u0000' + text;
            Object value = converted.get(key);
            if (value == null) {
                value = option.convert(context, text);
                if (value instanceof String || value instanceof java.time.Duration || value instanceof Number
                        || value instanceof Boolean || value instanceof Enum<?>) {
                    converted.put(key, value);
                }
            }
            return value;
        }
    }

    /** Drops the snapshot at the moments the properties may have changed for the routes that start next. */
    private final class Invalidator extends EventNotifierSupport {

        @Override
        public boolean isEnabled(CamelEvent event) {
            Type type = event.getType();
            return type == Type.CamelContextStarting || type == Type.CamelContextReloading
                    || type == Type.RouteRemoved;
        }

        @Override
        public void notify(CamelEvent event) {
            snapshot = null;
        }
    }
}
