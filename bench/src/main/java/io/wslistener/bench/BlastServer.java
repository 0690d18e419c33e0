package io.wslistener.bench;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;

/**
 * Sends N text messages of S bytes to each client as fast as its socket drains. Each message starts with its sequence
 * number (zero-padded to 10 digits) so that a candidate's output can be checked for order and completeness.
 */
public final class BlastServer implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final int messages;
    private final int size;

    public BlastServer(int messages, int size) throws Exception {
        this.messages = messages;
        this.size = size;
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .webSocketHandler(this::blast);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    /**
     * The body of message {@code sequence}: a JSON object of {@code size} bytes whose first field is the sequence number,
     * zero-padded to 10 digits (as a string, since JSON numbers have no leading zeros), like a feed's quote.
     */
    public static String message(long sequence, int size) {
        StringBuilder text = new StringBuilder(size);
        text.append("{\"seq\":\"").append(String.format("%010d", sequence)).append("\",\"p\":\"");
        while (text.length() < size - 2) {
            text.append('x');
        }
        return text.append("\"}").toString();
    }

    private void blast(ServerWebSocket ws) {
        // one preformatted filler; only the sequence prefix changes per message
        String filler = message(0, size).substring(18);
        new Sender(ws, filler).run();
    }

    private final class Sender implements Runnable {
        private final ServerWebSocket ws;
        private final String filler;
        private long next = 1;

        Sender(ServerWebSocket ws, String filler) {
            this.ws = ws;
            this.filler = filler;
        }

        @Override
        public void run() {
            while (next <= messages) {
                if (ws.writeQueueFull()) {
                    ws.drainHandler(v -> run());
                    return;
                }
                String text = "{\"seq\":\"" + String.format("%010d", next++) + filler;
                ws.writeFrame(WebSocketFrame.textFrame(text, true));
            }
            ws.drainHandler(null);
        }
    }


    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
