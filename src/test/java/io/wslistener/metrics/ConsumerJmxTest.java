package io.wslistener.metrics;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.rmi.server.RMIServerSocketFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXPrincipal;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.security.auth.Subject;

import io.wslistener.app.WsListenerApplication;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ws-listener consumer's attributes and operations on its Camel consumer MBean, read and invoked through the
 * platform MBean server as JConsole or Hawtio would.
 */
class ConsumerJmxTest {

    @TempDir
    Path dataDir;

    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    private TestWebSocketServer server;
    private ObservedMain app;
    private ObjectName consumer;

    private void start(String initialDelay) throws Exception {
        server = new TestWebSocketServer().start();
        int port = server.port();
        app = new ObservedMain(AvailablePortFinder.getNextAvailable())
                .property("wslistener.initialDelay", initialDelay)
                .property("wslistener.maxDelay", initialDelay)
                .routes(new RouteBuilder() {

                    @Override
                    public void configure() {
                        from("ws-listener:127.0.0.1:" + port + "/feed").routeId("feed").to("log:feed?level=OFF");
                    }
                }).start();
        consumer = consumerOf("feed", app.context().getManagementName());
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void attributesShowTheFeedAndPauseResumeAndReconnectWork() throws Exception {
        start("100ms");
        await().atMost(Duration.ofSeconds(30)).until(() -> "OPEN".equals(attribute("ConnectionState")));
        assertEquals(1L, attribute("ConnectionNumber"));
        assertEquals("ws://127.0.0.1:" + server.port() + "/feed", attribute("ServerUrl"));
        assertTrue(((String) attribute("ConnectionStateSince")).endsWith("Z"), "ISO-8601 instant");
        assertNull(attribute("LastFailure"));
        assertTrue(consumer.getKeyProperty("name").startsWith("WsListenerConsumer("), consumer.toString());

        server.sendTexts(1, i -> "a").get(10, TimeUnit.SECONDS);
        server.sendTexts(1, i -> "b").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> (Long) attribute("MessagesReceived") == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> (Double) attribute("LastPongRoundTripMillis") >= 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> (Integer) attribute("MessagesInFlight") == 0);
        assertEquals(false, attribute("ReadingPaused"));

        // an operator pauses reading: what the server sends waits in TCP buffers until the resume
        jmx.invoke(consumer, "pauseReading", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> (Boolean) attribute("ReadingPaused"));
        assertEquals(true, attribute("ReadingHeld"));
        server.sendTexts(1, i -> "c").get(10, TimeUnit.SECONDS);
        server.sendTexts(1, i -> "d").get(10, TimeUnit.SECONDS);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> (Long) attribute("MessagesReceived") == 2);
        assertEquals("OPEN", attribute("ConnectionState"), "a held feed stays connected (its keep-alive waits too)");
        jmx.invoke(consumer, "resumeReading", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> (Long) attribute("MessagesReceived") == 4);
        assertEquals(false, attribute("ReadingPaused"));
        assertEquals(false, attribute("ReadingHeld"));
        assertTrue((Long) attribute("PausedMillis") >= 500, "the pause is counted");

        // reconnect now: a new connection at once
        jmx.invoke(consumer, "reconnectNow", null, null);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> (Long) attribute("ConnectionNumber") == 2 && "OPEN".equals(attribute("ConnectionState")));
        server.sendTexts(1, i -> "e").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> (Long) attribute("MessagesReceived") == 5);
    }

    @Test
    void reconnectNowCutsTheBackoffShort() throws Exception {
        start("10m");
        await().atMost(Duration.ofSeconds(30)).until(() -> "OPEN".equals(attribute("ConnectionState")));
        server.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> "BACKING_OFF".equals(attribute("ConnectionState")));
        // the cause of the lost connection (told to the listeners right after the state changed)
        await().atMost(Duration.ofSeconds(30)).until(() -> attribute("LastFailure") != null);
        assertFalse(((String) attribute("LastFailureAt")).isEmpty());

        // the next attempt is 10 minutes away; the operator does not want to wait
        server.restart();
        jmx.invoke(consumer, "reconnectNow", null, null);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> (Long) attribute("ConnectionNumber") == 2 && "OPEN".equals(attribute("ConnectionState")));
    }

    @Test
    void aFeedPausedLongStopsWithoutWaitingForACloseAnswerItCannotRead() throws Exception {
        start("100ms");
        await().atMost(Duration.ofSeconds(30)).until(() -> "OPEN".equals(attribute("ConnectionState")));
        jmx.invoke(consumer, "pauseReading", null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> (Boolean) attribute("ReadingPaused"));
        // more than Vert.x buffers behind a pause: it stops reading TCP, so the server's answer to a close stays unread
        server.sendTexts(200, i -> "message " + i);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> (Long) attribute("MessagesReceived") == 0);
        try (LogCapture log = new LogCapture("io.wslistener.connection")) {
            app.context().getRouteController().stopRoute("feed");
            assertTrue(
                    log.messages().stream()
                            .anyMatch(l -> l.contains("connection #1 closed") && l.contains("route stopped")),
                    log.messages().toString());
            assertFalse(log.messages().stream().anyMatch(l -> l.contains("no close handshake")),
                    "the stop did not wait for an answer it could not read: " + log.messages());
        }
        // the stop ended the hold and read on: what the server had sent before the close reached the route
        assertEquals(200L, app.context().getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute("feed").getExchangesCompleted(), "every message sent before the close was processed");
    }

    @Test
    void everyOperationIsLoggedWithWhatWasAskedAndByWhomAsFarAsJmxTells() throws Exception {
        start("100ms");
        await().atMost(Duration.ofSeconds(30)).until(() -> "OPEN".equals(attribute("ConnectionState")));
        // a remote JMX connector that authenticates its clients, on the loopback interface only
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        RMIServerSocketFactory loopbackOnly = port -> new ServerSocket(port, 0, InetAddress.getLoopbackAddress());
        JMXAuthenticator authenticator = credentials -> {
            String[] userAndPassword = (String[]) credentials;
            if (!"operator".equals(userAndPassword[0]) || !"s3cret".equals(userAndPassword[1])) {
                throw new SecurityException("wrong credentials");
            }
            return new Subject(true, Set.of(new JMXPrincipal("operator")), Set.of(), Set.of());
        };
        JMXConnectorServer connectorServer = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi://127.0.0.1"),
                Map.of(JMXConnectorServer.AUTHENTICATOR, authenticator,
                        RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, loopbackOnly),
                jmx);
        connectorServer.start();
        try (LogCapture log = new LogCapture("io.wslistener.source.WsListenerConsumer");
                JMXConnector remote = JMXConnectorFactory.connect(connectorServer.getAddress(),
                        Map.of(JMXConnector.CREDENTIALS, new String[]{ "operator", "s3cret" }))) {
            MBeanServerConnection operator = remote.getMBeanServerConnection();
            operator.invoke(consumer, "pauseReading", null, null);
            operator.invoke(consumer, "resumeReading", null, null);
            jmx.invoke(consumer, "reconnectNow", null, null);

            String by = "requested by user 'operator' from 127.0.0.1 (JMX): ";
            assertTrue(log.contains("INFO", "Route 'feed': pauseReading " + by + "reading paused until resumeReading"),
                    String.join("\n", log.lines()));
            assertTrue(log.contains("INFO", "Route 'feed': resumeReading " + by), String.join("\n", log.lines()));
            await().atMost(Duration.ofSeconds(10)).until(() -> log.contains("INFO",
                    "Route 'feed': reconnectNow requested by a local caller (JMX): closing connection #1 with 1000,"
                            + " then connecting again"));
        } finally {
            connectorServer.stop();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> (Long) attribute("ConnectionNumber") == 2 && "OPEN".equals(attribute("ConnectionState")));
    }

    @Test
    void theShippedApplicationHasThemWithTheSwitchTheDocsShow() throws Exception {
        Main main = WsListenerApplication.createMain(new String[0]);
        // the shipped properties register the context's MBean only; docs/observability.md shows this switch for consumers
        main.addOverrideProperty("camel.main.jmxManagementMBeansLevel", "RoutesOnly");
        main.addOverrideProperty("wslistener.demo.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("camel.management.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("feed.dataDir", dataDir.toString());
        main.start();
        try {
            consumer = consumerOf("demo-feed", main.getCamelContext().getManagementName());
            await().atMost(Duration.ofSeconds(30)).until(() -> "OPEN".equals(attribute("ConnectionState")));
            await().atMost(Duration.ofSeconds(30)).until(() -> (Long) attribute("MessagesReceived") > 0);
        } finally {
            main.stop();
        }
    }

    private Object attribute(String name) throws Exception {
        return jmx.getAttribute(consumer, name);
    }

    private ObjectName consumerOf(String routeId, String context) throws Exception {
        Set<ObjectName> names = jmx.queryNames(new ObjectName("org.apache.camel:type=consumers,*"), null);
        for (ObjectName name : names) {
            if (routeId.equals(jmx.getAttribute(name, "RouteId"))
                    && name.getKeyProperty("context").equals(context)) {
                return name;
            }
        }
        throw new AssertionError("no consumer MBean of route " + routeId + " among " + names);
    }
}
