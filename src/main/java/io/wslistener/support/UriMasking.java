package io.wslistener.support;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.util.URISupport;

/**
 * Masks secrets in a feed URI before it reaches a log line, a health detail or a meter: query parameters whose name
 * suggests a credential and the password (or token) of the user info.
 * <p>
 * Camel's {@link URISupport#sanitizeUri} knows names such as {@code token}, {@code apiKey} and {@code password}, but
 * not {@code key}, {@code sig}, {@code auth} or a {@code handshake.Authorization} header in the endpoint URI, and masks
 * only the first match of the extra keywords a user adds; this adds those names and masks every match.
 */
public final class UriMasking {

    /** Parts of a query parameter name that mark its value as secret, besides Camel's own list (case-insensitive). */
    static final List<String> KEYWORDS = List.of("authorization", "auth", "key", "sig", "secret", "token", "pass",
            "pwd",
            "credential", "session", "jwt", "bearer", "cookie");

    /**
     * The few keywords given to Camel: it masks only the first parameter that matches any of the extra keywords, so a
     * broad one ({@code key}) would match {@code apiKey}, which Camel masks anyway, and leave a
     * {@code handshake.Authorization} after it in the clear.
     */
    static final List<String> CAMEL_KEYWORDS = List.of("auth", "api-key");

    static final String MASK = "xxxxxx";

    private static final Pattern QUERY_SECRET = Pattern.compile(
            "([?&][^=&#]*(?:" + KEYWORDS.stream().map(Pattern::quote).collect(Collectors.joining("|"))
            // a RAW(...) or RAW{...} value is masked whole: an '&' inside it belongs to the value
                    + ")[^=&#]*)=(RAW\\([^)]*\\)|RAW\\{[^}]*\\}|[^&#]*)",
            Pattern.CASE_INSENSITIVE);

    /** scheme://userinfo@ ; userinfo has no '/', '?', '#' or '@'. */
    private static final Pattern USER_INFO = Pattern.compile("(://)([^/?#@]*)@");

    private UriMasking() {
    }

    /** The URI with secret query values and the user info's password (or a user-only token) replaced by xxxxxx. */
    public static String mask(String uri) {
        if (uri == null) {
            return null;
        }
        String masked = URISupport.sanitizeUri(uri);
        masked = QUERY_SECRET.matcher(masked).replaceAll("$1=" + MASK);
        Matcher userInfo = USER_INFO.matcher(masked);
        StringBuilder out = new StringBuilder();
        while (userInfo.find()) {
            String info = userInfo.group(2);
            int colon = info.indexOf(':');
            // user:password keeps the user; a lone user part is often a token (https://TOKEN@host)
            String replacement = colon >= 0 ? info.substring(0, colon + 1) + MASK : MASK;
            userInfo.appendReplacement(out, Matcher.quoteReplacement(userInfo.group(1) + replacement + "@"));
        }
        userInfo.appendTail(out);
        return out.toString();
    }

    /** URLs anywhere in the text, up to white space or a quote. */
    private static final Pattern URL_IN_TEXT = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\"'<>]+");

    /**
     * The text (an exception message, say) with every URL in it masked as {@link #mask} does: camel-http names the URL
     * it posted to, query and all, in its exceptions.
     */
    public static String maskUrlsIn(String text) {
        if (text == null || text.indexOf("://") < 0) {
            return text;
        }
        Matcher url = URL_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (url.find()) {
            url.appendReplacement(out, Matcher.quoteReplacement(mask(url.group())));
        }
        url.appendTail(out);
        return out.toString();
    }

    /**
     * Adds {@link #CAMEL_KEYWORDS} to the ones Camel masks in the endpoint URIs it prints (an endpoint that cannot be
     * resolved, for example), keeping those the application configured ({@code camel.main.additionalSensitiveKeywords}).
     */
    public static void registerWith(CamelContext context) {
        var extension = context.getCamelContextExtension();
        Set<String> keywords = new LinkedHashSet<>();
        String configured = extension.getAdditionalSensitiveKeywords();
        if (configured != null && !configured.isBlank()) {
            for (String keyword : configured.split(",")) {
                if (!keyword.isBlank()) {
                    keywords.add(keyword.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        keywords.addAll(CAMEL_KEYWORDS);
        String merged = String.join(",", keywords);
        if (!merged.equals(configured)) {
            extension.setAdditionalSensitiveKeywords(merged);
        }
    }
}
