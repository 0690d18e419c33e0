package io.wslistener.metrics;

import java.util.concurrent.TimeUnit;

import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server that closes every connection with another code cannot grow the registry: the disconnect meter keeps its
 * own series for the standard codes and the ones the route stops on, and one per range for the rest.
 */
class CloseCodeSeriesTest {

    private final TestWebSocketServer server = new TestWebSocketServer();
    private ObservedMain app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        server.close();
    }

    @Test
    void closeCodesOutsideTheRegisteredOnesShareASeriesPerRange() throws Exception {
        server.start();
        app = new ObservedMain(AvailablePortFinder.getNextAvailable())
                .property("wslistener.initialDelay", "10ms").property("wslistener.maxDelay", "20ms")
                .property("wslistener.stopOnCloseCodes", "4401")
                .routes(new RouteBuilder() {

                    @Override
                    public void configure() {
                        from("ws-listener:127.0.0.1:" + server.port() + "/feed").routeId("feed")
                                .to("log:feed?level=OFF");
                    }
                }).start();
        int[] codes = { 1001, 1011, 4000, 4001, 4002, 4003, 4100, 4200, 4300, 4999, 3000, 3001, 3500, 3999 };
        for (int code : codes) {
            await().atMost(10, TimeUnit.SECONDS).until(() -> server.openSockets() == 1);
            server.closeAll((short) code, "bye").get(5, TimeUnit.SECONDS);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.openSockets() == 1);

        String scrape = app.client().scrape();
        long series = scrape.lines().filter(l -> l.startsWith("wslistener_disconnects_total{")).count();
        assertEquals(4, series, "1001, 1011, 3xxx and 4xxx: " + scrape);
        assertEquals(8.0,
                ManagementClient.sample(scrape, "wslistener_disconnects_total", "closeCode=\"4xxx\"").orElse(-1));
        assertEquals(4.0,
                ManagementClient.sample(scrape, "wslistener_disconnects_total", "closeCode=\"3xxx\"").orElse(-1));
        assertEquals(1.0,
                ManagementClient.sample(scrape, "wslistener_disconnects_total", "closeCode=\"1011\"").orElse(-1));
    }
}
