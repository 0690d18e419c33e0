package io.wslistener.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 4, memory under a slow sink: the blast server sends N messages as fast as the socket drains to a route whose
 * sink takes a fixed time per message ({@link SlowSink}, then the file sink). Each candidate runs in a JVM of its own
 * with the same -Xmx, which samples its heap and RSS ({@link MemoryCandidate}). A candidate that delivers nothing new
 * for {@code stallSeconds} is killed and reported as stalled.
 * <p>
 * Usage: {@code MemoryBenchmark <messages> <size> <sinkMicros> <runs> <xmx> <stallSeconds> [candidates...]}
 */
public final class MemoryBenchmark {

    private static final Pattern SAMPLE = Pattern.compile(
            "SAMPLE t=(\\S+) delivered=(\\d+) heapUsedMb=(\\d+) heapAfterGcMb=(\\d+) heapCommittedMb=(\\d+) rssMb=(-?\\d+) "
            + "rssPeakMb=(-?\\d+) peakHeapAfterGcMb=(\\d+)");
    private static final Pattern RESULT = Pattern.compile(
            "RESULT delivered=(\\d+) seconds=(\\S+) peakHeapAfterGcMb=(\\d+) peakHeapUsedMb=(\\d+) rssPeakMb=(-?\\d+)");
    private static final int SERIES_ROWS = 12;

    private MemoryBenchmark() {
    }

    record Sample(double seconds, long delivered, long heapUsedMb, long heapAfterGcMb, long rssMb) {
    }

    record Run(String outcome, boolean completed, long delivered, double seconds, long peakHeapAfterGcMb,
               long peakHeapUsedMb, long rssPeakMb, OutputCheck check, List<Sample> samples) {
    }

    public static void main(String[] args) throws Exception {
        long messages = Long.parseLong(args[0]);
        int size = Integer.parseInt(args[1]);
        long sinkMicros = Long.parseLong(args[2]);
        int runs = Integer.parseInt(args[3]);
        String xmx = args[4];
        int stallSeconds = Integer.parseInt(args[5]);
        List<String> candidates = args.length > 6 ? List.of(args).subList(6, args.length) : List.of("ws-listener", "camel-stock");

        Map<String, List<Run>> results = new LinkedHashMap<>();
        candidates.forEach(c -> results.put(c, new ArrayList<>()));
        try (BlastServer server = new BlastServer((int) messages, size)) {
            for (int round = 1; round <= runs; round++) {
                for (String candidate : candidates) {
                    Run run = runOnce(candidate, server.port(), messages, sinkMicros, xmx, stallSeconds);
                    results.get(candidate).add(run);
                    System.err.printf(Locale.ROOT, "memory round %d %-11s %s: delivered %,d (%.1f s from the first), heap after GC %d MB, "
                                                   + "heap used %d MB, RSS peak %d MB, file: %d lines, %s, %d reordered%n",
                            round, candidate, run.outcome, run.delivered, run.seconds, run.peakHeapAfterGcMb,
                            run.peakHeapUsedMb, run.rssPeakMb, run.check.lines(), run.check.describeMissing(), run.check.reorderings());
                }
            }
        }
        System.out.println(report(messages, size, sinkMicros, xmx, stallSeconds, results));
        System.exit(0);
    }

    private static Run runOnce(String candidate, int port, long messages, long sinkMicros, String xmx, int stallSeconds)
            throws Exception {
        Path dir = Files.createTempDirectory("ws-bench-memory-" + candidate);
        List<Sample> samples = new ArrayList<>();
        String result = null;
        String outcome = null;
        boolean outOfMemory = false;
        long lastDelivered = -1;
        long lastProgress = System.nanoTime();
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx" + xmx, "-XX:+UseG1GC"), MemoryCandidate.class,
                List.of(candidate, Integer.toString(port), Long.toString(messages), dir.toString(), Long.toString(sinkMicros)))) {
            while (true) {
                String line = child.nextLine(1, TimeUnit.SECONDS);
                if (ChildJvm.EOF.equals(line)) {
                    break;
                }
                if (line != null) {
                    Matcher sample = SAMPLE.matcher(line);
                    if (sample.find()) {
                        Sample s = new Sample(Double.parseDouble(sample.group(1)), Long.parseLong(sample.group(2)),
                                Long.parseLong(sample.group(3)), Long.parseLong(sample.group(4)), Long.parseLong(sample.group(6)));
                        samples.add(s);
                        if (s.delivered > lastDelivered) {
                            lastDelivered = s.delivered;
                            lastProgress = System.nanoTime();
                        }
                    } else if (line.startsWith("RESULT ")) {
                        result = line;
                    } else if (line.contains("OutOfMemoryError")) {
                        if (!outOfMemory) {
                            System.err.println("  " + candidate + ": " + line);
                        }
                        outOfMemory = true;
                    }
                }
                if (result == null && System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(stallSeconds)) {
                    outcome = "delivered nothing more for " + stallSeconds + " s, killed";
                    break;
                }
            }
            child.close();
            if (outcome == null && result == null) {
                outcome = "exited with code " + child.process().exitValue() + " before delivering all";
            }
        }
        if (outOfMemory) {
            outcome = "OutOfMemoryError, then " + outcome;
        }
        OutputCheck check = OutputCheck.of(dir, messages);
        BenchSupport.deleteTree(dir);
        Sample last = samples.isEmpty() ? new Sample(0, 0, 0, 0, 0) : samples.get(samples.size() - 1);
        long peakUsed = samples.stream().mapToLong(Sample::heapUsedMb).max().orElse(0);
        long peakAfterGc = samples.stream().mapToLong(Sample::heapAfterGcMb).max().orElse(0);
        long rssPeak = samples.stream().mapToLong(Sample::rssMb).max().orElse(0);
        if (result != null) {
            Matcher m = RESULT.matcher(result);
            if (!m.find()) {
                throw new IllegalStateException("unreadable result: " + result);
            }
            return new Run("completed", true, Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
                    Long.parseLong(m.group(3)), Math.max(peakUsed, Long.parseLong(m.group(4))), Long.parseLong(m.group(5)),
                    check, samples);
        }
        // no RESULT line: no time per message to report
        return new Run(outcome, false, last.delivered, Double.NaN, peakAfterGc, peakUsed, rssPeak, check, samples);
    }

    static String report(long messages, int size, long sinkMicros, String xmx, int stallSeconds, Map<String, List<Run>> results) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%nMemory under a slow sink: %,d messages of %d bytes, sink %,d µs per message "
                                             + "(one at a time), each consumer in its own JVM with -Xmx%s -XX:+UseG1GC, "
                                             + "%d run(s) each; a run that delivers nothing for %d s is killed.%n%n",
                messages, size, sinkMicros, xmx, results.values().iterator().next().size(), stallSeconds));
        md.append("| consumer | outcome | delivered | file check | peak heap after GC, MB | peak heap used, MB (sampled) "
                  + "| peak RSS, MB (VmHWM) | time from first to last message, s | µs per message |\n");
        md.append("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
        results.forEach((candidate, runs) -> {
            List<String> outcomes = runs.stream().map(Run::outcome).distinct().toList();
            long perfect = runs.stream().filter(r -> r.check.perfect(messages)).count();
            String check = perfect == runs.size() ? "every run complete, in order"
                    : String.join("; ", runs.stream().map(r -> String.format(Locale.ROOT, "%,d lines, %s, %,d reordered",
                            r.check.lines(), r.check.describeMissing(), r.check.reorderings())).toList());
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", candidate,
                    String.join("; ", outcomes),
                    Stats.summary(values(runs, r -> (double) r.delivered), "%,.0f"), check,
                    Stats.summary(values(runs, r -> (double) r.peakHeapAfterGcMb), "%.0f"),
                    Stats.summary(values(runs, r -> (double) r.peakHeapUsedMb), "%.0f"),
                    Stats.summary(values(runs, r -> (double) r.rssPeakMb), "%.0f"),
                    Stats.summary(values(runs, Run::seconds), "%.1f"),
                    Stats.summary(values(runs, r -> r.seconds * 1e6 / r.delivered), "%.0f")));
        });
        results.forEach((candidate, runs) -> {
            md.append(String.format(Locale.ROOT, "%nOver time, %s, run 1 (%s):%n%n", candidate, runs.get(0).outcome));
            md.append("| t, s | delivered | heap used, MB | heap after last GC, MB | RSS, MB |\n");
            md.append("| ---: | ---: | ---: | ---: | ---: |\n");
            List<Sample> samples = runs.get(0).samples;
            int step = Math.max(1, (samples.size() + SERIES_ROWS - 1) / SERIES_ROWS);
            for (int i = 0; i < samples.size(); i += step) {
                appendSample(md, samples.get(i));
            }
            if (!samples.isEmpty() && (samples.size() - 1) % step != 0) {
                appendSample(md, samples.get(samples.size() - 1));
            }
        });
        return md.toString();
    }

    private static void appendSample(StringBuilder md, Sample s) {
        md.append(String.format(Locale.ROOT, "| %.1f | %,d | %d | %d | %d |%n", s.seconds, s.delivered, s.heapUsedMb,
                s.heapAfterGcMb, s.rssMb));
    }

    private static List<Double> values(List<Run> runs, java.util.function.ToDoubleFunction<Run> value) {
        return runs.stream().map(r -> value.applyAsDouble(r)).filter(d -> !d.isNaN()).toList();
    }
}
