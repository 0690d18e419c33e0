package io.wslistener.features;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.ConnectionState;
import io.wslistener.connection.FailureCause;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code urlProvider} (or a {@code serverUrls} expression, a handshake header provider) that never returns: each call
 * is bounded by {@code connectTimeout}, and the calls of one feed cannot take the threads every other feed needs to
 * reconnect. Vert.x's shared worker pool has 20 threads: four feeds whose provider hangs, retrying every 250 ms, would
 * fill it within seconds.
 */
class HungUserCodeTest extends FeatureTestSupport {

    private static final int HUNG_FEEDS = 4;

    @Test
    void providersThatHangHoldUpNoOtherFeed() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start()) {
            CountDownLatch never = new CountDownLatch(1);
            AtomicInteger hungCalls = new AtomicInteger();
            List<String> hungThreads = new CopyOnWriteArrayList<>();
            policy.setUrlProvider((routeId, url) -> {
                if (routeId.startsWith("hung-")) {
                    hungCalls.incrementAndGet();
                    hungThreads.add(Thread.currentThread().getName());
                    never.await(); // a REST call without a timeout
                }
                return url;
            });
            policy.setConnectTimeout(Duration.ofMillis(200));
            policy.setInitialDelay(Duration.ofMillis(50));
            policy.setMultiplier(1.0);
            policy.setJitter(0.0);
            Map<String, List<String>> failures = new ConcurrentHashMap<>();
            Map<String, List<FailureCause>> causes = new ConcurrentHashMap<>();
            yamlCamel.start(new RouteBuilder() {

                @Override
                public void configure() {
                    for (int i = 1; i <= HUNG_FEEDS; i++) {
                        from(server.listenerUri("/hung-" + i)).routeId("hung-" + i).routePolicyRef("policy")
                                .to("log:hung?level=OFF");
                    }
                    from(server.listenerUri("/healthy")).routeId("healthy").routePolicyRef("policy")
                            .autoStartup(false).to("log:healthy?level=OFF");
                }
            });
            try {
                for (int i = 1; i <= HUNG_FEEDS; i++) {
                    String routeId = "hung-" + i;
                    yamlCamel.consumer(routeId).getLoop().addListener(new ConnectionListener() {

                        @Override
                        public void onAttemptFailed(int attempt, FailureCause cause, String description) {
                            failures.computeIfAbsent(routeId, r -> new CopyOnWriteArrayList<>()).add(description);
                            causes.computeIfAbsent(routeId, r -> new CopyOnWriteArrayList<>()).add(cause);
                        }
                    });
                }
                // six failed attempts each: on a shared pool, more than its 20 threads would hang by now
                await().atMost(20, TimeUnit.SECONDS).until(() -> failures.size() == HUNG_FEEDS
                        && failures.values().stream().allMatch(f -> f.size() >= 6));

                yamlCamel.context().getRouteController().startRoute("healthy");
                await().atMost(10, TimeUnit.SECONDS)
                        .until(() -> server.counts("/healthy").accepted() == 1
                                && yamlCamel.consumer("healthy").getLoop().state() == ConnectionState.OPEN);

                for (List<String> descriptions : failures.values()) {
                    assertTrue(
                            descriptions.get(0).contains("the urlProvider bean did not return within connectTimeout"),
                            descriptions.toString());
                }
                assertEquals(List.of(FailureCause.TIMEOUT), causes.get("hung-1").subList(0, 1));
                assertTrue(hungCalls.get() <= 2 * HUNG_FEEDS, "at most two calls of each feed hang: " + hungCalls);
                assertTrue(hungThreads.stream().allMatch(t -> t.startsWith("wslistener-connect-hung-")),
                        "each feed's calls run on a pool of its own: " + hungThreads);
                assertEquals(0, server.counts("/hung-1").accepted(), "a hung provider connects nothing");
            } finally {
                never.countDown();
            }
        }
    }
}
