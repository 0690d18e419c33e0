package io.wslistener.support;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.util.SensitiveUtils;
import org.apache.camel.util.URISupport;

/**
 * Masks secrets in a feed URI before it reaches a log line, a health detail or a meter: query parameters whose name
 * suggests a credential, the password (or token) of the user info, and every value {@link SecretValues} knows (a token
 * in the path, say).
 * <p>
 * Camel's {@link URISupport#sanitizeUri} knows names such as {@code token}, {@code apiKey} and {@code password}, but
 * not {@code key}, {@code sig}, {@code auth} or a {@code handshake.Authorization} header in the endpoint URI, and masks
 * only the first match of the extra keywords a user adds; this adds those names and masks every match.
 */
public final class UriMasking {

    /** Parts of a query parameter name that mark its value as secret, besides Camel's own list (case-insensitive). */
    static final List<String> KEYWORDS = SecretNames.KEYWORDS;

    /**
     * The few keywords given to Camel: it masks only the first parameter that matches any of the extra keywords, so a
     * broad one ({@code key}) would match {@code apiKey}, which Camel masks anyway, and leave a
     * {@code handshake.Authorization} after it in the clear.
     */
    static final List<String> CAMEL_KEYWORDS = List.of("auth", "api-key");

    static final String MASK = SecretValues.MASK;

    private static final Pattern QUERY_SECRET = Pattern.compile(
            "([?&][^=&#]*(?:" + KEYWORDS.stream().map(Pattern::quote).collect(Collectors.joining("|"))
            // a RAW(...) or RAW{...} value is masked whole: an '&' inside it belongs to the value
                    + ")[^=&#]*)=(RAW\\([^)]*\\)|RAW\\{[^}]*\\}|[^&#]*)",
            Pattern.CASE_INSENSITIVE);

    /** scheme://userinfo@ ; userinfo has no '/', '?', '#' or '@'. */
    private static final Pattern USER_INFO = Pattern.compile("(://)([^/?#@]*)@");

    private UriMasking() {
    }

    /** A query parameter whose name contains one of Camel's sensitive words or of {@link #KEYWORDS}. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "[?&]([^=&#]*(?:" + SensitiveUtils.getSensitivePattern() + "|"
                    + KEYWORDS.stream().map(Pattern::quote).collect(Collectors.joining("|"))
                    + ")[^=&#]*)=(RAW\\(([^)]*)\\)|RAW\\{([^}]*)\\}|[^&#]*)",
            Pattern.CASE_INSENSITIVE);

    /**
     * The URI with secret query values, the user info's password (or a user-only token) and every registered secret
     * value replaced by xxxxxx.
     */
    public static String mask(String uri) {
        if (uri == null) {
            return null;
        }
        String masked = SecretValues.mask(URISupport.sanitizeUri(uri));
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
            return SecretValues.mask(text);
        }
        Matcher url = URL_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (url.find()) {
            url.appendReplacement(out, Matcher.quoteReplacement(mask(url.group())));
        }
        url.appendTail(out);
        return SecretValues.mask(out.toString());
    }

    /**
     * The values {@link #mask} hides by their names: of every query parameter whose name suggests a credential (decoded
     * too, and the inside of {@code RAW(...)}), and the user info's password or lone token. What a URI brings in as a
     * secret is registered with these, so that it is masked wherever else it shows up.
     */
    public static List<String> secretValuesIn(String uri) {
        List<String> values = new ArrayList<>();
        if (uri == null) {
            return values;
        }
        Matcher parameter = SECRET_PARAMETER.matcher(uri);
        while (parameter.find()) {
            String raw = parameter.group(3) != null ? parameter.group(3)
                    : parameter.group(4) != null ? parameter.group(4) : parameter.group(2);
            values.add(raw);
            values.add(decode(raw));
        }
        Matcher userInfo = USER_INFO.matcher(uri);
        while (userInfo.find()) {
            String info = userInfo.group(2);
            int colon = info.indexOf(':');
            String secret = colon >= 0 ? info.substring(colon + 1) : info;
            values.add(secret);
            values.add(decode(secret));
        }
        return values;
    }

    /** Registers {@link #secretValuesIn} of the URI with {@link SecretValues}. */
    public static void registerSecretsOf(String uri) {
        secretValuesIn(uri).forEach(SecretValues::register);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
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
