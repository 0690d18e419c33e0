package io.wslistener.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.wslistener.policy.InvalidSettingException;
import io.wslistener.support.SecretValues;
import io.wslistener.support.UriMasking;

/**
 * The {@code proxy} setting, {@code http://[user:password@]host:port} (an HTTP proxy, tunnelled with CONNECT) or
 * {@code socks5://[user:password@]host:port}, as Vert.x {@link ProxyOptions}. A password with reserved characters is
 * written percent-encoded ({@code p%40ss} for {@code p@ss}). Errors never show the setting: it may hold the password.
 */
final class ProxySetting {

    private ProxySetting() {
    }

    static ProxyOptions options(String routeId, String setting) {
        URI uri;
        try {
            uri = new URI(setting.strip());
        } catch (URISyntaxException e) {
            throw invalid(routeId, "is not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        ProxyType type = switch (scheme) {
            case "http" -> ProxyType.HTTP;
            case "socks5" -> ProxyType.SOCKS5;
            default ->
                throw invalid(routeId, "has scheme '" + scheme + "'; allowed: http:// (HTTP CONNECT) or socks5://");
        };
        if (uri.getHost() == null) {
            throw invalid(routeId, "has no host");
        }
        if (uri.getPort() < 1) {
            throw invalid(routeId, "has no port (such as :3128 or :1080)");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw invalid(routeId, "has a path; a proxy is host and port only");
        }
        ProxyOptions options = new ProxyOptions().setType(type).setHost(uri.getHost()).setPort(uri.getPort());
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            options.setUsername(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                String password = decode(userInfo.substring(colon + 1));
                SecretValues.register(password);
                options.setPassword(password);
            }
        }
        return options;
    }

    /** The setting for logs: the password masked. */
    static String display(String setting) {
        return UriMasking.mask(setting.strip());
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static InvalidSettingException invalid(String routeId, String problem) {
        return new InvalidSettingException(routeId, "proxy", problem);
    }
}
