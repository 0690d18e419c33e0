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
 * A SOCKS5 proxy (RFC 1928, CONNECT only, with RFC 1929 username/password when {@link #requireCredentials} was called)
 * on 127.0.0.1 for tests. Records the targets it connected to.
 */
public final class Socks5Proxy implements AutoCloseable {

    private final Vertx vertx;
    private final NetServer server;
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private volatile String user;
    private volatile String password;

    public Socks5Proxy(Vertx vertx) throws Exception {
        this.vertx = vertx;
        this.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
                .connectHandler(this::onClient);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    public Socks5Proxy requireCredentials(String user, String password) {
        this.user = user;
        this.password = password;
        return this;
    }

    /** host:port of every tunnel opened. */
    public List<String> targets() {
        return List.copyOf(targets);
    }

    private void onClient(NetSocket client) {
        Buffer[] held = { Buffer.buffer() };
        int[] stage = { 0 }; // 0 greeting, 1 authentication, 2 request, 3 piping
        client.handler(data -> {
            held[0].appendBuffer(data);
            while (true) {
                Buffer in = held[0];
                if (stage[0] == 0) {
                    if (in.length() < 2 || in.length() < 2 + in.getUnsignedByte(1)) {
                        return;
                    }
                    int methods = in.getUnsignedByte(1);
                    boolean wantsAuth = user != null;
                    byte chosen = (byte) 0xFF;
                    for (int i = 0; i < methods; i++) {
                        int m = in.getUnsignedByte(2 + i);
                        if ((wantsAuth && m == 2) || (!wantsAuth && m == 0)) {
                            chosen = (byte) m;
                        }
                    }
                    held[0] = in.getBuffer(2 + methods, in.length());
                    client.write(Buffer.buffer(new byte[]{ 5, chosen }));
                    if (chosen == (byte) 0xFF) {
                        client.close();
                        return;
                    }
                    stage[0] = wantsAuth ? 1 : 2;
                } else if (stage[0] == 1) {
                    if (in.length() < 2) {
                        return;
                    }
                    int ulen = in.getUnsignedByte(1);
                    if (in.length() < 3 + ulen || in.length() < 3 + ulen + in.getUnsignedByte(2 + ulen)) {
                        return;
                    }
                    int plen = in.getUnsignedByte(2 + ulen);
                    String u = in.getString(2, 2 + ulen, "UTF-8");
                    String p = in.getString(3 + ulen, 3 + ulen + plen, "UTF-8");
                    held[0] = in.getBuffer(3 + ulen + plen, in.length());
                    boolean ok = u.equals(user) && p.equals(password);
                    client.write(Buffer.buffer(new byte[]{ 1, (byte) (ok ? 0 : 1) }));
                    if (!ok) {
                        client.close();
                        return;
                    }
                    stage[0] = 2;
                } else if (stage[0] == 2) {
                    if (in.length() < 5) {
                        return;
                    }
                    int type = in.getUnsignedByte(3);
                    int addressLength = type == 1 ? 4 : type == 4 ? 16 : 1 + in.getUnsignedByte(4);
                    if (in.length() < 4 + addressLength + 2) {
                        return;
                    }
                    String host = type == 3
                            ? in.getString(5, 5 + in.getUnsignedByte(4), StandardCharsets.US_ASCII.name())
                            : type == 1 ? in.getUnsignedByte(4) + "." + in.getUnsignedByte(5) + "."
                                    + in.getUnsignedByte(6) + "."
                                    + in.getUnsignedByte(7) : "::1";
                    int port = in.getUnsignedShort(4 + addressLength);
                    held[0] = in.getBuffer(4 + addressLength + 2, in.length());
                    stage[0] = 3;
                    client.pause();
                    targets.add(host + ":" + port);
                    vertx.createNetClient().connect(port, host).onSuccess(upstream -> {
                        client.write(Buffer.buffer(new byte[]{ 5, 0, 0, 1, 0, 0, 0, 0, 0, 0 }));
                        if (held[0].length() > 0) {
                            upstream.write(held[0]);
                        }
                        client.handler(upstream::write);
                        upstream.handler(client::write);
                        client.closeHandler(v -> upstream.close());
                        upstream.closeHandler(v -> client.close());
                        client.resume();
                    }).onFailure(e -> {
                        client.write(Buffer.buffer(new byte[]{ 5, 5, 0, 1, 0, 0, 0, 0, 0, 0 }));
                        client.close();
                    });
                    return;
                } else {
                    return;
                }
            }
        });
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
