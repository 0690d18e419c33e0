package io.wslistener.policy;

import java.util.Map;

/**
 * A bean that supplies handshake headers, asked again before every connect attempt (for a token that rotates).
 * Refer to it from the route policy with {@code headersProvider: "#bean:myTokens"}.
 */
@FunctionalInterface
public interface HandshakeHeadersProvider {

    /**
     * @param routeId the route about to connect
     * @return headers to add to this handshake; they override headers of the same name from the policy and the URI
     */
    Map<String, String> headersFor(String routeId) throws Exception;
}
