package io.wslistener.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Scenario 5, start-up: from starting {@code java -jar target/ws-listener.jar} (the shipped application with its demo
 * feed, in a temporary folder holding copies of {@code application.properties} and {@code routes/}) to the first
 * message written by the file sink. For context, in the same rounds: {@code java -version} (JVM start to exit) and a
 * bare camel-main that writes a line to a file once started ({@link BareCamelMainStart}).
 * <p>
 * The copies get a few lines appended: the demo rate (so the first quote follows the connect at once) and free ports
 * for the demo feed and the management server (so a run never collides with another process on the machine).
 * <p>
 * Usage: {@code StartupBenchmark <runs> [jar=target/ws-listener.jar] [demoRate=1000]}
 */
public final class StartupBenchmark {

    private static final Pattern CAMEL_STARTED = Pattern.compile("\\) started in (\\S+)");
    private static final long TIMEOUT_SECONDS = 60;

    private StartupBenchmark() {
    }

    /** One start: milliseconds to the first message written (or to exit), and Camel's own "started in" if it said. */
    record Start(double millis, String camelStartedIn) {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Path jar = Path.of(args.length > 1 ? args[1] : "target/ws-listener.jar").toAbsolutePath();
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Path project = jar.getParent().getParent();
        Map<String, List<Start>> results = new LinkedHashMap<>();
        for (String what : List.of("java -version", "bare camel-main", "ws-listener")) {
            results.put(what, new ArrayList<>());
        }
        for (int round = 1; round <= runs; round++) {
            results.get("java -version").add(javaVersion());
            results.get("bare camel-main").add(bareCamelMain(project));
            results.get("ws-listener").add(wsListener(jar, project, rate));
            int r = round;
            results.forEach((what, list) -> System.err.printf(Locale.ROOT, "startup round %d %-15s %6.0f ms%s%n", r, what,
                    list.get(r - 1).millis, list.get(r - 1).camelStartedIn == null ? ""
                            : " (Camel: started in " + list.get(r - 1).camelStartedIn + ")"));
        }
        System.out.println(table(results, rate));
        System.exit(0);
    }

    private static Start javaVersion() throws Exception {
        long start = System.nanoTime();
        try (ChildJvm child = ChildJvm.exec(List.of(ChildJvm.javaExecutable(), "-version"), null)) {
            child.process().waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new Start((System.nanoTime() - start) / 1e6, null);
        }
    }

    private static Start bareCamelMain(Path project) throws Exception {
        Path dir = Files.createTempDirectory("ws-bench-startup-bare");
        Path out = dir.resolve("out");
        String classpath = project.resolve("bench/target/classes") + java.io.File.pathSeparator
                           + project.resolve("target/lib") + java.io.File.separator + "*";
        List<String> command = List.of(ChildJvm.javaExecutable(), "-cp", classpath, BareCamelMainStart.class.getName(),
                out.toString());
        try {
            return timeToFirstLine(command, dir, out);
        } finally {
            BenchSupport.deleteTree(dir);
        }
    }

    private static Start wsListener(Path jar, Path project, int rate) throws Exception {
        Path dir = Files.createTempDirectory("ws-bench-startup");
        Files.copy(project.resolve("application.properties"), dir.resolve("application.properties"));
        Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> routes = Files.list(project.resolve("routes"))) {
            for (Path route : routes.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(route, dir.resolve("routes").resolve(route.getFileName()));
            }
        }
        Files.writeString(dir.resolve("application.properties"), String.format(Locale.ROOT, """

                # --- start-up benchmark: a fast demo feed, free ports
                wslistener.demo.rate = %d
                wslistener.demo.port = %d
                camel.management.port = %d
                """, rate, ShippedThroughput.freePort(), ShippedThroughput.freePort()), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try {
            return timeToFirstLine(List.of(ChildJvm.javaExecutable(), "-jar", jar.toString()), dir, dir.resolve("data"));
        } finally {
            BenchSupport.deleteTree(dir);
        }
    }

    /** Starts the command and waits for a complete line in any file under {@code output}; then stops it. */
    private static Start timeToFirstLine(List<String> command, Path workingDir, Path output) throws Exception {
        long start = System.nanoTime();
        try (ChildJvm child = ChildJvm.exec(command, workingDir)) {
            long deadline = start + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!hasLine(output)) {
                if (!child.process().isAlive() || System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(command + " wrote nothing under " + output + ": " + drain(child));
                }
                Thread.sleep(1);
            }
            double millis = (System.nanoTime() - start) / 1e6;
            child.stop(30, TimeUnit.SECONDS);
            String startedIn = null;
            for (String line : drain(child)) {
                Matcher m = CAMEL_STARTED.matcher(line);
                if (m.find() && startedIn == null) {
                    startedIn = m.group(1);
                }
            }
            return new Start(millis, startedIn);
        }
    }

    private static boolean hasLine(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                for (byte b : bytes) {
                    if (b == '\n') {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<String> drain(ChildJvm child) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = child.nextLine(5, TimeUnit.SECONDS)) != null && !ChildJvm.EOF.equals(line)) {
            lines.add(line);
        }
        return lines;
    }


    static String table(Map<String, List<Start>> results, int rate) {
        List<Start> bare = results.get("bare camel-main");
        List<Start> ours = results.get("ws-listener");
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            ratios.add(ours.get(i).millis / bare.get(i).millis);
        }
        double median = Stats.median(ours.stream().map(Start::millis).toList());
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%nStart-up: %d run(s), in rounds of the three; demo feed at %d messages/s. "
                                             + "Times in ms from starting the process.%n%n", ours.size(), rate));
        md.append("| process | measured until | time, ms | Camel's own \"started in\" (median run) | ratio to bare camel-main |\n");
        md.append("| --- | --- | ---: | ---: | ---: |\n");
        row(md, "`java -version`", "the process exits", results.get("java -version"), "-");
        row(md, "bare camel-main (no routes; once started, Camel's `file:` producer writes a line)", "the first line is in the file", bare, "1.00");
        row(md, "`java -jar target/ws-listener.jar` (shipped routes, demo feed)",
                "the first message is in `data/feed-<date>.jsonl`", ours, Stats.summary(ratios, "%.2f"));
        md.append(String.format(Locale.ROOT, "%nTarget: under 3,000 ms to the first message: %s (median %,.0f ms, slowest %,.0f ms).%n",
                Stats.max(ours.stream().map(Start::millis).toList()) < 3000 ? "met in every run"
                        : median < 3000 ? "met by the median, not by every run" : "missed",
                median, Stats.max(ours.stream().map(Start::millis).toList())));
        return md.toString();
    }

    private static void row(StringBuilder md, String what, String until, List<Start> starts, String ratio) {
        List<Start> sorted = starts.stream().sorted((a, b) -> Double.compare(a.millis, b.millis)).toList();
        String camel = sorted.get(sorted.size() / 2).camelStartedIn;
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", what, until,
                Stats.summary(starts.stream().map(Start::millis).toList(), "%,.0f"), camel == null ? "-" : camel, ratio));
    }
}
