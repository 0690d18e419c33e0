package io.wslistener.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;

/**
 * A wss:// server on 127.0.0.1 with a given certificate, optionally requiring a client certificate signed by a CA.
 * Each connection is greeted with "hello #n"; the subject of each client certificate is recorded.
 */
final class TlsFeedServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger tlsHandshakes = new AtomicInteger();
    private final List<String> clientSubjects = new CopyOnWriteArrayList<>();
    private final List<String> protocols = new CopyOnWriteArrayList<>();

    private TlsFeedServer(HttpServer server) {
        this.server = server;
    }

    /** Serves with this certificate; no client certificate asked for. */
    static TlsFeedServer start(Vertx vertx, TestCertificates.Issued certificate) throws Exception {
        return start(vertx, certificate, null);
    }

    /** Serves with this certificate and, when {@code clientCa} is given, requires a client certificate it signed. */
    static TlsFeedServer start(Vertx vertx, TestCertificates.Issued certificate, TestCertificates.Issued clientCa)
            throws Exception {
        Path dir = Files.createTempDirectory("tls-server");
        HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setSsl(true)
                .setKeyCertOptions(new PfxOptions()
                        .setValue(Buffer.buffer(Files.readAllBytes(certificate.writePkcs12(dir))))
                        .setPassword(new String(TestCertificates.PASSWORD)));
        if (clientCa != null) {
            options.setClientAuth(ClientAuth.REQUIRED)
                    .setTrustOptions(new PemTrustOptions().addCertValue(
                            Buffer.buffer(Files.readString(clientCa.writeCertificatePem(dir)))));
        }
        HttpServer server = vertx.createHttpServer(options);
        TlsFeedServer feed = new TlsFeedServer(server);
        server.connectionHandler(connection -> feed.tlsHandshakes.incrementAndGet());
        server.webSocketHandler(ws -> {
            try {
                clientSubject(ws.peerCertificates()).ifPresent(feed.clientSubjects::add);
            } catch (SSLPeerUnverifiedException e) {
                // no client certificate: nothing to record
            }
            feed.protocols.add(ws.sslSession().getProtocol());
            ws.writeTextMessage("hello #" + feed.connections.incrementAndGet());
        });
        await(server.listen());
        return feed;
    }

    private static java.util.Optional<String> clientSubject(List<java.security.cert.Certificate> certificates) {
        return certificates == null || certificates.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(((java.security.cert.X509Certificate) certificates.get(0))
                        .getSubjectX500Principal().getName());
    }

    int port() {
        return server.actualPort();
    }

    /** WebSocket connections accepted (TLS and the upgrade both succeeded). */
    int connections() {
        return connections.get();
    }

    /** TCP connections whose TLS handshake completed (an upgrade may still follow or not). */
    int tlsHandshakes() {
        return tlsHandshakes.get();
    }

    /** Subjects of the client certificates presented, one per accepted WebSocket. */
    List<String> clientSubjects() {
        return List.copyOf(clientSubjects);
    }

    /** The TLS protocol of each accepted WebSocket (TLSv1.3, TLSv1.2). */
    List<String> protocols() {
        return List.copyOf(protocols);
    }

    @Override
    public void close() throws Exception {
        await(server.close());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
