package io.wslistener.policy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.wslistener.connection.ConnectionSettings;
import io.wslistener.connection.InvalidSettingException;

/**
 * Bounds on what a route sends on every connect, checked at start: a policy that would flood the server (or itself)
 * after each reconnect stops start-up instead. Messages name the option, never a message's or header's content, which
 * may carry a credential.
 */
final class SettingLimits {

    /** Open messages sent after every connect. */
    static final int MAX_OPEN_MESSAGES = 64;

    private SettingLimits() {
    }

    static ConnectionSettings check(String routeId, ConnectionSettings settings) {
        List<String> openMessages = settings.openMessages();
        if (openMessages.size() > MAX_OPEN_MESSAGES) {
            throw new InvalidSettingException(routeId, "openMessages", openMessages.size() + " messages",
                    "at most " + MAX_OPEN_MESSAGES + " messages");
        }
        for (int i = 0; i < openMessages.size(); i++) {
            int bytes = openMessages.get(i).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > settings.maxMessageSize()) {
                throw new InvalidSettingException(routeId, "openMessages", "message " + (i + 1) + " of " + bytes + " bytes",
                        "messages of at most maxMessageSize (" + settings.maxMessageSize() + " bytes)");
            }
        }
        if (settings.pingMessage() != null
                && settings.pingMessage().getBytes(StandardCharsets.UTF_8).length > settings.maxMessageSize()) {
            throw new InvalidSettingException(routeId, "pingMessage", "a message larger than maxMessageSize",
                    "a message of at most maxMessageSize (" + settings.maxMessageSize() + " bytes)");
        }
        checkHeaders(routeId, settings.handshakeHeaders());
        return settings;
    }

    /**
     * Names always; values only when they are fixed text (a simple expression such as {@code ${env:TOKEN}} is checked
     * when it is evaluated, before each connect).
     */
    private static void checkHeaders(String routeId, Map<String, String> headers) {
        int total = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            String problem = HandshakeHeaderRules.problemWithName(name);
            String value = header.getValue();
            boolean fixed = value != null && !value.contains("${");
            if (problem == null && fixed) {
                problem = HandshakeHeaderRules.problemWithValue(name, value);
            }
            if (problem != null) {
                throw new InvalidSettingException(routeId, "handshakeHeaders", problem);
            }
            total += HandshakeHeaderRules.size(name, fixed ? value : "");
        }
        if (total > HandshakeHeaderRules.MAX_TOTAL_BYTES) {
            throw new InvalidSettingException(routeId, "handshakeHeaders", "they take " + total + " bytes, more than the "
                                                                            + HandshakeHeaderRules.MAX_TOTAL_BYTES
                                                                            + " bytes servers accept");
        }
    }
}
