package io.wslistener.security;

import java.util.Map;
import java.util.Properties;

import io.wslistener.support.SecretNames;
import io.wslistener.support.SecretValues;
import io.wslistener.support.UriMasking;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Registers the secrets that come in as properties: every application property, system property ({@code -D}) and
 * environment variable whose name marks it as secret ({@link SecretNames}), with its value as resolved (a
 * {@code {{env:FEED_TOKEN}}} inside a property is resolved first), and the secret parts of URLs in any property's
 * value (a signed sink URL's {@code sig=}).
 */
final class PropertySecrets {

    private PropertySecrets() {
    }

    static void register(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        String additional = context.getCamelContextExtension().getAdditionalSensitiveKeywords();
        if (additional == null) {
            // before camel-main has applied its configuration
            additional = resolve(properties, "camel.main.additionalSensitiveKeywords", null);
        }
        SecretNames names = new SecretNames(additional);
        Properties all = properties.loadProperties();
        for (String key : all.stringPropertyNames()) {
            String raw = all.getProperty(key);
            String resolved = resolve(properties, key, raw);
            if (names.isSecret(key)) {
                if (!raw.contains("{{")) {
                    SecretValues.register(raw);
                }
                SecretValues.register(resolved);
            }
            UriMasking.registerSecretsOf(resolved);
        }
        Properties system = System.getProperties();
        for (String key : system.stringPropertyNames()) {
            if (names.isSecret(key)) {
                SecretValues.register(system.getProperty(key));
            }
        }
        for (Map.Entry<String, String> variable : System.getenv().entrySet()) {
            if (names.isSecret(variable.getKey())) {
                SecretValues.register(variable.getValue());
            }
        }
    }

    private static String resolve(PropertiesComponent properties, String key, String raw) {
        try {
            return properties.resolveProperty(key).orElse(raw);
        } catch (RuntimeException e) {
            // an unresolvable placeholder fails where the property is used, with Camel's message
            return raw;
        }
    }
}
