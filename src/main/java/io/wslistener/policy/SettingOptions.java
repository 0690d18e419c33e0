package io.wslistener.policy;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.wslistener.support.Durations;
import io.wslistener.support.NearestName;
import io.wslistener.support.UriMasking;
import io.wslistener.support.WsListenerProperty;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Metadata;

/**
 * The options of {@link ConnectionSettings}, read from its {@link Metadata} fields (those of its superclass
 * {@link MessageSettings} included): what the route policy's YAML properties, the {@code wslistener.*} application
 * properties and the defaults are resolved against, so that none of them keeps its own list of settings.
 */
public final class SettingOptions {

    /** Prefix of the application properties that carry the application-wide defaults. */
    public static final String PROPERTY_PREFIX = WsListenerProperty.PREFIX;

    /** What a secret value is shown as, the mask of {@link UriMasking}. */
    static final String MASK = "xxxxxx";

    /** One option: its field, and what its {@link Metadata} says about it. */
    public record Option(String name, Field field, Metadata param) {

        public Class<?> type() {
            return field.getType();
        }

        /** The type of the values of a map or collection option, or null. */
        public Class<?> valueType() {
            if (field.getGenericType() instanceof ParameterizedType generic) {
                Type[] arguments = generic.getActualTypeArguments();
                return arguments[arguments.length - 1] instanceof Class<?> value ? value : null;
            }
            return null;
        }

        /** Its default as written in the docs, or null when it has none. */
        public String defaultValue() {
            return param.defaultValue().isEmpty() ? null : param.defaultValue();
        }

        public String description() {
            return param.description();
        }

        /** Its group: connection, security, keep-alive, backoff or messages. */
        public String label() {
            return param.label();
        }

        /** Whether its value may carry a credential, and so is never shown. */
        public boolean secret() {
            return param.secret();
        }

        /**
         * Whether a {@code wslistener.<name>} application property can set it: text, durations and numbers can; a map
         * or a bean only on the policy.
         */
        public boolean settableByProperty() {
            return type() == String.class || type() == Duration.class || Number.class.isAssignableFrom(type())
                    || type() == Boolean.class || type().isEnum();
        }

        public Object get(ConnectionSettings settings) {
            try {
                return field.get(settings);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        public void set(ConnectionSettings settings, Object value) {
            try {
                field.set(settings, value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Converts text to this option's type: durations strictly ({@link Durations}: Camel's own conversion reads
         * {@code -5s}, {@code 10S} and {@code 5x} as 0), numbers by {@code valueOf}, booleans and enums (any case) by
         * name, anything else with Camel's type converter.
         *
         * @throws IllegalArgumentException whose message says what is allowed
         */
        public Object convert(CamelContext context, String text) {
            Class<?> type = type();
            if (type == String.class) {
                return text;
            }
            if (type == Duration.class) {
                return Durations.parse(text);
            }
            String value = text.trim();
            try {
                if (type == Integer.class) {
                    return Integer.valueOf(value);
                }
                if (type == Long.class) {
                    return Long.valueOf(value);
                }
                if (type == Double.class) {
                    return Double.valueOf(value);
                }
                if (type == Boolean.class && ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value))) {
                    return Boolean.valueOf(value);
                }
                if (type.isEnum()) {
                    for (Object constant : type.getEnumConstants()) {
                        if (((Enum<?>) constant).name().equalsIgnoreCase(value)) {
                            return constant;
                        }
                    }
                    throw new IllegalArgumentException("one of " + Arrays.toString(type.getEnumConstants()));
                }
                if (context != null && type != Boolean.class) {
                    return context.getTypeConverter().mandatoryConvertTo(type, value);
                }
            } catch (IllegalArgumentException e) {
                if (type.isEnum()) {
                    throw e;
                }
            } catch (Exception e) {
                // reported below, in the words of the option
            }
            throw new IllegalArgumentException(Number.class.isAssignableFrom(type) ? "a number"
                    : type == Boolean.class ? "true or false" : "a " + type.getSimpleName());
        }
    }

    private static final List<Option> OPTIONS = options();

    private static final Map<String, Option> BY_LOWER_CASE_NAME = OPTIONS.stream()
            .collect(Collectors.toUnmodifiableMap(o -> o.name().toLowerCase(Locale.ROOT), o -> o));

    private SettingOptions() {
    }

    /** The class's own fields, then its superclass's: the order of Camel's generated bean metadata. */
    private static List<Option> options() {
        List<Option> options = new ArrayList<>();
        for (Class<?> type = ConnectionSettings.class; type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                Metadata metadata = field.getAnnotation(Metadata.class);
                if (metadata != null) {
                    field.setAccessible(true);
                    options.add(new Option(field.getName(), field, metadata));
                }
            }
        }
        return List.copyOf(options);
    }

    /** Every option, in the order of the classes: ConnectionSettings, then MessageSettings. */
    public static List<Option> all() {
        return OPTIONS;
    }

    /** The option of this name, in any case, or empty. */
    public static Optional<Option> find(String name) {
        return Optional.ofNullable(BY_LOWER_CASE_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The names of every option, sorted, for messages. */
    public static Set<String> names() {
        return OPTIONS.stream().map(Option::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * What a route runs with: a copy of {@code explicit} in which every unset option takes the value of the
     * {@code wslistener.<option>} application property, and then its default; validated.
     *
     * @throws InvalidSettingException naming the route and the option
     */
    public static ConnectionSettings resolve(ConnectionSettings explicit, String routeId, CamelContext context) {
        PropertyDefaults.Snapshot defaults = PropertyDefaults.of(context)
                .snapshot(context, () -> rejectUnknownProperties(routeId, context));
        ConnectionSettings resolved = new ConnectionSettings();
        for (Option option : OPTIONS) {
            Object value = option.get(explicit);
            if (value == null) {
                String text = option.settableByProperty() ? defaults.property(option).orElse(null) : null;
                if (text == null) {
                    text = option.defaultValue();
                }
                if (text != null) {
                    try {
                        value = defaults.convert(option, text, context);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidSettingException(routeId, option.name(), text, e.getMessage());
                    }
                }
            }
            if (value instanceof Map<?, ?> map) {
                value = Map.copyOf(map);
            }
            option.set(resolved, value);
        }
        return resolved.validate(routeId);
    }

    /** Sets every unset option of {@code settings} to its default. */
    static ConnectionSettings withDefaults(ConnectionSettings settings) {
        for (Option option : OPTIONS) {
            if (option.get(settings) == null && option.defaultValue() != null) {
                option.set(settings, option.convert(null, option.defaultValue()));
            }
        }
        return settings;
    }

    /**
     * A {@code wslistener.} property that is neither a connection setting nor a {@link WsListenerProperty} is a typo:
     * fail, naming it and the known property nearest to it.
     */
    private static void rejectUnknownProperties(String routeId, CamelContext context) {
        Set<String> known = OPTIONS.stream().filter(Option::settableByProperty)
                .map(option -> PROPERTY_PREFIX + option.name()).collect(Collectors.toCollection(TreeSet::new));
        known.addAll(WsListenerProperty.keys());
        Set<String> unknown = new TreeSet<>();
        for (Object key : context.getPropertiesComponent().loadPropertiesAsMap().keySet()) {
            String property = String.valueOf(key);
            if (property.startsWith(PROPERTY_PREFIX) && !known.contains(property)) {
                unknown.add(property);
            }
        }
        if (!unknown.isEmpty()) {
            String nearest = unknown.stream().map(property -> NearestName.of(property, known))
                    .collect(Collectors.joining(", "));
            throw new InvalidSettingException(routeId, String.join(", ", unknown),
                    (unknown.size() == 1 ? "unknown property, did you mean " : "unknown properties, did you mean ")
                            + nearest + "? The known " + PROPERTY_PREFIX + "* properties are " + known);
        }
    }

    /**
     * The options that are set, for a log line or a debugger: a secret option's value is replaced by
     * {@value #MASK} (a map keeps its keys), a bean is shown by its class (its own {@code toString} may print
     * what it holds), and the URLs in any other text are masked as {@link UriMasking#mask} does (query secrets, the
     * password or token of the user info).
     */
    static String describe(ConnectionSettings settings) {
        Map<String, Object> set = new LinkedHashMap<>();
        for (Option option : OPTIONS) {
            Object value = option.get(settings);
            if (value != null) {
                set.put(option.name(), shown(option, value));
            }
        }
        return settings.getClass().getSimpleName() + set;
    }

    private static Object shown(Option option, Object value) {
        if (option.secret()) {
            return value instanceof Map<?, ?> map ? map.keySet().stream()
                    .collect(Collectors.toMap(k -> k, k -> MASK, (a, b) -> a, LinkedHashMap::new))
                    : MASK;
        }
        if (value instanceof Duration duration) {
            return Durations.format(duration);
        }
        if (value instanceof String text) {
            return UriMasking.maskUrlsIn(text);
        }
        return option.settableByProperty() ? value : value.getClass().getName();
    }
}
