package io.wslistener.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput benchmark: the same blast server feeds each candidate in a fresh JVM, round after round, so that every
 * candidate is compared with the bare Vert.x client of the same round. Prints a Markdown table for BENCHMARKS.md.
 * <p>
 * Usage: {@code BenchmarkMain <messages> <size> <runs> [candidates...]}
 */
public final class BenchmarkMain {

    private static final Pattern RESULT = Pattern.compile("RESULT candidate=(\\S+) messages=(\\d+) seconds=(\\S+) rate=(\\d+) peakHeapMb=(\\d+)");

    private BenchmarkMain() {
    }

    record Run(double rate, long peakHeapMb, OutputCheck check) {
    }

    public static void main(String[] args) throws Exception {
        long messages = Long.parseLong(args[0]);
        int size = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        List<String> candidates = args.length > 3 ? List.of(args).subList(3, args.length)
                : List.of("vertx-bare", "ws-listener", "ws-listener-direct", "camel-stock");
        Map<String, List<Run>> results = new LinkedHashMap<>();
        candidates.forEach(c -> results.put(c, new ArrayList<>()));
        try (BlastServer server = new BlastServer((int) messages, size)) {
            for (int round = 1; round <= runs; round++) {
                for (String candidate : candidates) {
                    Run run = runCandidate(candidate, server.port(), messages);
                    results.get(candidate).add(run);
                    System.err.printf(Locale.ROOT, "round %d %-12s %,10.0f msg/s  heap %4d MB  lines=%d missing=%d reordered=%d%n",
                            round, candidate, run.rate, run.peakHeapMb, run.check.lines(), run.check.missing(),
                            run.check.reorderings());
                }
            }
        }
        System.out.println(table(messages, size, results));
    }

    private static Run runCandidate(String candidate, int port, long messages) throws Exception {
        Path dir = Files.createTempDirectory("ws-bench-" + candidate);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path")));
        String childArgs = System.getProperty("bench.childArgs");
        if (childArgs != null && !childArgs.isBlank()) {
            command.addAll(List.of(childArgs.trim().split("\\s+")));
        }
        String sink = System.getProperty("bench.sink");
        if (sink != null) {
            command.add("-Dbench.sink=" + sink);
        }
        command.addAll(List.of(ThroughputCandidate.class.getName(), candidate, Integer.toString(port),
                Long.toString(messages), dir.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                } else if (line.startsWith("THREAD ") || line.startsWith("INCOMPLETE ")) {
                    System.err.println("  " + candidate + " " + line);
                }
            }
        }
        int exit = process.waitFor();
        if (result == null) {
            throw new IllegalStateException(candidate + " printed no result (exit " + exit + ")");
        }
        Matcher m = RESULT.matcher(result);
        if (!m.find()) {
            throw new IllegalStateException("unreadable result: " + result);
        }
        OutputCheck check = OutputCheck.of(dir, messages);
        deleteTree(dir);
        return new Run(Double.parseDouble(m.group(4)), Long.parseLong(m.group(5)), check);
    }

    static String table(long messages, int size, Map<String, List<Run>> results) {
        List<Run> baseline = results.get("vertx-bare");
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%n%,d messages of %d bytes, %d runs each%n%n", messages, size,
                results.values().iterator().next().size()));
        md.append("| candidate | msg/s median | min - max | ratio to bare Vert.x (median, min - max) | peak heap MB (max) | output check |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | --- |\n");
        for (Map.Entry<String, List<Run>> entry : results.entrySet()) {
            List<Run> runs = entry.getValue();
            List<Double> rates = runs.stream().map(Run::rate).sorted().toList();
            List<Double> ratios = new ArrayList<>();
            if (baseline != null) {
                for (int i = 0; i < runs.size(); i++) {
                    ratios.add(runs.get(i).rate / baseline.get(i).rate);
                }
                ratios.sort(Comparator.naturalOrder());
            }
            long heap = runs.stream().mapToLong(Run::peakHeapMb).max().orElse(0);
            long bad = runs.stream().filter(r -> !r.check.perfect(messages)).count();
            String check = bad == 0 ? "all complete, in order"
                    : bad + " run(s) with missing/reordered lines: " + runs.stream().map(r -> r.check.missing() + "/" + r.check.reorderings()).toList();
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f - %,.0f | %s | %d | %s |%n", entry.getKey(),
                    median(rates), rates.get(0), rates.get(rates.size() - 1),
                    ratios.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f (%.2f - %.2f)", median(ratios), ratios.get(0),
                            ratios.get(ratios.size() - 1)),
                    heap, check));
        }
        return md.toString();
    }

    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
