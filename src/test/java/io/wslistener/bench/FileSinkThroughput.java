package io.wslistener.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Throughput of the file sink: pushes 100-byte JSON messages through a direct route into the {@code ws-file-sink}
 * kamelet (and, for comparison, into {@code sink-file:} directly and into the stock {@code file:} producer with
 * {@code fileExist=Append}) and prints messages per second. Not a test: run it by hand, see docs/sinks.md.
 * <p>
 * Arguments: [messages, default 1000000] [folder, default target/bench]
 */
public final class FileSinkThroughput {

    private FileSinkThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Path.of(args.length > 1 ? args[1] : "target/bench");
        clean(dir);
        String message = hundredBytes();

        CamelContext context = new DefaultCamelContext();
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("bench.yaml", """
                - route:
                    from:
                      uri: direct:kamelet
                      steps:
                        - to: "kamelet:ws-file-sink?directory=%1$s&fileName=kamelet.jsonl"
                - route:
                    from:
                      uri: direct:component
                      steps:
                        - to: "sink-file:%1$s?fileName=component.jsonl"
                - route:
                    from:
                      uri: direct:stock
                      steps:
                        - to: "file:%1$s?fileName=stock.jsonl&fileExist=Append&appendChars=\\\\n"
                """.formatted(dir)));
        context.start();
        ProducerTemplate template = context.createProducerTemplate();

        // warm up the JIT on both sink paths, then measure
        run(template, "direct:kamelet", message, 200_000);
        run(template, "direct:component", message, 200_000);
        report("ws-file-sink kamelet", count, run(template, "direct:kamelet", message, count));
        report("sink-file component ", count, run(template, "direct:component", message, count));
        int stockCount = Math.min(count, 50_000);
        report("stock file: Append  ", stockCount, run(template, "direct:stock", message, stockCount));
        context.stop();
    }

    private static long run(ProducerTemplate template, String uri, String message, int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            template.sendBody(uri, message);
        }
        return System.nanoTime() - start;
    }

    private static void report(String what, int count, long nanos) {
        System.out.printf(Locale.ROOT, "%s: %,d messages of 100 bytes in %,d ms = %,.0f msg/s%n", what, count,
                nanos / 1_000_000, count / (nanos / 1e9));
    }

    /** A JSON message of exactly 100 bytes. */
    private static String hundredBytes() {
        String head = "{\"seq\":123456,\"symbol\":\"BTC-USD\",\"bid\":64123.45,\"ask\":64123.55,\"pad\":\"";
        String tail = "\"}";
        return head + "x".repeat(100 - head.length() - tail.length()) + tail;
    }

    private static void clean(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }
}
