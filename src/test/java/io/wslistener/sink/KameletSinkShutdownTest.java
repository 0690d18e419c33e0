package io.wslistener.sink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A feed's sink kamelet outlives the feed's in-flight messages when the context stops: the message still on its way
 * when the stop begins reaches the sink, and Camel never has to force the stop. (A regression guard for the stop order;
 * the kamelet route is marked ShutdownRoute.Defer by StopBudget. It does not reproduce the 2-in-13 SIGTERM race seen
 * with the ws-listener consumer: it passes with and without the Defer.)
 */
class KameletSinkShutdownTest {

    @TempDir
    Path dir;

    @Test
    void aMessageStillOnItsWayWhenTheStopBeginsReachesTheKameletSink() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Processor slowStep = exchange -> {
            held.countDown();
            release.await(30, TimeUnit.SECONDS);
        };
        CamelContext context = YamlCamel.create().property("dir", dir).bean("slowStep", slowStep)
                .configure(c -> c.getShutdownStrategy().setTimeout(15)).start("""
                        - route:
                            id: feed
                            from:
                              uri: direct:in
                              steps:
                                - process:
                                    ref: slowStep
                                - to: "kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl"
                        """);
        Route sinkRoute = context.getRoutes().stream().filter(Route::isCreatedByKamelet).findFirst().orElseThrow();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> sent = threads.submit(() -> context.createProducerTemplate().sendBody("direct:in", "{\"n\":1}"));
            held.await(10, TimeUnit.SECONDS);
            try (LogCapture shutdown = new LogCapture("org.apache.camel.impl.engine.DefaultShutdownStrategy")) {
                Future<?> stopped = threads.submit(context::stop);
                // the stop has gone past suspending consumers and waits for the feed's in-flight message
                await().atMost(Duration.ofSeconds(10)).until(() -> shutdown.contains("INFO", "inflight"));
                assertFalse(ServiceHelper.isSuspended(sinkRoute.getConsumer()), "the sink must still take messages");
                release.countDown();
                sent.get(20, TimeUnit.SECONDS);
                stopped.get(20, TimeUnit.SECONDS);
            }
        } finally {
            release.countDown();
            threads.shutdownNow();
        }

        assertEquals(List.of("{\"n\":1}"), SinkFiles.lines(dir.resolve("feed.jsonl")));
        assertFalse(context.getShutdownStrategy().hasTimeoutOccurred());
    }
}
