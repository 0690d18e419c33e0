package io.wslistener.connection;

import java.nio.charset.StandardCharsets;

import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.WebSocket;

/**
 * What the loop does about bad input from a server: text that is not UTF-8, a frame or message over the size limit,
 * a frame that breaks the protocol (a control frame over 125 bytes, a close frame with a reason that is not UTF-8).
 * Each is a reason to drop the connection with the matching close code (RFC 6455 section 7.4.1) and reconnect.
 * <p>
 * Vert.x's client decodes text leniently (an invalid byte becomes U+FFFD, silently), so Netty's own
 * {@code Utf8FrameValidator} is put into the connection's pipeline, right before Vert.x's handler. Vert.x also sets
 * Netty's decoder not to close on a protocol violation but only to report it: the loop closes, so that every case goes
 * the same way (a close frame with the code, the TCP connection closed at once, a reconnect).
 */
final class InboundChecks {

    static final short PROTOCOL_ERROR = 1002;
    static final short INVALID_PAYLOAD = 1007;
    static final short TOO_BIG = 1009;

    /** The longest close reason a close frame can carry: 125 bytes of payload minus the 2 of the code. */
    static final int MAX_REASON_BYTES = 123;

    /** A reason to close: the code and a short reason for the peer and the log. */
    record Violation(short code, String reason) {
    }

    private InboundChecks() {
    }

    /**
     * Adds UTF-8 validation of text messages (fragments included) to a connection just opened. Called in the handshake's
     * completion, before the event loop reads again, so no frame gets past it.
     */
    static void install(WebSocket ws) {
        VertxInternals.validateUtf8(ws);
    }

    /** @return the close code and reason for this socket error, or null when it is no protocol violation */
    static Violation of(Throwable error, int maxMessageSize) {
        if (error instanceof CorruptedWebSocketFrameException corrupted) {
            int code = corrupted.closeStatus() == null ? PROTOCOL_ERROR : corrupted.closeStatus().code();
            return switch (code) {
                case TOO_BIG -> new Violation(TOO_BIG, "frame larger than " + maxMessageSize + " bytes");
                case INVALID_PAYLOAD -> new Violation(INVALID_PAYLOAD, "text that is not UTF-8");
                default -> new Violation((short) code, reason("protocol error: " + corrupted.getMessage()));
            };
        }
        // permessage-deflate inflating a frame past maxMessageSize (InflateLimit), reported wrapped by the decoder
        for (Throwable cause = error; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof DecompressionException) {
                return new Violation(TOO_BIG, "message larger than " + maxMessageSize + " bytes inflated");
            }
        }
        // Vert.x's message aggregation, for a message of several frames each within the frame limit
        if (error instanceof IllegalStateException && String.valueOf(error.getMessage()).contains("max message size")) {
            return new Violation(TOO_BIG, "message larger than " + maxMessageSize + " bytes");
        }
        return null;
    }

    /**
     * Text from the peer (a close reason) made safe for one log line: control characters (a line break would forge a
     * log line) become '?', and it is cut to what a close frame can hold.
     */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        text.codePoints()
                .forEach(c -> out.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? '?' : c));
        return reason(out.toString());
    }

    /** At most {@link #MAX_REASON_BYTES} bytes of UTF-8, cut at a character boundary. */
    static String reason(String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length();) {
            int c = text.codePointAt(i);
            int size = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_REASON_BYTES - 3) {
                break;
            }
            out.appendCodePoint(c);
            bytes += size;
            i += Character.charCount(c);
        }
        return out.append("...").toString();
    }
}
