package io.wslistener.security;

import io.wslistener.policy.ServerUrlProvider;

/**
 * A {@code urlProvider} for the canary test's child JVM: the URL the attempt would use, with a value of its own added,
 * as a provider that signs a URL would.
 */
public final class CanaryUrls implements ServerUrlProvider {

    static final String VALUE = "cnryProvided12";

    @Override
    public String urlFor(String routeId, String url) {
        return url + (url.contains("?") ? "&" : "?") + "via=" + VALUE;
    }
}
