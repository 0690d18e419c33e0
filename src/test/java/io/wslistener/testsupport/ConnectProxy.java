package io.wslistener.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * An HTTP CONNECT proxy on 127.0.0.1 for tests: answers {@code CONNECT host:port} with 200 and then pipes bytes both
 * ways; with {@link #requireCredentials} it answers 407 unless the request's {@code Proxy-Authorization} is that Basic
 * credential. Records every request head it received.
 */
public final class ConnectProxy implements AutoCloseable {

    private final Vertx vertx;
    private final NetServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile String requiredAuthorization;

    public ConnectProxy(Vertx vertx) throws Exception {
        this.vertx = vertx;
        this.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
                .connectHandler(this::onClient);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    /** Every following CONNECT must carry {@code Proxy-Authorization: Basic base64(user:password)}. */
    public ConnectProxy requireCredentials(String user, String password) {
        requiredAuthorization = "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** The request heads received (request line and headers), in arrival order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void onClient(NetSocket client) {
        Buffer head = Buffer.buffer();
        client.handler(data -> {
            head.appendBuffer(data);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                return;
            }
            client.pause();
            client.handler(null);
            String request = text.substring(0, end);
            requests.add(request);
            String[] line = request.split("\r\n", 2)[0].split(" ");
            if (line.length < 2 || !line[0].equals("CONNECT")) {
                client.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                        .onComplete(v -> client.close());
                return;
            }
            String required = requiredAuthorization;
            if (required != null
                    && !request.lines().anyMatch(h -> h.equalsIgnoreCase("Proxy-Authorization: " + required))) {
                client.write(
                        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                                + "Content-Length: 0\r\n\r\n")
                        .onComplete(v -> client.close());
                return;
            }
            String target = line[1];
            int colon = target.lastIndexOf(':');
            vertx.createNetClient().connect(Integer.parseInt(target.substring(colon + 1)), target.substring(0, colon))
                    .onSuccess(upstream -> {
                        client.write("HTTP/1.1 200 Connection established\r\n\r\n");
                        Buffer rest = head.getBuffer(end + 4, head.length());
                        if (rest.length() > 0) {
                            upstream.write(rest);
                        }
                        client.handler(upstream::write);
                        upstream.handler(client::write);
                        client.closeHandler(v -> upstream.close());
                        upstream.closeHandler(v -> client.close());
                        client.resume();
                    })
                    .onFailure(e -> client.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                            .onComplete(v -> client.close()));
        });
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
