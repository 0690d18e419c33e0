package io.wslistener.bench;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * One candidate of the throughput benchmark, run in a JVM of its own: receives N messages from the blast server,
 * writes them as lines to a file, and prints one result line. Started by {@link BenchmarkMain}.
 * <p>
 * Usage: {@code ThroughputCandidate <vertx-bare|camel-stock|ws-listener|ws-listener-direct> <port> <messages> <outputDir>}
 */
public final class ThroughputCandidate {

    private ThroughputCandidate() {
    }

    public static void main(String[] args) throws Exception {
        String candidate = args[0];
        int port = Integer.parseInt(args[1]);
        long messages = Long.parseLong(args[2]);
        Path outputDir = Path.of(args[3]);
        Files.createDirectories(outputDir);
        long[] startEnd = switch (candidate) {
            case "vertx-bare" -> bareVertx(port, messages, outputDir.resolve("out.jsonl"));
            case "camel-stock" -> camel(port, messages, outputDir, stockRoute(port, outputDir));
            case "ws-listener" -> camel(port, messages, outputDir, wsListenerRoute(port, outputDir,
                    System.getProperty("bench.sink", "kamelet:ws-file-sink?directory={dir}&fileName=out.jsonl")));
            // the same sink without the kamelet hop (which copies every exchange)
            case "ws-listener-direct" -> camel(port, messages, outputDir, wsListenerRoute(port, outputDir,
                    "sink-file:{dir}?fileName=out.jsonl"));
            default -> throw new IllegalArgumentException("unknown candidate " + candidate);
        };
        double seconds = (startEnd[1] - startEnd[0]) / 1e9;
        long received = startEnd.length > 2 ? startEnd[2] : messages;
        long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf(java.util.Locale.ROOT, "RESULT candidate=%s messages=%d seconds=%.3f rate=%.0f peakHeapMb=%d%n",
                candidate, received, seconds, received / seconds, peakHeap / (1024 * 1024));
        if (Boolean.getBoolean("bench.stay")) {
            // measured from outside (ShippedThroughput): stay until stopped, so that its threads can still be read
            Thread.sleep(Long.MAX_VALUE);
        }
        System.exit(0);
    }

    /** Where the CPU went: the busiest threads of this JVM (for the explanation in BENCHMARKS.md). */
    static void printThreadCpu() {
        if (!Boolean.getBoolean("bench.threadCpu")) {
            return;
        }
        var threads = ManagementFactory.getThreadMXBean();
        java.util.Arrays.stream(threads.getAllThreadIds()).mapToObj(id -> java.util.Map.entry(
                String.valueOf(threads.getThreadInfo(id) == null ? id : threads.getThreadInfo(id).getThreadName()),
                threads.getThreadCpuTime(id) / 1_000_000))
                .sorted(java.util.Map.Entry.<String, Long> comparingByValue().reversed()).limit(4)
                .forEach(e -> System.out.println("THREAD " + e.getKey() + " cpuMs=" + e.getValue()));
    }

    /** The practical limit: a bare Vert.x client appending lines to a buffered file on its event loop. */
    private static long[] bareVertx(int port, long messages, Path file) throws Exception {
        Vertx vertx = Vertx.vertx();
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 20)
                .setMaxFrameSize(1 << 20));
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        CountDownLatch done = new CountDownLatch(1);
        long[] startEnd = new long[2];
        AtomicLong count = new AtomicLong();
        client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/")).onSuccess(ws -> {
            ws.textMessageHandler(text -> {
                try {
                    if (count.get() == 0) {
                        startEnd[0] = System.nanoTime();
                    }
                    out.write(text.getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                    if (count.incrementAndGet() == messages) {
                        out.flush();
                        startEnd[1] = System.nanoTime();
                        done.countDown();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        });
        done.await(30, TimeUnit.MINUTES);
        printThreadCpu();
        out.close();
        return startEnd;
    }

    private static String stockRoute(int port, Path dir) {
        return """
                - route:
                    from:
                      uri: "vertx-websocket:127.0.0.1:%d/?consumeAsClient=true"
                      steps:
                        - to: "file:%s?fileName=out.jsonl&fileExist=Append&appendChars=\\\\n"
                        - process:
                            ref: benchCounter
                """.formatted(port, dir);
    }

    private static String wsListenerRoute(int port, Path dir, String sinkUri) {
        String sink = sinkUri.replace("{dir}", dir.toString());
        return """
                - route:
                    from:
                      uri: "ws-listener:127.0.0.1:%d/"
                      steps:
                        - to: "%s"
                        - process:
                            ref: benchCounter
                """.formatted(port, sink);
    }

    /**
     * Counts messages after the sink; records the time of the first and of the Nth (or of the last, when fewer arrive:
     * the stock consumer can miss messages that come right after the handshake, and must not hang the benchmark).
     */
    public static final class Counter implements org.apache.camel.Processor {
        private final long expected;
        private final CountDownLatch done = new CountDownLatch(1);
        private final AtomicLong count = new AtomicLong();
        private volatile long start;
        private volatile long end;

        Counter(long expected) {
            this.expected = expected;
        }

        @Override
        public void process(org.apache.camel.Exchange exchange) {
            long n = count.incrementAndGet();
            long now = System.nanoTime();
            if (n == 1) {
                start = now;
            }
            end = now;
            if (n == expected) {
                done.countDown();
            }
        }

        /** Waits for all N, or until nothing has arrived for {@code idleSeconds} after the first message. */
        void awaitAllOrIdle(long idleSeconds) throws InterruptedException {
            while (!done.await(1, TimeUnit.SECONDS)) {
                if (count.get() > 0 && System.nanoTime() - end > TimeUnit.SECONDS.toNanos(idleSeconds)) {
                    System.out.println("INCOMPLETE received=" + count.get() + " of " + expected);
                    return;
                }
            }
        }
    }

    private static long[] camel(int port, long messages, Path dir, String yaml) throws Exception {
        Counter counter = new Counter(messages);
        try (CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("benchCounter", counter);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                }
            });
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("bench.yaml", yaml));
            context.start();
            counter.awaitAllOrIdle(10);
            boolean complete = counter.count.get() == messages;
            printThreadCpu();
            // a graceful stop flushes what the sink still buffers: count it in the time (not the idle wait, if incomplete)
            context.stop();
            return new long[] { counter.start, complete ? Math.max(counter.end, System.nanoTime()) : counter.end,
                    counter.count.get() };
        }
    }
}
