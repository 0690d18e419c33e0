package io.wslistener.source;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.TrustOptions;
import io.wslistener.policy.InvalidSettingException;
import org.apache.camel.CamelContext;
import org.apache.camel.component.vertx.common.VertxHelper;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * Puts Camel's {@link SSLContextParameters} (trust store, client certificate, protocols, cipher suites) onto the Vert.x
 * client options. Host name verification stays as Vert.x has it by default: on.
 * <p>
 * Built on Camel's {@link VertxHelper#setupSSLOptions}, which falls short in two ways this class makes up for: without
 * {@code keyManagers} (a trust store and no client certificate, the usual case) or without a trust store it still
 * installs a factory wrapper around {@code null}, and then every TLS handshake fails with a NullPointerException; and it
 * ignores the protocols and cipher suites of the parameters.
 */
final class TlsClientOptions {

    private TlsClientOptions() {
    }

    /**
     * @throws InvalidSettingException naming the route when a key or trust store cannot be read (missing file, wrong
     *                                 password): Camel's own message names neither
     */
    static void apply(CamelContext context, String routeId, SSLContextParameters parameters,
                      HttpClientOptions options) {
        try {
            VertxHelper.setupSSLOptions(context, parameters, options);
        } catch (Exception e) {
            throw new InvalidSettingException(routeId, "sslContextParameters",
                    "the key or trust store could not be loaded: " + e.getClass().getSimpleName() + ": "
                            + e.getMessage());
        }
        if (parameters.getKeyManagers() == null) {
            options.setKeyCertOptions(null); // no client certificate
        }
        TrustManagersParameters trust = parameters.getTrustManagers();
        if (trust == null) {
            options.setTrustOptions(null); // the JVM's default trust store
        } else if (trust.getKeyStore() == null && trust.getTrustManager() != null) {
            options.setTrustOptions(TrustOptions.wrap(trust.getTrustManager()));
        } else if (trust.getKeyStore() == null) {
            options.setTrustOptions(null);
        }
        if (parameters.getSecureSocketProtocols() != null) {
            List<String> protocols = parameters.getSecureSocketProtocols().getSecureSocketProtocol();
            if (protocols != null && !protocols.isEmpty()) {
                options.setEnabledSecureTransportProtocols(protocols.stream().map(context::resolvePropertyPlaceholders)
                        .collect(Collectors.toCollection(LinkedHashSet::new)));
            }
        }
        if (parameters.getCipherSuites() != null) {
            List<String> suites = parameters.getCipherSuites().getCipherSuite();
            if (suites != null) {
                suites.stream().map(context::resolvePropertyPlaceholders).forEach(options::addEnabledCipherSuite);
            }
        }
    }
}
