package io.wslistener.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * The baseline of the many-feeds scenario: K bare Vert.x WebSocket clients in one JVM, each appending its messages as
 * lines to a buffered file of its own ({@code <dir>/feed-<i>/out.jsonl}) on its event loop; stays until stopped.
 * <p>
 * Usage: {@code BareClients <port> <feeds> <messagesPerFeed> <dir>}
 */
public final class BareClients {

    private BareClients() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int feeds = Integer.parseInt(args[1]);
        long messages = Long.parseLong(args[2]);
        Path dir = Path.of(args[3]);
        Vertx vertx = Vertx.vertx();
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 20)
                .setMaxFrameSize(1 << 20));
        for (int i = 1; i <= feeds; i++) {
            Path file = Files.createDirectories(dir.resolve("feed-" + i)).resolve("out.jsonl");
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            long[] count = { 0 };
            client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/feed-" + i))
                    .onSuccess(ws -> ws.textMessageHandler(text -> {
                        try {
                            out.write(text.getBytes(StandardCharsets.UTF_8));
                            out.write('\n');
                            if (++count[0] % 1000 == 0 || count[0] == messages) {
                                out.flush();
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
