package io.wslistener.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;

/**
 * One candidate of the memory benchmark, in a JVM of its own: receives N messages from the blast server through a slow
 * sink ({@link SlowSink}, then the file sink), and prints a SAMPLE line every half second (delivered, heap, RSS) and a
 * RESULT line once all N are delivered (its time counts from the first message delivered, so start-up is left out).
 * Started by {@link MemoryBenchmark}, which also decides when a candidate that stopped making progress has failed.
 * <p>
 * Usage: {@code MemoryCandidate <ws-listener|camel-stock> <port> <messages> <outputDir> <sinkMicros>}
 */
public final class MemoryCandidate {

    static final long SAMPLE_MILLIS = 500;

    private MemoryCandidate() {
    }

    public static void main(String[] args) throws Exception {
        String candidate = args[0];
        int port = Integer.parseInt(args[1]);
        long messages = Long.parseLong(args[2]);
        Path dir = Path.of(args[3]);
        long sinkMicros = Long.parseLong(args[4]);
        Files.createDirectories(dir);

        ResourceSampler sampler = new ResourceSampler();
        AtomicLong delivered = new AtomicLong();
        AtomicLong firstAt = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        Processor counter = exchange -> {
            long n = delivered.incrementAndGet();
            if (n == 1) {
                firstAt.set(System.nanoTime());
            }
            if (n == messages) {
                all.countDown();
            }
        };
        String from = switch (candidate) {
            case "ws-listener" -> "ws-listener:127.0.0.1:" + port + "/";
            case "camel-stock" -> "vertx-websocket:127.0.0.1:" + port + "/?consumeAsClient=true";
            default -> throw new IllegalArgumentException("unknown candidate " + candidate);
        };
        String yaml = """
                - route:
                    from:
                      uri: "%s"
                      steps:
                        - process:
                            ref: slowSink
                        - to: "kamelet:ws-file-sink?directory=%s&fileName=out.jsonl"
                        - process:
                            ref: counter
                """.formatted(from, dir);

        long start = System.nanoTime();
        Thread sampling = new Thread(() -> sampleUntilInterrupted(sampler, delivered, start), "bench-sampler");
        sampling.setDaemon(true);
        sampling.start();
        CamelContext context = YamlRoutes.start(yaml, Map.of("slowSink", new SlowSink(sinkMicros), "counter", counter));
        all.await();
        long end = System.nanoTime();
        // a graceful stop flushes what the file sink still buffers
        context.close();
        sampling.interrupt();
        ResourceSampler.Sample last = sampler.sample();
        System.out.printf(Locale.ROOT,
                "RESULT delivered=%d seconds=%.3f peakHeapAfterGcMb=%d peakHeapUsedMb=%d rssPeakMb=%d collections=%d%n",
                delivered.get(), (end - firstAt.get()) / 1e9, sampler.peakAfterGcMb(), sampler.peakUsedMb(), last.rssPeakMb(),
                sampler.collections());
        System.exit(0);
    }

    private static void sampleUntilInterrupted(ResourceSampler sampler, AtomicLong delivered, long start) {
        while (!Thread.currentThread().isInterrupted()) {
            ResourceSampler.Sample s = sampler.sample();
            System.out.printf(Locale.ROOT,
                    "SAMPLE t=%.1f delivered=%d heapUsedMb=%d heapAfterGcMb=%d heapCommittedMb=%d rssMb=%d rssPeakMb=%d "
                    + "peakHeapAfterGcMb=%d%n",
                    (System.nanoTime() - start) / 1e9, delivered.get(), s.heapUsedMb(), s.heapAfterLastGcMb(),
                    s.heapCommittedMb(), s.rssMb(), s.rssPeakMb(), sampler.peakAfterGcMb());
            try {
                TimeUnit.MILLISECONDS.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
