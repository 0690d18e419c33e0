package io.wslistener.security;

import io.wslistener.support.SecretValues;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * Registers the passwords of the key and trust stores of every {@link SSLContextParameters} and
 * {@link KeyStoreParameters} bean, and of the context's global SSL parameters: a bean's {@code password:} may be a
 * literal or a placeholder resolved before the bean was made, and no property name tells.
 */
final class TlsSecrets {

    private TlsSecrets() {
    }

    static void register(CamelContext context) {
        context.getRegistry().findByType(SSLContextParameters.class).forEach(TlsSecrets::register);
        context.getRegistry().findByType(KeyStoreParameters.class).forEach(TlsSecrets::register);
        if (context.getSSLContextParameters() != null) {
            register(context.getSSLContextParameters());
        }
    }

    private static void register(SSLContextParameters tls) {
        KeyManagersParameters keys = tls.getKeyManagers();
        if (keys != null) {
            SecretValues.register(keys.getKeyPassword());
            register(keys.getKeyStore());
        }
        TrustManagersParameters trust = tls.getTrustManagers();
        if (trust != null) {
            register(trust.getKeyStore());
        }
    }

    private static void register(KeyStoreParameters store) {
        if (store != null) {
            SecretValues.register(store.getPassword());
        }
    }
}
