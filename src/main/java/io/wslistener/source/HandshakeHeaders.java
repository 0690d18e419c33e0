package io.wslistener.source;

import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.http.WebSocketConnectOptions;
import io.wslistener.connection.InvalidSettingException;
import io.wslistener.policy.HandshakeHeaderRules;
import io.wslistener.policy.HandshakeHeadersProvider;
import org.apache.camel.CamelContext;
import org.apache.camel.Expression;
import org.apache.camel.support.DefaultExchange;

/**
 * The handshake headers of the route policy, computed for every connect: values may use Camel's simple language
 * ({@code Bearer ${bean:tokens?method=current}}, {@code ${env:API_KEY}}), compiled once at start and evaluated per
 * attempt, and a {@link HandshakeHeadersProvider} bean is asked again each time.
 */
final class HandshakeHeaders {

    private final CamelContext context;
    private final String routeId;
    private final Map<String, Expression> expressions = new LinkedHashMap<>();
    private final HandshakeHeadersProvider provider;

    HandshakeHeaders(CamelContext context, String routeId, Map<String, String> headers, HandshakeHeadersProvider provider) {
        this.context = context;
        this.routeId = routeId;
        this.provider = provider;
        if (headers != null) {
            headers.forEach((name, value) -> {
                try {
                    Expression expression = context.resolveLanguage("simple").createExpression(value);
                    expression.init(context);
                    expressions.put(name, expression);
                } catch (RuntimeException e) {
                    throw new InvalidSettingException(routeId, "handshakeHeaders." + name, "not a valid simple expression ("
                                                                                         + firstLine(e.getMessage()) + ")");
                }
            });
        }
    }

    void applyTo(WebSocketConnectOptions options) throws Exception {
        Map<String, String> computed = new LinkedHashMap<>();
        if (!expressions.isEmpty()) {
            DefaultExchange exchange = new DefaultExchange(context);
            for (Map.Entry<String, Expression> header : expressions.entrySet()) {
                String value = header.getValue().evaluate(exchange, String.class);
                if (exchange.getException() != null) {
                    throw new IllegalStateException("handshake header " + header.getKey() + " could not be computed: "
                                                    + firstLine(exchange.getException().getMessage()));
                }
                computed.put(header.getKey(), value == null ? "" : value);
            }
        }
        if (provider != null) {
            Map<String, String> provided = provider.headersFor(routeId);
            if (provided != null) {
                provided.forEach((name, value) -> computed.put(name, value == null ? "" : value));
            }
        }
        // checked before Vert.x sees them: its own check puts the offending value into the exception message, and so
        // into the log
        HandshakeHeaderRules.check(computed.entrySet());
        computed.forEach(options::putHeader);
        if (options.getHeaders() != null) {
            // all together, the URI's handshake.* headers included, within the size servers accept
            HandshakeHeaderRules.check(options.getHeaders());
        }
    }

    /** An expression's error message without the lines that repeat the expression (it may hold a literal secret). */
    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
