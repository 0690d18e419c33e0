package io.wslistener.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), in this JVM, on 127.0.0.1 and a free
 * port, with its log directory formatted when it is created. {@link #stop()} and {@link #start()} bring it down and
 * back on the same port and log directory, as a restarted broker: what it had confirmed is still there.
 * <p>
 * Kafka's own server classes ({@code kafka_2.13}, the version of camel-kafka's kafka-clients), no container and no
 * mock: the producer under test talks the real protocol, and the tests read back with a real {@link KafkaConsumer}.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    private KafkaBroker(Path logDir, int port, int controllerPort, Map<String, String> overrides) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.overrides = overrides;
    }

    /** A broker on free ports, its data under {@code dir} (formatted now), started. */
    public static KafkaBroker start(Path dir) {
        return start(dir, Map.of());
    }

    /** The same with broker settings of the test's own ({@code message.max.bytes}, ...). */
    public static KafkaBroker start(Path dir, Map<String, String> overrides) {
        Path logDir = dir.resolve("kafka-logs");
        KafkaBroker broker = new KafkaBroker(logDir, AvailablePortFinder.getNextAvailable(),
                AvailablePortFinder.getNextAvailable(), overrides);
        broker.format();
        broker.start();
        return broker;
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("already running on " + bootstrapServers());
        }
        KafkaRaftServer raft = new KafkaRaftServer(KafkaConfig.fromProps(properties(), false), Time.SYSTEM);
        raft.startup();
        server = raft;
    }

    /** Stops the broker (a controlled shutdown); its port closes, its log directory stays for {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        stop();
    }

    /** Creates a topic with this many partitions and topic settings ({@code max.message.bytes}, ...). */
    public void createTopic(String name, int partitions, Map<String, String> config) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(config))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    public Admin admin() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(properties);
    }

    /**
     * Every record of the topic, partition by partition in offset order (values as text, keys as text or null), read
     * with a real consumer from the beginning up to the end offsets seen when it starts reading.
     */
    public List<ConsumerRecord<String, String>> readAll(String topic, Duration timeout) {
        Properties properties = consumerProperties();
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            return readAll(consumer, topic, timeout);
        }
    }

    /** The same with the values as bytes. */
    public List<ConsumerRecord<byte[], byte[]>> readAllBytes(String topic, Duration timeout) {
        Properties properties = consumerProperties();
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            return readAll(consumer, topic, timeout);
        }
    }

    /**
     * Reads every record of the topic, partition by partition in offset order, up to the end offsets seen when it
     * starts, handing each to {@code visitor} without keeping it (for topics larger than a test should hold).
     */
    public void forEachRecord(String topic, Duration timeout,
                              java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> visitor) {
        Properties properties = consumerProperties();
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions = partitions(consumer, topic, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            for (TopicPartition partition : partitions) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                while (consumer.position(partition) < end.get(partition)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("could not read " + partition + " within " + timeout);
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.offset() < end.get(partition)) {
                            visitor.accept(record);
                        }
                    }
                }
            }
        }
    }

    /** The sum of the topic's end offsets: how many records it holds (no compaction, no deletes here). */
    public long recordCount(String topic) {
        Properties properties = consumerProperties();
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions = partitions(consumer, topic, Duration.ofSeconds(10));
            return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream().mapToLong(Long::longValue)
                    .sum();
        }
    }

    private static <K, V> List<ConsumerRecord<K, V>> readAll(KafkaConsumer<K, V> consumer, String topic,
                                                             Duration timeout) {
        List<TopicPartition> partitions = partitions(consumer, topic, timeout);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(consumer, end) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        if (!reached(consumer, end)) {
            throw new IllegalStateException("could not read " + topic + " to its end " + end + " within " + timeout);
        }
        // partition by partition, each in offset order
        records.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return records;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic, Duration timeout) {
        return consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    private Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return properties;
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        properties.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("log.dirs", logDir.toString());
        properties.put("num.partitions", "1");
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        // a quick stop and start: the tests restart it on purpose
        properties.put("controlled.shutdown.enable", "false");
        properties.putAll(overrides);
        return properties;
    }

    private void format() {
        try {
            Files.createDirectories(logDir);
            KafkaConfig config = KafkaConfig.fromProps(properties(), false);
            Collection<String> directories = List.of(logDir.toString());
            new Formatter().setClusterId(clusterId()).setNodeId(config.nodeId()).setDirectories(directories)
                    .setMetadataLogDirectory(logDir.toString()).setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION).setPrintStream(System.out).run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format " + logDir, e);
        }
    }

    private static String clusterId() {
        // a Kafka cluster id is 16 bytes, base64url without padding: the Uuid's form
        return Uuid.randomUuid().toString();
    }

}
