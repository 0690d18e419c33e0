package io.wslistener.security;

import io.wslistener.support.OptionalDependencies;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.health.HealthCheckResultStrategy;
import org.apache.camel.spi.ContextServicePlugin;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Masks secrets by value in every CamelContext that has this jar, found by Camel through
 * {@code META-INF/services/org.apache.camel.spi.ContextServicePlugin} and run while the context is built, before
 * camel-main prints its configuration:
 * <ul>
 * <li>registers the secrets that come in as properties, system properties and environment variables at once, those of
 * every endpoint URI as it is created, and the key and trust store passwords before the context starts (the rest
 * register themselves where they are read: token files, handshake headers, proxy passwords, computed URLs);</li>
 * <li>masks what Camel's health checks report, and what the developer consoles show, which it also keeps from serving
 * the consoles that act or read data unless the management server asks for credentials;</li>
 * <li>refuses to start a management server that would let anyone act, or show its consoles beyond loopback, without
 * authentication ({@link ManagementServerGuard}).</li>
 * </ul>
 */
public final class SecretMaskingPlugin implements ContextServicePlugin {

    @Override
    public void load(CamelContext context) {
        PropertySecrets.register(context);
        context.addLifecycleStrategy(new SecretSources());
        if (OptionalDependencies.health(context)) {
            Health.install(context);
        }
        if (OptionalDependencies.console(context)) {
            Consoles.install(context);
        }
    }

    /** Registers secrets as they appear and checks the management server before the context starts. */
    private static final class SecretSources extends LifecycleStrategySupport {

        @Override
        public void onEndpointAdd(Endpoint endpoint) {
            EndpointSecrets.register(endpoint.getCamelContext(), endpoint);
        }

        @Override
        public void onContextInitializing(CamelContext context) {
            // again: camel-main has now applied camel.main.additionalSensitiveKeywords, and the beans exist
            PropertySecrets.register(context);
            TlsSecrets.register(context);
            if (OptionalDependencies.managementServer(context)) {
                boolean authenticated = ManagementServerGuard.check(context);
                if (OptionalDependencies.console(context)) {
                    Consoles.authenticated(context, authenticated);
                }
            }
        }

        @Override
        public void onContextStarting(CamelContext context) {
            TlsSecrets.register(context);
        }
    }

    /** Keeps camel-health types out of the plugin's own signature, so loading the plugin never loads them. */
    private static final class Health {

        static void install(CamelContext context) {
            context.getRegistry().bind(MaskingHealthResults.BEAN, HealthCheckResultStrategy.class,
                    new MaskingHealthResults());
        }
    }

    /** Keeps camel-console types out of the plugin's own signature, so loading the plugin never loads them. */
    private static final class Consoles {

        static void install(CamelContext context) {
            MaskedDevConsoleRegistry.install(context);
        }

        static void authenticated(CamelContext context, boolean authenticated) {
            if (DevConsoleRegistry.get(context) instanceof MaskedDevConsoleRegistry registry) {
                registry.setAuthenticated(authenticated);
            }
        }
    }
}
