package io.wslistener.security;

import java.util.Map;

import io.wslistener.support.SecretValues;
import io.wslistener.support.UriMasking;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.health.HealthCheckResultStrategy;

/**
 * Masks every health check's result before Camel serves it: the message, each text detail ({@code endpoint.uri} of
 * Camel's consumer checks, ours) and the error. Camel applies the one {@link HealthCheckResultStrategy} bean of the
 * registry to every check built on its {@code AbstractHealthCheck}; a check that implements {@link HealthCheck} itself
 * masks its own text. Loaded only when camel-health is on the classpath.
 */
final class MaskingHealthResults implements HealthCheckResultStrategy {

    static final String BEAN = "wsListenerMaskingHealthResults";

    @Override
    public void processResult(HealthCheck check, Map<String, Object> options, HealthCheckResultBuilder builder) {
        if (builder.message() != null) {
            builder.message(UriMasking.maskUrlsIn(builder.message()));
        }
        if (builder.state() != null) {
            // the builder shows its details only in a result: a copy, which the loop may write back into it
            builder.build().getDetails().forEach((key, value) -> {
                if (value instanceof CharSequence text) {
                    builder.detail(key, UriMasking.maskUrlsIn(text.toString()));
                }
            });
        }
        Throwable error = builder.error();
        if (error != null && SecretValues.containsSecret(MaskedException.text(error))) {
            builder.error(MaskedException.of(error));
        }
    }
}
