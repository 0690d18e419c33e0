package io.wslistener.sink;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 (the JDK's) that records every request and answers what the test tells it to.
 */
final class RecordingHttpServer implements AutoCloseable {

    /** An answer: the status and extra response headers. */
    record Answer(int status, Map<String, String> headers) {
        static Answer status(int status) {
            return new Answer(status, Map.of());
        }
    }

    /** A request as received. */
    record Request(String body, Map<String, List<String>> headers, long receivedAtNanos) {
        String header(String name) {
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                if (header.getKey() != null && header.getKey().equalsIgnoreCase(name)) {
                    return header.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final int port;
    private volatile IntFunction<Answer> answers = n -> Answer.status(200);
    private HttpServer server;
    private ExecutorService executor;

    private RecordingHttpServer(int port) {
        this.port = port;
    }

    /** A server on a free port, not started yet (so that a sink can find it down first). */
    static RecordingHttpServer onFreePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new RecordingHttpServer(socket.getLocalPort());
        }
    }

    /** Answers request number n (counting from 0) with what the function returns. */
    RecordingHttpServer answering(IntFunction<Answer> answers) {
        this.answers = answers;
        return this;
    }

    RecordingHttpServer start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        executor = Executors.newSingleThreadExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/ingest";
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<String> bodies() {
        return requests.stream().map(Request::body).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int n = requests.size();
        requests.add(new Request(body, Map.copyOf(exchange.getRequestHeaders()), System.nanoTime()));
        Answer answer = answers.apply(n);
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(answer.status(), -1);
        exchange.close();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }
}
