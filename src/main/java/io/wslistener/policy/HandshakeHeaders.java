package io.wslistener.policy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.http.WebSocketConnectOptions;
import io.wslistener.support.SecretValues;
import org.apache.camel.CamelContext;
import org.apache.camel.Expression;
import org.apache.camel.support.DefaultExchange;

/**
 * Everything about handshake headers, in one place: what a header may be, the checks at start (the policy's headers,
 * the URI's {@code handshake.*} options) and the headers computed for every connect.
 * <p>
 * A header is a name that is an HTTP token and a value without line breaks or other control characters (a line break
 * would end the header and smuggle in another), all of them together no more than {@link #MAX_TOTAL_BYTES}, the
 * request header size most servers accept. Messages name the header, never its value, and every value is registered as
 * a secret ({@link SecretValues}), masked wherever it would be printed.
 * <p>
 * Values of the policy's headers may use Camel's simple language ({@code Bearer ${bean:tokens?method=current}},
 * {@code ${env:API_KEY}}), compiled once at start and evaluated per attempt, and a {@link HandshakeHeadersProvider} bean
 * is asked again each time.
 */
public final class HandshakeHeaders {

    /** Names and values of all handshake headers together, in UTF-8 bytes, with ": " and CRLF per header. */
    public static final int MAX_TOTAL_BYTES = 8192;

    /** The prefix of the header options of a {@code ws-listener:} URI ({@code handshake.Authorization=...}). */
    public static final String URI_PREFIX = "handshake.";

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private final CamelContext context;
    private final String routeId;
    private final Map<String, Expression> expressions = new LinkedHashMap<>();
    private final HandshakeHeadersProvider provider;

    public HandshakeHeaders(CamelContext context, String routeId, Map<String, String> headers,
                            HandshakeHeadersProvider provider) {
        this.context = context;
        this.routeId = routeId;
        this.provider = provider;
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (value != null && !value.contains("${")) {
                    SecretValues.register(value);
                }
                try {
                    Expression expression = context.resolveLanguage("simple").createExpression(value);
                    expression.init(context);
                    expressions.put(name, expression);
                } catch (RuntimeException e) {
                    throw new InvalidSettingException(routeId, "handshakeHeaders." + name,
                            "not a valid simple expression ("
                                    + firstLine(e.getMessage()) + ")");
                }
            });
        }
    }

    /** Computes this connect's headers and puts them on the options, checked. */
    public void applyTo(WebSocketConnectOptions options) throws Exception {
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
        check(computed.entrySet());
        computed.forEach(options::putHeader);
        if (options.getHeaders() != null) {
            // all together, the URI's handshake.* headers included, within the size servers accept
            check(options.getHeaders());
            // every value sent is a secret to mask wherever it would be printed
            options.getHeaders().forEach(header -> SecretValues.register(header.getValue()));
        }
    }

    // --- the rules

    /** @return what is wrong with this header name, or null when it is a valid HTTP token */
    public static String problemWithName(String name) {
        if (name == null || name.isEmpty()) {
            return "a header name must not be empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c < 0x80 && (Character.isLetterOrDigit(c) || TOKEN_SYMBOLS.indexOf(c) >= 0))) {
                return "header name '" + printable(name) + "' may hold only letters, digits and " + TOKEN_SYMBOLS;
            }
        }
        return null;
    }

    /** @return what is wrong with the value of this header, or null when it has no control characters */
    public static String problemWithValue(String name, String value) {
        if (value == null) {
            return "header " + name + " has no value";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return "the value of header " + name + " holds a line break or another control character";
            }
        }
        return null;
    }

    /**
     * Checks every header and the total size.
     *
     * @throws IllegalArgumentException naming the header and the rule, never the value
     */
    public static void check(Iterable<Map.Entry<String, String>> headers) {
        int total = 0;
        for (Map.Entry<String, String> header : headers) {
            String problem = problemWithName(header.getKey());
            if (problem == null) {
                problem = problemWithValue(header.getKey(), header.getValue());
            }
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            total += size(header.getKey(), header.getValue());
        }
        if (total > MAX_TOTAL_BYTES) {
            throw new IllegalArgumentException("the handshake headers take " + total + " bytes, more than the "
                    + MAX_TOTAL_BYTES + " bytes servers accept");
        }
    }

    /**
     * The {@code handshake.*} options of a URI, checked.
     *
     * @throws IllegalArgumentException naming the header and the rule, never the value
     */
    public static void checkUriOptions(Map<String, Object> parameters) {
        Map<String, String> headers = new LinkedHashMap<>();
        parameters.forEach((key, value) -> {
            if (key.startsWith(URI_PREFIX)) {
                headers.put(key.substring(URI_PREFIX.length()), value == null ? "" : value.toString());
            }
        });
        check(headers.entrySet());
    }

    /**
     * The policy's headers at start: names always; values only when they are fixed text (a simple expression such as
     * {@code ${env:TOKEN}} is checked when it is evaluated, before each connect).
     *
     * @throws InvalidSettingException naming the route and the option
     */
    static void checkAtStart(String routeId, Map<String, String> headers) {
        int total = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            String problem = problemWithName(name);
            String value = header.getValue();
            boolean fixed = value != null && !value.contains("${");
            if (problem == null && fixed) {
                problem = problemWithValue(name, value);
            }
            if (problem != null) {
                throw new InvalidSettingException(routeId, "handshakeHeaders", problem);
            }
            total += size(name, fixed ? value : "");
        }
        if (total > MAX_TOTAL_BYTES) {
            throw new InvalidSettingException(routeId, "handshakeHeaders",
                    "they take " + total + " bytes, more than the "
                            + MAX_TOTAL_BYTES + " bytes servers accept");
        }
    }

    private static int size(String name, String value) {
        return name.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length + 4;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(64).forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7F ? '?' : c));
        return out.toString();
    }

    /** An expression's error message without the lines that repeat the expression (it may hold a literal secret). */
    public static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
