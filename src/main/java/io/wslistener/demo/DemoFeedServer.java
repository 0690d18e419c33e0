package io.wslistener.demo;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.wslistener.support.WsListenerProperty;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A market-data-like WebSocket feed for the demo, so that the application runs on a machine with no network: JSON
 * quotes with a per-connection sequence number, a timestamp and a payload, at a fixed rate per connection. A client
 * that sends {@code {"op":"subscribe",...}} gets an acknowledgement.
 */
public class DemoFeedServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DemoFeedServer.class);
    private static final String[] SYMBOLS = { "BTC-USD", "ETH-USD", "SOL-USD", "EUR-USD" };

    private final String host;
    private final int port;
    private final String path;
    private final int messagesPerSecond;
    private final Set<ServerWebSocket> clients = ConcurrentHashMap.newKeySet();
    private Vertx vertx;
    private boolean ownVertx;
    private HttpServer server;

    public DemoFeedServer(Vertx vertx, String host, int port, String path, int messagesPerSecond) {
        if (messagesPerSecond < 1 || messagesPerSecond > 1000) {
            throw new IllegalArgumentException(
                    WsListenerProperty.DEMO_RATE + " must be from 1 to 1000 messages per second, was "
                            + messagesPerSecond);
        }
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.path = path;
        this.messagesPerSecond = messagesPerSecond;
    }

    /** The port it listens on (useful with port 0). */
    public int getActualPort() {
        return server == null ? port : server.actualPort();
    }

    @Override
    protected void doStart() throws Exception {
        if (vertx == null) {
            vertx = Vertx.vertx();
            ownVertx = true;
        }
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .webSocketHandler(this::accept);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.info("Demo feed listening on ws://{}:{}{} ({} messages/s per connection)", host, server.actualPort(), path,
                messagesPerSecond);
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            clients.forEach(ws -> ws.close((short) 1001, "demo feed stopping"));
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            server = null;
        }
        if (ownVertx) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx = null;
        }
    }

    private void accept(ServerWebSocket ws) {
        if (!path.equals(ws.path())) {
            ws.reject(404);
            return;
        }
        clients.add(ws);
        long[] sequence = { 0 };
        long timer = vertx.setPeriodic(Math.max(1, 1000 / messagesPerSecond), t -> {
            if (!ws.writeQueueFull()) {
                ws.writeTextMessage(quote(++sequence[0]));
            }
        });
        ws.textMessageHandler(text -> {
            if (text.contains("\"subscribe\"")) {
                ws.writeTextMessage("{\"event\":\"subscribed\",\"request\":" + text + "}");
            }
        });
        ws.closeHandler(v -> {
            vertx.cancelTimer(timer);
            clients.remove(ws);
        });
    }

    static String quote(long sequence) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String symbol = SYMBOLS[(int) (sequence % SYMBOLS.length)];
        double mid = 100 + random.nextDouble(900);
        return String.format(Locale.ROOT,
                "{\"seq\":%d,\"ts\":\"%s\",\"symbol\":\"%s\",\"bid\":%.2f,\"ask\":%.2f,\"size\":%d}",
                sequence, Instant.now(), symbol, mid - 0.05, mid + 0.05, 1 + random.nextInt(500));
    }
}
