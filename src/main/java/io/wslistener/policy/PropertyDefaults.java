package io.wslistener.policy;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.wslistener.connection.InvalidSettingException;
import org.apache.camel.CamelContext;
import org.apache.camel.NoTypeConversionAvailableException;
import org.apache.camel.TypeConversionException;

/**
 * Reads the {@code wslistener.*} application properties that give the route policy its defaults, converting them the
 * way Camel converts any option ({@code 500ms}, {@code 30s}, {@code 5m} for durations) and naming the route and the
 * option when a value does not convert.
 */
final class PropertyDefaults {

    /** Every setting the policy knows; a {@code wslistener.} property outside this set (and its sub-prefixes) is a typo. */
    static final Set<String> SETTINGS = Set.of(
            "connectTimeout", "initialDelay", "multiplier", "maxDelay", "jitter", "maxAttempts", "stableUptime",
            "pingInterval", "pongTimeout", "pingMessage", "idleTimeout", "openMessages", "stopOnCloseCodes",
            "stopOnHandshakeStatuses", "handshakeRejectionsBeforeStop", "maxInFlight", "maxMessageSize", "drainTimeout",
            "maxInFlightBytes", "stalledTimeout");

    /** Sub-prefixes owned by other parts of ws-listener (demo server, metrics). */
    static final Set<String> OTHER_SECTIONS = Set.of("demo.", "metrics.", "summary.");

    private final CamelContext context;
    private final String routeId;

    PropertyDefaults(CamelContext context, String routeId) {
        this.context = context;
        this.routeId = routeId;
    }

    void rejectUnknownProperties() {
        Set<String> unknown = new TreeSet<>();
        for (String key : context.getPropertiesComponent().loadPropertiesAsMap().keySet().stream().map(String::valueOf)
                .toList()) {
            if (key.startsWith(WsListenerRoutePolicy.PROPERTY_PREFIX)) {
                String name = key.substring(WsListenerRoutePolicy.PROPERTY_PREFIX.length());
                if (!SETTINGS.contains(name) && OTHER_SECTIONS.stream().noneMatch(name::startsWith)) {
                    unknown.add(key);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidSettingException(routeId, String.join(", ", unknown),
                    "unknown property; the known wslistener.* settings are " + new TreeSet<>(SETTINGS));
        }
    }

    Optional<String> raw(String name) {
        return context.getPropertiesComponent().resolveProperty(WsListenerRoutePolicy.PROPERTY_PREFIX + name);
    }

    Duration duration(String name, String fallback) {
        String value = raw(name).orElse(fallback);
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(routeId, name, value, e.getMessage());
        }
    }

    <T> T number(String name, Class<T> type, String fallback) {
        return convert(name, type, raw(name).orElse(fallback), "a number");
    }

    String text(String name, String fallback) {
        return raw(name).orElse(fallback);
    }

    private <T> T convert(String name, Class<T> type, String value, String allowed) {
        try {
            T converted = context.getTypeConverter().mandatoryConvertTo(type, value.trim());
            if (converted == null) {
                throw new InvalidSettingException(routeId, name, value, allowed);
            }
            return converted;
        } catch (NoTypeConversionAvailableException | TypeConversionException | IllegalArgumentException e) {
            throw new InvalidSettingException(routeId, name, value, allowed);
        }
    }
}
