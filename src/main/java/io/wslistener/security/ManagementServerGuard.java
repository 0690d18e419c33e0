package io.wslistener.security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.wslistener.support.SecretValues;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;

/**
 * Checks camel-main's management server before it opens its port: the parts of it that act or read data ({@code /q/send},
 * {@code /q/upload}, {@code /q/download}, Jolokia) are refused without authentication on any host, and the developer
 * console without authentication on any host other than loopback. Loaded only when camel-platform-http-main is on the
 * classpath.
 */
final class ManagementServerGuard {

    static final String AUTHENTICATION = "camel.management.authenticationEnabled=true with "
            + "camel.management.basicPropertiesFile=<a users file> and camel.management.authenticationPath=/q/*";

    private ManagementServerGuard() {
    }

    /**
     * @return whether the developer console is behind authentication
     * @throws IllegalStateException naming the properties, when the server would let anyone act or read
     */
    static boolean check(CamelContext context) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null) {
            return false;
        }
        checkUsersFile(context);
        AuthenticationConfig authentication = server.getConfiguration().getAuthenticationConfig();
        List<String> open = new ArrayList<>();
        if (server.isSendEnabled() && !covers(authentication, "/q/send")) {
            open.add("camel.management.sendEnabled=true");
        }
        if (server.isUploadEnabled() && !covers(authentication, "/q/upload/x")) {
            open.add("camel.management.uploadEnabled=true");
        }
        if (server.isDownloadEnabled() && !covers(authentication, "/q/download/x")) {
            open.add("camel.management.downloadEnabled=true");
        }
        if (server.isJolokiaEnabled() && !covers(authentication, server.getJolokiaPath() + "/x")) {
            open.add("camel.management.jolokiaEnabled=true");
        }
        if (!open.isEmpty()) {
            throw new IllegalStateException("ws-listener refuses to start: " + String.join(", ", open)
                    + " would let anyone who reaches port " + server.getPort()
                    + " act on the application without authentication; set " + AUTHENTICATION);
        }
        boolean consoleAuthenticated = covers(authentication, "/q/dev/x");
        if (server.isDevConsoleEnabled() && !consoleAuthenticated && !loopback(server.getHost())) {
            throw new IllegalStateException("ws-listener refuses to start: camel.management.devConsoleEnabled=true on "
                    + "camel.management.host=" + server.getHost() + " (not loopback) without authentication would "
                    + "show the developer console to anyone on the network; set " + AUTHENTICATION
                    + ", or camel.management.host=127.0.0.1, or camel.management.devConsoleEnabled=false");
        }
        return consoleAuthenticated;
    }

    /** Authentication switched on without a users file (or JWT key store) would silently authenticate nothing. */
    private static void checkUsersFile(CamelContext context) {
        var properties = context.getPropertiesComponent();
        boolean enabled = properties.resolveProperty("camel.management.authenticationEnabled")
                .map(v -> v.strip().equalsIgnoreCase("true")).orElse(false);
        if (!enabled) {
            return;
        }
        String users = properties.resolveProperty("camel.management.basicPropertiesFile").orElse(null);
        boolean jwt = properties.resolveProperty("camel.management.jwtKeystoreType").isPresent();
        if ((users == null || users.isBlank()) && !jwt) {
            throw new IllegalStateException("ws-listener refuses to start: camel.management.authenticationEnabled=true "
                    + "without camel.management.basicPropertiesFile (or camel.management.jwtKeystoreType) "
                    + "would authenticate nothing");
        }
        if (users != null && !users.isBlank() && !Files.isReadable(Path.of(users.strip()))
                && context.getClassResolver().loadResourceAsURL(users.strip()) == null) {
            throw new IllegalStateException("ws-listener refuses to start: camel.management.basicPropertiesFile="
                    + users.strip() + " does not exist or cannot be read (one line per user: "
                    + "user.<name>=<password>,<role>)");
        }
        if (users != null && Files.isReadable(Path.of(users.strip()))) {
            registerPasswords(Path.of(users.strip()));
        }
    }

    /** The passwords of the users file are secrets like any other: a line {@code user.<name>=<password>,<roles>}. */
    private static void registerPasswords(Path users) {
        try {
            for (String line : Files.readAllLines(users)) {
                int equals = line.indexOf('=');
                if (line.strip().startsWith("user.") && equals > 0) {
                    String password = line.substring(equals + 1).split(",", 2)[0];
                    SecretValues.register(password.strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Vert.x reads the file itself and fails the start if it cannot
        }
    }

    /** Whether a request to this path passes one of the authentication handlers (Vert.x route paths). */
    static boolean covers(AuthenticationConfig authentication, String path) {
        if (authentication == null || !authentication.isEnabled()) {
            return false;
        }
        for (AuthenticationConfig.AuthenticationConfigEntry entry : authentication.getEntries()) {
            String protectedPath = entry.getPath();
            if (protectedPath == null) {
                continue;
            }
            if (protectedPath.endsWith("*") ? path.startsWith(protectedPath.substring(0, protectedPath.length() - 1))
                    : path.equals(protectedPath)) {
                return true;
            }
        }
        return false;
    }

    static boolean loopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String bare = host.strip();
        if (bare.startsWith("[") && bare.endsWith("]")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
