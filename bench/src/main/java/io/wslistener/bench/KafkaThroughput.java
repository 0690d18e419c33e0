package io.wslistener.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.wslistener.testsupport.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Throughput of the Kafka sink as shipped: {@code java -jar target/ws-listener.jar} with the shipped properties and the
 * README-style route {@code ws-listener:} -> {@code kamelet:ws-kafka-sink?topic=...&brokers=...} (and
 * {@code sink-kafka:} directly), beside a bare KafkaProducer with the same settings, message size and partitions, and
 * the file sink, all in the same rounds against the same local broker (a KRaft broker, the test suite's
 * {@code KafkaBroker}, in this JVM) and the same blast server.
 * <p>
 * The clock of a Kafka candidate runs from the first record in its topic to the last (the topic's end offset is polled
 * every 2 ms from here; nothing is added to the measured process); the file sink's as in {@link ShippedThroughput}.
 * CPU per thread of the measured process comes from /proc between the same two moments. Afterwards every record is
 * read back and checked for completeness and order, and the shipped jar's meters are scraped.
 * <p>
 * Usage: {@code KafkaThroughput <repoDir> <messages> <size> <runs> <partitions> [candidates...]}
 */
public final class KafkaThroughput {

    private static final Duration FIRST_RECORD_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

    enum Candidate {
        KAFKA_BARE("bare KafkaProducer (acks=all, idempotent)", null),
        KAMELET_KAFKA("ws-listener kamelet:ws-kafka-sink", "kamelet:ws-kafka-sink?topic=%s&brokers=%s"),
        SINK_KAFKA("ws-listener sink-kafka:", "sink-kafka:%s?brokers=%s"),
        /** The record headers switched off: what the ws-listener headers cost. */
        KAMELET_KAFKA_NO_HEADERS("ws-listener kamelet:ws-kafka-sink, recordHeaders=false",
                "kamelet:ws-kafka-sink?topic=%s&brokers=%s&recordHeaders=false"),
        KAMELET_KAFKA_KEY("ws-listener kamelet:ws-kafka-sink, key=${jsonpath($.seq)}",
                "kamelet:ws-kafka-sink?topic=%s&brokers=%s&key=${jsonpath($.seq)}"),
        KAMELET_FILE("ws-listener kamelet:ws-file-sink", null);

        final String label;
        final String sink;

        Candidate(String label, String sink) {
            this.label = label;
            this.sink = sink;
        }
    }

    record Run(double rate, Map<String, Double> cpuMicrosPerMessage, Long written, OutputCheck check, String note) {
    }

    private KafkaThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]).toAbsolutePath();
        long messages = Long.parseLong(args[1]);
        int size = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        int partitions = Integer.parseInt(args[4]);
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            candidates.add(Candidate.valueOf(args[i].toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        if (candidates.isEmpty()) {
            candidates.addAll(List.of(Candidate.KAFKA_BARE, Candidate.KAMELET_KAFKA, Candidate.SINK_KAFKA,
                    Candidate.KAMELET_FILE));
        }
        Map<Candidate, List<Run>> results = new LinkedHashMap<>();
        candidates.forEach(c -> results.put(c, new ArrayList<>()));
        Path brokerDir = Files.createTempDirectory("ws-bench-kafka-");
        try (KafkaBroker broker = KafkaBroker.start(brokerDir); BlastServer server = new BlastServer((int) messages,
                size)) {
            for (int round = 1; round <= runs; round++) {
                for (Candidate candidate : candidates) {
                    Run run;
                    if (candidate == Candidate.KAMELET_FILE) {
                        ShippedThroughput.Run file = ShippedThroughput.run(repo, ShippedThroughput.Candidate.KAMELET,
                                server.port(), messages, size);
                        run = new Run(file.rate(), file.cpuMicrosPerMessage(), file.written(), file.check(),
                                file.note());
                    } else {
                        String topic = "bench-" + round + "-" + candidate.name().toLowerCase(Locale.ROOT);
                        broker.createTopic(topic, partitions, Map.of());
                        run = run(repo, candidate, broker, topic, server.port(), messages, size);
                    }
                    results.get(candidate).add(run);
                    System.err.printf(Locale.ROOT, "round %d %-58s %,10.0f msg/s  cpu µs/msg %s  written %s  %s %s%n",
                            round, candidate.label, run.rate, run.cpuMicrosPerMessage, run.written,
                            run.check.perfect(messages) ? "complete, in order"
                                    : run.check.describeMissing() + ", " + run.check.reorderings() + " reordered",
                            run.note);
                }
            }
        } finally {
            BenchSupport.deleteTree(brokerDir);
        }
        System.out.println(table(messages, size, partitions, results));
    }

    static Run run(Path repo, Candidate candidate, KafkaBroker broker, String topic, int port, long messages,
                   int size) throws Exception {
        Path work = Files.createTempDirectory("ws-bench-");
        int managementPort = ShippedThroughput.freePort();
        List<String> command = ShippedThroughput.javaCommand(candidate.name());
        if (candidate == Candidate.KAFKA_BARE) {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BareKafkaProducer.class.getName(),
                    broker.bootstrapServers(), topic, Long.toString(messages), Integer.toString(size)));
        } else {
            Files.copy(repo.resolve("application.properties"), work.resolve("application.properties"));
            Files.createDirectories(work.resolve("routes"));
            Files.writeString(work.resolve("routes/bench.yaml"), """
                    - route:
                        id: bench
                        from:
                          uri: "ws-listener:127.0.0.1:%d/"
                          steps:
                            - to: "%s"
                    """.formatted(port, candidate.sink.formatted(topic, broker.bootstrapServers())));
            command.addAll(List.of("-Dwslistener.demo.enabled=false", "-Dcamel.management.port=" + managementPort,
                    "-jar", repo.resolve("target/ws-listener.jar").toString()));
        }
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("console.log").toFile()).start();
        try (KafkaConsumer<byte[], byte[]> offsets = consumer(broker)) {
            List<TopicPartition> partitions = offsets.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            long start = waitForFirstRecord(offsets, partitions, process);
            Map<Long, Double> cpuBefore = ThreadCpu.sample(process.pid());
            long[] end = waitForCount(offsets, partitions, messages, process);
            Map<Long, Double> cpuAfter = ThreadCpu.sample(process.pid());
            Map<Long, String> names = ThreadCpu.names(process.pid());
            String note = end[1] < messages ? "INCOMPLETE: " + end[1] + " of " + messages + " when it went idle" : "";
            double seconds = (end[0] - start) / 1e9;
            Map<String, Double> cpu = new LinkedHashMap<>();
            ThreadCpu.byGroup(cpuBefore, cpuAfter, names).forEach((group, s) -> cpu.put(group, s * 1e6 / end[1]));
            Long written = null;
            if (candidate != Candidate.KAFKA_BARE) {
                written = ShippedThroughput.sum(ShippedThroughput.scrape(managementPort),
                        "wslistener_sink_written_total");
            }
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
            OutputCheck check = check(broker, topic, messages);
            BenchSupport.deleteTree(work);
            return new Run(end[1] / seconds, cpu, written, check, note);
        } catch (RuntimeException e) {
            throw new IllegalStateException(candidate.label + " failed; its console: " + work.resolve("console.log"),
                    e);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaBroker broker) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        return new KafkaConsumer<>(properties);
    }

    private static long count(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
        return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream().mapToLong(Long::longValue)
                .sum();
    }

    /** When the topic first has a record (System.nanoTime). */
    private static long waitForFirstRecord(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions,
                                           Process process) throws Exception {
        long deadline = System.nanoTime() + FIRST_RECORD_TIMEOUT.toNanos();
        while (count(consumer, partitions) == 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the candidate exited (" + process.exitValue() + ") before sending");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nothing in Kafka within " + FIRST_RECORD_TIMEOUT);
            }
            Thread.sleep(2);
        }
        return System.nanoTime();
    }

    /** When the topic reached the count, or last grew before it went idle; and its count then. */
    private static long[] waitForCount(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions, long expected,
                                       Process process) throws Exception {
        long last = count(consumer, partitions);
        long lastGrowth = System.nanoTime();
        while (last < expected) {
            Thread.sleep(2);
            long now = System.nanoTime();
            long current = count(consumer, partitions);
            if (current != last) {
                last = current;
                lastGrowth = now;
            } else if (now - lastGrowth > IDLE_TIMEOUT.toNanos() || !process.isAlive()) {
                break;
            }
        }
        return new long[]{ lastGrowth, last };
    }

    /** Every record read back, partition by partition: complete and in order (one partition: in arrival order). */
    private static OutputCheck check(KafkaBroker broker, String topic, long messages) {
        OutputCheck.Lines lines = new OutputCheck.Lines(messages);
        broker.forEachRecord(topic, Duration.ofMinutes(5),
                record -> lines.add(new String(record.value(), StandardCharsets.UTF_8)));
        return lines.check();
    }

    static String table(long messages, int size, int partitions, Map<Candidate, List<Run>> results) {
        List<Run> bare = results.get(Candidate.KAFKA_BARE);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%n%,d messages of %d bytes, %d partition(s), %d round(s)%n%n", messages,
                size, partitions, results.values().iterator().next().size()));
        md.append("| candidate | msg/s | ratio to the bare producer | CPU µs/msg: whole process | delivery | event loop"
                + " | Kafka I/O thread | meters: written | output |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
        results.forEach((candidate, runs) -> {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; bare != null && i < runs.size(); i++) {
                ratios.add(runs.get(i).rate() / bare.get(i).rate());
            }
            long complete = runs.stream().filter(r -> r.check().perfect(messages)).count();
            md.append("| ").append(candidate.label)
                    .append(" | ").append(Stats.summary(runs.stream().map(Run::rate).toList(), "%,.0f"))
                    .append(" | ").append(Stats.summary(ratios, "%.2f"))
                    .append(" | ").append(cpu(runs, "total"))
                    .append(" | ").append(cpu(runs, "delivery"))
                    .append(" | ").append(cpu(runs, "event loop"))
                    .append(" | ").append(cpu(runs, "kafka io"))
                    .append(" | ").append(runs.get(0).written() == null ? "-"
                            : runs.stream().allMatch(r -> Long.valueOf(messages).equals(r.written()))
                                    ? "every message, every run" : runs.stream().map(Run::written).toList().toString())
                    .append(" | ").append(complete == runs.size() ? "complete, in order"
                            : (runs.size() - complete) + " of " + runs.size() + " incomplete or reordered")
                    .append(" |\n");
        });
        return md.toString();
    }

    private static String cpu(List<Run> runs, String group) {
        return Stats.summary(runs.stream().map(r -> r.cpuMicrosPerMessage().getOrDefault(group, 0.0)).toList(),
                "%.2f");
    }
}
