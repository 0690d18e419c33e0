package io.wslistener.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A scriptable HTTP server on 127.0.0.1 (JDK {@code com.sun.net.httpserver}) that records every request in order.
 *
 * <p>Each request takes the next scripted response from a queue ({@link #respondWith(int...)},
 * {@link #respondWithRetryAfter(int, String)}, {@link #respondWith(int, Map, String)}); when the queue is empty it
 * answers {@link #defaultStatus(int)} (200). It can be stopped and started again on the same port.</p>
 */
public final class HttpTestServer implements AutoCloseable {

    /** One request as the server saw it, and the status it answered. */
    public static final class Request {

        private final String method;
        private final String path;
        private final Map<String, List<String>> headers;
        private final String body;
        private final int status;
        private final long receivedAtNanos;

        Request(String method, String path, Map<String, List<String>> headers, String body, int status,
                long receivedAtNanos) {
            this.method = method;
            this.path = path;
            this.headers = headers;
            this.body = body;
            this.status = status;
            this.receivedAtNanos = receivedAtNanos;
        }

        public String method() {
            return method;
        }

        public String path() {
            return path;
        }

        /** Header values by lower-case name. */
        public Map<String, List<String>> headers() {
            return headers;
        }

        /** First value of a header (name case-insensitive), or null. */
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase());
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public String body() {
            return body;
        }

        /** Status this request was answered with. */
        public int status() {
            return status;
        }

        /** When the request arrived (before its body was read), in {@link System#nanoTime()}. */
        public long receivedAtNanos() {
            return receivedAtNanos;
        }

        @Override
        public String toString() {
            return method + " " + path + " -> " + status + " [" + body + "]";
        }
    }

    private static final class Scripted {

        final int status;
        final Map<String, String> headers;
        final String body;

        Scripted(int status, Map<String, String> headers, String body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }
    }

    private final Queue<Scripted> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int defaultStatus = 200;
    private volatile IntConsumer onRequest = n -> {
    };
    private HttpServer server;
    private ExecutorService executor;
    private int port = -1;
    private int reservedPort;

    /**
     * A server with a free port chosen but not started yet, so that a client can find it down first; {@link #port()}
     * and {@link #url} work at once and {@link #start()} listens on that port.
     */

    public static HttpTestServer onFreePort() {
        HttpTestServer server = new HttpTestServer();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.reservedPort = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.port = server.reservedPort;
        return server;
    }

    /** Starts on 127.0.0.1, on the port of {@link #onFreePort()} or else an ephemeral one. */
    public HttpTestServer start() {
        return start(reservedPort);
    }

    /** Starts on 127.0.0.1:port (0 = ephemeral). */
    public synchronized HttpTestServer start(int port) {
        if (server != null) {
            throw new IllegalStateException("already started on port " + this.port);
        }
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            executor = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "http-test-server");
                t.setDaemon(true);
                return t;
            });
            s.setExecutor(executor);
            s.createContext("/", this::handle);
            s.start();
            server = s;
            this.port = s.getAddress().getPort();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start HttpTestServer on port " + port, e);
        }
    }

    /** Stops at once (open exchanges are cut). Keeps the port for {@link #restart()}. */
    public synchronized HttpTestServer stop() {
        if (server != null) {
            server.stop(0);
            server = null;
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return this;
    }

    /** Stops, then starts on the same port. */
    public synchronized HttpTestServer restart() {
        stop();
        return start(port());
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized int port() {
        if (port < 0) {
            throw new IllegalStateException("never started");
        }
        return port;
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Status used when the script queue is empty (200 unless changed). */
    public HttpTestServer defaultStatus(int status) {
        this.defaultStatus = status;
        return this;
    }

    /** Queues one response per status, used by the next requests in order (e.g. 500, 500, 200). */
    public HttpTestServer respondWith(int... statuses) {
        for (int s : statuses) {
            script.add(new Scripted(s, Map.of(), ""));
        }
        return this;
    }

    /** Queues one response with a {@code Retry-After} header (seconds or HTTP date). */
    public HttpTestServer respondWithRetryAfter(int status, String retryAfter) {
        script.add(new Scripted(status, Map.of("Retry-After", retryAfter), ""));
        return this;
    }

    /** Queues one response with headers and body. */
    public HttpTestServer respondWith(int status, Map<String, String> headers, String body) {
        script.add(new Scripted(status, Map.copyOf(headers), body == null ? "" : body));
        return this;
    }

    /**
     * Runs this, with the number of the request (counting from 0, in arrival order), on the server's thread before
     * the request is answered: a test can hold a request there (the server has two threads).
     */
    public HttpTestServer onRequest(IntConsumer hook) {
        this.onRequest = java.util.Objects.requireNonNull(hook);
        return this;
    }

    /** Scripted responses not used yet. */
    public int pendingScriptedResponses() {
        return script.size();
    }

    /** Every request received, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Bodies of every POST received, in arrival order, whatever the answer. */
    public List<String> receivedBodies() {
        List<String> out = new ArrayList<>();
        for (Request r : requests) {
            if ("POST".equals(r.method())) {
                out.add(r.body());
            }
        }
        return out;
    }

    /** Bodies of the POSTs answered with a 2xx status, in arrival order. */
    public List<String> acceptedBodies() {
        List<String> out = new ArrayList<>();
        for (Request r : requests) {
            if ("POST".equals(r.method()) && r.status() >= 200 && r.status() < 300) {
                out.add(r.body());
            }
        }
        return out;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            long receivedAt = System.nanoTime();
            onRequest.accept(arrived.getAndIncrement());
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Scripted r = script.poll();
            if (r == null) {
                r = new Scripted(defaultStatus, Map.of(), "");
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().toString(),
                    Collections.unmodifiableMap(headers), body, r.status, receivedAt));
            r.headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] out = r.body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(r.status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }
}
