package io.wslistener.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.wslistener.connection.ConnectionState;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * wss:// feeds with a trust store and a client certificate given as a YAML bean of Camel's
 * {@code SSLContextParameters}, against real TLS servers on 127.0.0.1 with certificates made by the test.
 */
class WssTest {

    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.create().shutdownTimeout(5).recordBodiesAs("received");
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    private static TestCertificates.Issued ca;
    private static TestCertificates.Issued serverCert;

    @TempDir
    Path dir;

    private TestWebSocketServer server;
    private LogCapture log;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.authority("test-ca");
        serverCert = TestCertificates.server("feed-server", ca);
    }

    @BeforeEach
    void captureLog() {
        log = new LogCapture("io.wslistener.connection");
        yamlCamel.property("test.dir", dir.toString());
        yamlCamel.property("wslistener.initialDelay", "50ms");
        yamlCamel.property("wslistener.maxDelay", "100ms");
    }

    @AfterEach
    void stopServer() throws Exception {
        log.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void trustStoreInPkcs12AcceptsTheServerCertificate() throws Exception {
        ca.writeTrustStore(dir);
        server = tlsServer(serverCert);

        yamlCamel.start(tlsBean("""
                trustManagers:
                  keyStore:
                    resource: "file:{{test.dir}}/test-ca-trust.p12"
                    type: PKCS12
                    password: changeit
                """) + route());

        await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("hello #1"));
        assertEquals(ConnectionState.OPEN, yamlCamel.consumer("feed").getLoop().state());
        assertTrue(log.contains("INFO", "Route 'feed': connected to wss://127.0.0.1:" + server.port() + "/feed"),
                String.join("\n", log.lines()));
    }

    @Test
    void trustStoreInPemAcceptsTheServerCertificate() throws Exception {
        ca.writeCertificatePem(dir);
        server = tlsServer(serverCert);

        yamlCamel.start("""
                - beans:
                    - name: feedCa
                      type: "#class:io.wslistener.source.PemKeyStoreParameters"
                      properties:
                        resource: "file:{{test.dir}}/test-ca.crt.pem"
                """ + tlsBean("""
                trustManagers:
                  keyStore: "#bean:feedCa"
                """) + route());

        await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("hello #1"));
    }

    @Test
    void theProtocolsOfTheParametersAreTheOnesOffered() throws Exception {
        ca.writeCertificatePem(dir);
        server = tlsServer(serverCert);

        yamlCamel.start("""
                - beans:
                    - name: feedCa
                      type: "#class:io.wslistener.source.PemKeyStoreParameters"
                      properties:
                        resource: "file:{{test.dir}}/test-ca.crt.pem"
                """ + tlsBean("""
                trustManagers:
                  keyStore: "#bean:feedCa"
                "secureSocketProtocols.secureSocketProtocol[0]": TLSv1.2
                """) + route());

        await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("hello #1"));
        assertEquals(java.util.List.of("TLSv1.2"), server.tlsProtocols(), "the server would have taken TLSv1.3");
    }

    @Test
    void aServerCertificateTheTrustStoreDoesNotAcceptIsRetriedNotFatal() throws Exception {
        ca.writeCertificatePem(dir);
        server = tlsServer(TestCertificates.selfSigned("impostor"));

        yamlCamel.start(pemTrust() + route());

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> yamlCamel.consumer("feed").getLoop().snapshot().failedInARow() >= 3);
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("feed"), "the route keeps going");
        assertTrue(yamlCamel.consumer("feed").getLoop().state() == ConnectionState.BACKING_OFF
                || yamlCamel.consumer("feed").getLoop().state() == ConnectionState.CONNECTING);
        assertEquals(0, server.totalConnections(), "no WebSocket over a connection the client does not trust");
        String failure = log.lines().stream()
                .filter(line -> line.startsWith("WARN ") && line.contains("attempt 2 failed"))
                .findFirst().orElseThrow(() -> new AssertionError(String.join("\n", log.lines())));
        assertTrue(failure.contains("SSLHandshakeException"), failure);
        assertTrue(failure.contains("unable to find valid certification path to requested target"),
                "says why: " + failure);
        assertTrue(failure.contains("backing off"), failure);
        assertTrue(!failure.contains("\n"), "one line: " + failure);
    }

    @Test
    void aTrustedCertificateForAnotherHostNameIsRefused() throws Exception {
        ca.writeCertificatePem(dir);
        // signed by the trusted CA, but for other.example only: host name verification must reject it for 127.0.0.1
        server = tlsServer(TestCertificates.serverFor("other-host", ca, "other.example"));

        yamlCamel.start(pemTrust() + route());

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> yamlCamel.consumer("feed").getLoop().snapshot().failedInARow() >= 2);
        assertEquals(0, server.totalConnections());
        assertTrue(log.contains("WARN", "attempt 1 failed: SSLHandshakeException: Failed to create SSL connection"
                + " (No subject alternative names matching IP address 127.0.0.1 found)"),
                String.join("\n", log.lines()));
    }

    @Test
    void mutualTlsWorksWithTheClientCertificateInPkcs12() throws Exception {
        ca.writeCertificatePem(dir);
        TestCertificates.client("feed-client", ca).writePkcs12(dir);
        server = tlsServer(serverCert, ca);

        yamlCamel.start("""
                - beans:
                    - name: feedCa
                      type: "#class:io.wslistener.source.PemKeyStoreParameters"
                      properties:
                        resource: "file:{{test.dir}}/test-ca.crt.pem"
                """ + tlsBean("""
                trustManagers:
                  keyStore: "#bean:feedCa"
                keyManagers:
                  keyPassword: changeit
                  keyStore:
                    resource: "file:{{test.dir}}/feed-client.p12"
                    type: PKCS12
                    password: changeit
                """) + route());

        await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("hello #1"));
        assertEquals(java.util.List.of("CN=feed-client"), server.clientCertificateSubjects());
    }

    @Test
    void mutualTlsWorksWithTheClientCertificateInPem() throws Exception {
        ca.writeCertificatePem(dir);
        TestCertificates.Issued client = TestCertificates.client("feed-client", ca);
        client.writeCertificatePem(dir);
        client.writeKeyPem(dir);
        server = tlsServer(serverCert, ca);

        yamlCamel.start("""
                - beans:
                    - name: feedCa
                      type: "#class:io.wslistener.source.PemKeyStoreParameters"
                      properties:
                        resource: "file:{{test.dir}}/test-ca.crt.pem"
                    - name: clientCert
                      type: "#class:io.wslistener.source.PemKeyStoreParameters"
                      properties:
                        resource: "file:{{test.dir}}/feed-client.crt.pem"
                        keyResource: "file:{{test.dir}}/feed-client.key.pem"
                """ + tlsBean("""
                trustManagers:
                  keyStore: "#bean:feedCa"
                keyManagers:
                  keyStore: "#bean:clientCert"
                """) + route());

        await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("hello #1"));
        assertEquals(java.util.List.of("CN=feed-client"), server.clientCertificateSubjects());
    }

    @Test
    void mutualTlsFailsWithoutAClientCertificateAndIsRetried() throws Exception {
        ca.writeCertificatePem(dir);
        server = tlsServer(serverCert, ca);

        yamlCamel.start(pemTrust() + route());

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> yamlCamel.consumer("feed").getLoop().snapshot().failedInARow() >= 3);
        assertEquals(0, server.totalConnections());
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("feed"));
        await().during(Duration.ofMillis(200)).atMost(2, TimeUnit.SECONDS).until(() -> yamlCamel.texts().isEmpty());
    }

    // --- servers

    /** A wss:// feed with this certificate that greets each connection with "hello #1". */
    private TestWebSocketServer tlsServer(TestCertificates.Issued certificate) throws IOException {
        return tlsServer(certificate, null);
    }

    /** The same, requiring a client certificate signed by {@code clientCa} when it is given. */
    private TestWebSocketServer tlsServer(TestCertificates.Issued certificate, TestCertificates.Issued clientCa)
            throws IOException {
        Path serverDir = Files.createDirectories(dir.resolve("server"));
        TestWebSocketServer tls = new TestWebSocketServer(serverVertx).tls(new PfxOptions()
                .setPath(certificate.writePkcs12(serverDir).toString())
                .setPassword(new String(TestCertificates.PASSWORD)));
        if (clientCa != null) {
            tls.requireClientCertificate(new PemTrustOptions()
                    .addCertPath(clientCa.writeCertificatePem(serverDir).toString()));
        }
        return tls.autoSendOnConnect(1, i -> "hello #" + i).start();
    }

    // --- YAML

    private String pemTrust() {
        return """
                - beans:
                    - name: feedCa
                      type: "#class:io.wslistener.source.PemKeyStoreParameters"
                      properties:
                        resource: "file:{{test.dir}}/test-ca.crt.pem"
                """ + tlsBean("""
                trustManagers:
                  keyStore: "#bean:feedCa"
                """);
    }

    /** A bean {@code feedTls} of Camel's SSLContextParameters with these properties (YAML, two-space indent). */
    private static String tlsBean(String properties) {
        return """
                - beans:
                    - name: feedTls
                      type: "#class:org.apache.camel.support.jsse.SSLContextParameters"
                      properties:
                %s""".formatted(properties.indent(8));
    }

    private String route() {
        return """
                - route:
                    id: feed
                    from:
                      uri: "ws-listener:wss:127.0.0.1:%d/feed?sslContextParameters=#bean:feedTls"
                      steps:
                        - process:
                            ref: received
                """.formatted(server.port());
    }
}
