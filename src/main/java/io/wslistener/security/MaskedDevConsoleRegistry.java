package io.wslistener.security;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.impl.console.DefaultDevConsoleRegistry;

/**
 * Camel's console registry as the management server reads it ({@link #stream()}): every console's output masked
 * ({@link MaskedDevConsole}), and the consoles that act or read message data left out unless the management server
 * authenticates {@code /q/dev}. Camel's own lookups ({@code resolveById}) still get the consoles as they are. Loaded
 * only when camel-console is on the classpath.
 */
final class MaskedDevConsoleRegistry extends DefaultDevConsoleRegistry {

    /**
     * Consoles that act (send, receive, reload, debug, start and stop routes or processors, switch tracing on) or read
     * message data or arbitrary beans: served only behind authentication.
     */
    static final Set<String> NEED_AUTHENTICATION = Set.of("send", "receive", "reload", "debug", "browse", "trace",
            "message-history", "variables", "route", "route-group", "processor", "bean", "source", "route-dump");

    private final Map<DevConsole, DevConsole> masked = new ConcurrentHashMap<>();
    private volatile boolean authenticated;

    MaskedDevConsoleRegistry(CamelContext context) {
        super(context);
    }

    /** Installs the registry on the context in place of Camel's, keeping what Camel's had registered already. */
    static MaskedDevConsoleRegistry install(CamelContext context) {
        DevConsoleRegistry current = DevConsoleRegistry.get(context);
        if (current instanceof MaskedDevConsoleRegistry ours) {
            return ours;
        }
        MaskedDevConsoleRegistry registry = new MaskedDevConsoleRegistry(context);
        if (current != null) {
            registry.setEnabled(current.isEnabled());
            current.stream().forEach(registry::register);
        }
        context.getCamelContextExtension().addContextPlugin(DevConsoleRegistry.class, registry);
        return registry;
    }

    /** Whether the management server asks for credentials on {@code /q/dev}; until told, it is taken as no. */
    void setAuthenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    @Override
    public Stream<DevConsole> stream() {
        return super.stream()
                .filter(console -> authenticated || !NEED_AUTHENTICATION.contains(console.getId()))
                .map(console -> masked.computeIfAbsent(console, MaskedDevConsole::new));
    }
}
