package io.wslistener.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.wslistener.support.SecretValues;

/**
 * A {@link HandshakeHeadersProvider} that reads a token from a file before every connect, for credentials that are
 * rotated on disk (a Kubernetes secret volume, a sidecar refreshing an OAuth token): each handshake carries the file's
 * current content, with no restart.
 * <p>
 * The token is the file's content with surrounding white space (the trailing newline most tools write) removed; the
 * header is {@code header: prefix + token}. A missing, unreadable or empty file fails that connect attempt, which is
 * retried like any other, and the message names the file, never its content. {@link #token()} gives the same token
 * for a URL ({@code serverUrls: "wss://host/ws?listenKey=${bean:feedToken?method=token}"}).
 *
 * <pre>
 * - beans:
 *     - name: feedToken
 *       type: "#class:io.wslistener.policy.FileTokenHeaders"
 *       properties:
 *         file: /run/secrets/feed-token
 *     - name: feedPolicy
 *       type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
 *       properties:
 *         headersProvider: "#bean:feedToken"
 * </pre>
 */
public class FileTokenHeaders implements HandshakeHeadersProvider {

    /** A token is a line, not a document: this bounds what a wrong path (a log file, say) could put into a header. */
    static final int MAX_TOKEN_BYTES = 8192;

    private String file;
    private String header = "Authorization";
    private String prefix = "Bearer ";

    public FileTokenHeaders() {
    }

    public FileTokenHeaders(String file) {
        this.file = file;
    }

    @Override
    public Map<String, String> headersFor(String routeId) throws IOException {
        return Map.of(header, prefix + token());
    }

    /**
     * The file's current token, read now: for a URL that carries it ({@code ${bean:feedToken?method=token}} in
     * {@code serverUrls}), read again on every connect as the header is. The token is registered as a secret, masked
     * wherever it would be printed.
     *
     * @throws IOException naming the file, never its content, when it is missing, empty, too large or not one line
     */
    public String token() throws IOException {
        if (file == null || file.isBlank()) {
            throw new IllegalStateException("FileTokenHeaders has no file set");
        }
        Path path = Path.of(file);
        if (Files.size(path) > MAX_TOKEN_BYTES) {
            throw new IOException("token file " + path + " is larger than " + MAX_TOKEN_BYTES + " bytes, not a token");
        }
        String token = Files.readString(path, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
            throw new IOException("token file " + path + " is empty");
        }
        if (token.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            // a line break inside would end the header early and start another: never send that
            throw new IOException("token file " + path + " holds more than one line or control characters");
        }
        SecretValues.register(token);
        return token;
    }

    public String getFile() {
        return file;
    }

    /** The file holding the token; read again before every connect. */
    public void setFile(String file) {
        this.file = file;
    }

    public String getHeader() {
        return header;
    }

    /** The header to send the token in; default {@code Authorization}. */
    public void setHeader(String header) {
        this.header = header;
    }

    public String getPrefix() {
        return prefix;
    }

    /** Written before the token; default {@code "Bearer "}, empty for an API key header. */
    public void setPrefix(String prefix) {
        this.prefix = prefix == null ? "" : prefix;
    }

    @Override
    public String toString() {
        return "FileTokenHeaders[file=" + file + ", header=" + header + "]";
    }
}
