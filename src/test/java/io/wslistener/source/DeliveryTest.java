package io.wslistener.source;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.http.HttpServer;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Order and completeness of what reaches the route.
 */
class DeliveryTest extends RouteTestSupport {

    @Test
    void messagesAlreadyReadWhenTheServerClosesAreDeliveredWhileReadingIsPaused() throws Exception {
        int total = 2000;
        AtomicInteger connections = new AtomicInteger();
        HttpServer server = serverVertx.createHttpServer().webSocketHandler(ws -> {
            if (connections.incrementAndGet() == 1) {
                for (int i = 1; i <= total; i++) {
                    ws.writeTextMessage(Integer.toString(i));
                }
                // a restart right after a burst: the close frame follows the data on the wire
                ws.close((short) 1001, "restarting");
            }
        });
        join(server.listen(0, "127.0.0.1"));
        policy.setMaxInFlight(10);
        policy.setInitialDelay(Duration.ofMillis(50));

        CountDownLatch gate = new CountDownLatch(1);
        List<Long> bodies = new CopyOnWriteArrayList<>();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + server.actualPort() + "/feed").routeId("feed").routePolicyRef("policy")
                        .process(exchange -> gate.await(10, TimeUnit.SECONDS))
                        .process(exchange -> bodies.add(Long.valueOf(exchange.getMessage().getBody(String.class))));
            }
        });
        WsListenerConsumer consumer = consumer("feed");
        await().atMost(5, TimeUnit.SECONDS).until(() -> consumer.getInFlight() == 10);
        gate.countDown();

        await().atMost(10, TimeUnit.SECONDS).until(() -> connections.get() >= 2);
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertEquals("", SequenceCheck.problems(bodies, total)));
    }
}
