package io.wslistener.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.vertx.core.http.WebSocketConnectOptions;
import io.wslistener.policy.ConnectionSettings;
import io.wslistener.policy.HandshakeHeaders;
import io.wslistener.policy.InvalidSettingException;
import io.wslistener.policy.ServerUrlProvider;
import io.wslistener.support.SecretValues;
import io.wslistener.support.UriMasking;
import org.apache.camel.CamelContext;
import org.apache.camel.Expression;
import org.apache.camel.support.DefaultExchange;

/**
 * The server URLs of a route as the policy gives them ({@code serverUrls}, {@code urlProvider}), computed for every
 * connect: an entry may use Camel's simple language ({@code wss://host/ws?listenKey=${bean:keys?method=current}}),
 * compiled once at start and evaluated per attempt, and a {@link ServerUrlProvider} bean is asked again each time.
 * Evaluation is user code: it runs on a worker thread (see {@link Connector}), never on the event loop.
 */
final class ServerUrls {

    /** One entry as written; {@code expression} is null when it is fixed text. */
    record Entry(String text, Expression expression) {
    }

    private final CamelContext context;
    private final String routeId;
    private final List<Entry> entries = new ArrayList<>();
    private final ServerUrlProvider provider;
    private final boolean fromRoute;
    private final ComputedUrlCheck check;

    /**
     * @param settings the route's settings: {@code serverUrls} (null for the route's own URI), {@code urlProvider} and
     *                 {@code allowedHosts}
     * @param routeUrl the route's URI as a {@code ws://host:port/path?query} URL
     */
    ServerUrls(CamelContext context, String routeId, ConnectionSettings settings, String routeUrl) {
        this(context, routeId, settings.getServerUrls(), settings.getUrlProvider(), routeUrl,
                settings.getAllowedHosts());
    }

    ServerUrls(CamelContext context, String routeId, String setting, ServerUrlProvider provider, String routeUrl) {
        this(context, routeId, setting, provider, routeUrl, null);
    }

    private ServerUrls(CamelContext context, String routeId, String setting, ServerUrlProvider provider,
                       String routeUrl, String allowedHosts) {
        this.context = context;
        this.routeId = routeId;
        this.provider = provider;
        this.fromRoute = setting == null || setting.isBlank();
        this.check = new ComputedUrlCheck(routeUrl, fromRoute ? List.of() : split(setting), allowedHosts);
        if (fromRoute) {
            entries.add(new Entry(routeUrl, null));
            return;
        }
        for (String text : split(setting)) {
            if (text.contains("${")) {
                try {
                    Expression expression = context.resolveLanguage("simple").createExpression(text);
                    expression.init(context);
                    entries.add(new Entry(text, expression));
                } catch (RuntimeException e) {
                    throw new InvalidSettingException(routeId, "serverUrls", "entry " + (entries.size() + 1)
                            + " is not a valid simple expression ("
                            + HandshakeHeaders.firstLine(e.getMessage()) + ")");
                }
            } else {
                String problem = problem(text);
                if (problem != null) {
                    throw new InvalidSettingException(routeId, "serverUrls",
                            "entry " + (entries.size() + 1) + " " + problem);
                }
                entries.add(new Entry(text, null));
            }
        }
    }

    /** Entries are separated by line breaks, or by a comma before the next {@code ws://} or {@code wss://}. */
    static List<String> split(String setting) {
        List<String> urls = new ArrayList<>();
        for (String part : setting.split("\\R|,(?=\\s*wss?://)")) {
            if (!part.isBlank()) {
                urls.add(part.strip());
            }
        }
        return urls;
    }

    List<Entry> entries() {
        return entries;
    }

    /** Whether a connect must compute its URL; if not, the route's own connect options are used as they are. */
    boolean computed() {
        return !fromRoute || provider != null;
    }

    /** An expression of an entry: what it computes may be a listen key or a signature. */
    private static final java.util.regex.Pattern EXPRESSION = java.util.regex.Pattern.compile("\\$\\{[^}]*}");

    /** Whether computing a URL calls user code (an expression, a provider bean), which must not run on the event loop. */
    boolean callsUserCode() {
        return provider != null || entries.stream().anyMatch(entry -> entry.expression() != null);
    }

    /**
     * The entry as written, with secrets masked and each {@code ${...}} expression shown as xxxxxx: what logs, health
     * and meters show.
     */
    static String display(Entry entry) {
        return UriMasking.mask(EXPRESSION.matcher(entry.text()).replaceAll(SecretValues.MASK));
    }

    /**
     * Computes the entry's URL and points the options at it. May call user code ({@link #callsUserCode()}): then call it
     * on a worker thread.
     *
     * @param step told what runs (the expression, the provider bean), so that a call that hangs can be named
     */
    void applyTo(Entry entry, WebSocketConnectOptions options, Consumer<String> step) throws Exception {
        String url = entry.text();
        if (entry.expression() != null) {
            step.accept("the serverUrls expression");
            DefaultExchange exchange = new DefaultExchange(context);
            try {
                url = entry.expression().evaluate(exchange, String.class);
            } catch (RuntimeException e) {
                throw notComputed("serverUrls", e);
            }
            if (exchange.getException() != null) {
                throw notComputed("serverUrls", exchange.getException());
            }
            ComputedUrlCheck.registerSecrets(entry.text(), url);
        }
        if (provider != null) {
            step.accept("the urlProvider bean");
            String provided;
            try {
                provided = provider.urlFor(routeId, url);
            } catch (Exception e) {
                throw notComputed("urlProvider", e);
            }
            if (provided != null) {
                ComputedUrlCheck.registerSecrets(url, provided);
                url = provided;
            }
        }
        String problem = problem(url);
        if (problem != null) {
            // never the URL itself in the message: it may carry a token
            throw new IllegalStateException("the computed server URL " + problem);
        }
        URI uri = new URI(url.strip());
        if (computed()) {
            String refused = check.problem(entry.text(), uri);
            if (refused != null) {
                throw new IllegalStateException("the computed server URL " + refused);
            }
        }
        boolean tls = uri.getScheme().toLowerCase(Locale.ROOT).equals("wss");
        options.setHost(uri.getHost());
        options.setPort(uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80);
        options.setSsl(tls);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        options.setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
    }

    /**
     * A URL expression or provider that failed: the option and the class of the innermost cause only, never its
     * message (Camel's bean binding repeats the expression, and so any literal secret in it).
     */
    private static IllegalStateException notComputed(String option, Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new IllegalStateException(option + " could not compute the server URL: "
                + root.getClass().getSimpleName());
    }

    /** @return what is wrong with this URL, or null when it is a ws:// or wss:// URL with a host */
    static String problem(String url) {
        if (url == null || url.isBlank()) {
            return "is empty";
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss")) {
                return "is not a ws:// or wss:// URL";
            }
            if (uri.getHost() == null) {
                return "has no host";
            }
            return null;
        } catch (URISyntaxException e) {
            return "is not a valid URL (" + e.getReason() + ")";
        }
    }
}
