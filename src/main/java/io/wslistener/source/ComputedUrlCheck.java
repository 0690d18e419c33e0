package io.wslistener.source;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wslistener.support.SecretValues;
import io.wslistener.support.UriMasking;

/**
 * What a URL computed for a connect (a {@code serverUrls} expression, a {@code urlProvider}) may do, since the same
 * credentials (headers, token, proxy authentication) go with it: it may not turn {@code wss://} into {@code ws://},
 * and it may not go to a host outside those written in {@code serverUrls} and the route's URI, unless
 * {@code allowedHosts} names it (or is {@code *}). Also registers what the computed URL brought in as secrets.
 */
final class ComputedUrlCheck {

    /** scheme and host of a URL as written, up to an expression: {@code wss://host/ws/${...}} has a fixed host. */
    private static final Pattern FIXED_PREFIX = Pattern.compile("^\\s*(wss?)://([^/?#:$]+)(?=[:/?#]|$)",
            Pattern.CASE_INSENSITIVE);

    private final Set<String> hosts = new LinkedHashSet<>();
    private final boolean anyHost;
    private final String routeScheme;

    ComputedUrlCheck(String routeUrl, List<String> serverUrls, String allowedHosts) {
        Matcher route = FIXED_PREFIX.matcher(routeUrl);
        routeScheme = route.find() ? route.group(1).toLowerCase(Locale.ROOT) : "ws";
        addHost(routeUrl);
        serverUrls.forEach(this::addHost);
        boolean any = false;
        if (allowedHosts != null) {
            for (String host : allowedHosts.split(",")) {
                String name = host.strip().toLowerCase(Locale.ROOT);
                any |= name.equals("*");
                if (!name.isEmpty()) {
                    hosts.add(name);
                }
            }
        }
        anyHost = any;
    }

    private void addHost(String url) {
        Matcher fixed = FIXED_PREFIX.matcher(url);
        if (fixed.find()) {
            hosts.add(fixed.group(2).toLowerCase(Locale.ROOT));
        }
    }

    /**
     * @param written the entry as written (its scheme, when fixed, is the one the computed URL must keep)
     * @return why the computed URL is refused, or null
     */
    String problem(String written, URI computed) {
        Matcher fixed = FIXED_PREFIX.matcher(written);
        String configuredScheme = fixed.find() ? fixed.group(1).toLowerCase(Locale.ROOT) : routeScheme;
        String scheme = computed.getScheme().toLowerCase(Locale.ROOT);
        if (configuredScheme.equals("wss") && scheme.equals("ws")) {
            return "is ws:// where the configured URL is wss://: refused, it would send the credentials unencrypted";
        }
        String host = computed.getHost().toLowerCase(Locale.ROOT);
        if (!anyHost && !hosts.contains(host)) {
            return "goes to host " + host + ", not one of " + hosts
                    + ": refused, it would receive the credentials (allowedHosts lets it)";
        }
        return null;
    }

    /**
     * Registers as secrets what the computed URL holds and the written one does not: secret query parameters, user
     * info, and every path segment or query value that was computed (a listen key in the path, a signature).
     */
    static void registerSecrets(String written, String computed) {
        if (computed == null) {
            return;
        }
        UriMasking.registerSecretsOf(computed);
        try {
            URI uri = new URI(computed.strip());
            if (uri.getRawPath() != null) {
                for (String segment : uri.getRawPath().split("/")) {
                    registerIfComputed(written, segment);
                }
            }
            if (uri.getRawQuery() != null) {
                for (String parameter : uri.getRawQuery().split("&")) {
                    registerIfComputed(written, parameter.substring(parameter.indexOf('=') + 1));
                }
            }
        } catch (Exception e) {
            // not a URL: the connect fails on it, naming no part of it
        }
    }

    private static void registerIfComputed(String written, String part) {
        if (!part.isEmpty() && !written.contains(part)) {
            SecretValues.register(part);
        }
    }
}
