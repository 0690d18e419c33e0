package io.wslistener.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wslistener.support.SecretNames;
import io.wslistener.support.SecretValues;
import io.wslistener.support.UriMasking;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.EndpointUriFactory;
import org.apache.camel.util.URISupport;

/**
 * Registers the secrets of an endpoint URI as the endpoint is created, before anything prints it: the values of query
 * parameters whose names mark them as secret ({@link UriMasking#secretValuesIn}), and the values of every option its
 * component declares {@code secret = true} (Camel's {@link EndpointUriFactory#secretPropertyNames()}, generated from
 * the {@code @UriParam} annotations), whatever its name.
 */
final class EndpointSecrets {

    /** {@code name="value"} inside an option's value, as in a JAAS configuration. */
    private static final Pattern QUOTED_OPTION = Pattern.compile("([\\w.-]+)\\s*=\\s*\"([^\"]*)\"");
    private static final SecretNames NAMES = new SecretNames(null);

    private EndpointSecrets() {
    }

    static void register(CamelContext context, Endpoint endpoint) {
        String uri = endpoint.getEndpointUri();
        if (uri == null) {
            return;
        }
        UriMasking.registerSecretsOf(uri);
        int colon = uri.indexOf(':');
        int question = uri.indexOf('?');
        if (colon <= 0 || question < 0) {
            return;
        }
        EndpointUriFactory factory = context.getCamelContextExtension().getEndpointUriFactory(uri.substring(0, colon));
        Set<String> secretOptions = factory == null ? Set.of() : factory.secretPropertyNames();
        if (secretOptions.isEmpty()) {
            return;
        }
        try {
            Map<String, Object> options = URISupport.parseQuery(uri.substring(question + 1), true, true);
            options.forEach((name, value) -> {
                if (value != null && secretOptions.contains(name)) {
                    registerSecretOption(value.toString());
                }
            });
        } catch (Exception e) {
            // a URI Camel cannot parse fails where the endpoint is used; its name-based secrets are registered above
        }
    }

    /**
     * The value of a secret option, and the secret parts inside it: a JAAS configuration ({@code ... username="feed"
     * password="...";}) is printed escaped by some consoles (the route dump writes {@code &quot;}), where the whole
     * value no longer matches, so each quoted value under a secret name is registered on its own.
     */
    private static void registerSecretOption(String text) {
        SecretValues.register(text);
        if (text.startsWith("RAW(") && text.endsWith(")")) {
            SecretValues.register(text.substring(4, text.length() - 1));
        }
        // Camel keeps a RAW(...) value percent-encoded in the normalized URI (%20, %22)
        Matcher part = QUOTED_OPTION.matcher(URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8));
        while (part.find()) {
            if (NAMES.isSecret(part.group(1))) {
                SecretValues.register(part.group(2));
            }
        }
    }
}
