package io.wslistener.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time per thread of another process, from {@code /proc/<pid>/task/<tid>/stat} (user + system, in clock ticks of
 * 10 ms), and the threads' full Java names from {@code jcmd <pid> Thread.print} (the kernel keeps only 15 characters,
 * which Camel's thread names share). Nothing is injected into the measured process.
 */
final class ThreadCpu {

    /** Clock ticks per second: USER_HZ, 100 on Linux. */
    private static final double TICKS_PER_SECOND = 100;
    private static final Pattern JAVA_THREAD = Pattern.compile("^\"(.*)\" .*? nid=(0x[0-9a-f]+|\\d+)");

    private ThreadCpu() {
    }

    /** CPU seconds per native thread id, now. Threads gone by the time they are read are left out. */
    static Map<Long, Double> sample(long pid) {
        Map<Long, Double> cpu = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // the name is in parentheses and may itself hold spaces or parentheses: the fields follow the last ')'
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    cpu.put(Long.parseLong(task.getFileName().toString()), ticks / TICKS_PER_SECOND);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            // the process ended
        }
        return cpu;
    }

    /** Java thread name per native thread id (empty when jcmd is not available). */
    static Map<Long, String> names(long pid) {
        Map<Long, String> names = new HashMap<>();
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            for (String line : new String(jcmd.getInputStream().readAllBytes()).split("\n")) {
                Matcher m = JAVA_THREAD.matcher(line);
                if (m.find()) {
                    String nid = m.group(2);
                    names.put(nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid), m.group(1));
                }
            }
            jcmd.waitFor();
        } catch (IOException e) {
            // no jcmd: the groups fall back to "other"
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return names;
    }

    /** The group a thread's CPU is reported under. */
    static String group(String name) {
        if (name == null) {
            return "other";
        }
        if (name.startsWith("vert.x-eventloop")) {
            return "event loop";
        }
        if (name.contains("WsListenerDelivery")) {
            return "delivery";
        }
        if (name.startsWith("vert.x-worker") || name.startsWith("vert.x-internal-blocking")) {
            // the stock consumer delivers on Vert.x workers (executeBlocking)
            return "delivery";
        }
        if (name.startsWith("kafka-producer-network-thread")) {
            // the Kafka producer's I/O thread: batches, sends and takes the confirmations
            return "kafka io";
        }
        if (name.startsWith("G1 ") || name.startsWith("GC ")) {
            return "GC";
        }
        if (name.startsWith("C1 ") || name.startsWith("C2 ")) {
            return "JIT";
        }
        return "other";
    }

    /** CPU seconds per group between two samples; "total" is the whole process. */
    static Map<String, Double> byGroup(Map<Long, Double> before, Map<Long, Double> after, Map<Long, String> names) {
        Map<String, Double> groups = new HashMap<>();
        after.forEach((tid, seconds) -> {
            double used = seconds - before.getOrDefault(tid, 0.0);
            groups.merge(group(names.get(tid)), used, Double::sum);
            groups.merge("total", used, Double::sum);
        });
        return groups;
    }
}
