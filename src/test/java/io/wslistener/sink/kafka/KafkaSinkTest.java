package io.wslistener.sink.kafka;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import io.wslistener.sink.SinkFiles;
import io.wslistener.testsupport.Docs;
import io.wslistener.testsupport.KafkaBroker;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka sink behind real ws-listener routes, against a real single-node KRaft broker (one for the class), read
 * back with a real consumer.
 */
class KafkaSinkTest {

    @TempDir
    static Path brokerDir;
    @TempDir
    Path dir;

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static String quote(int n) {
        return "{\"seq\":" + n + ",\"symbol\":\"S" + (n % 7) + "\",\"bid\":" + (100 + n % 13) + ".25}";
    }

    @Test
    void aHundredThousandMessagesArriveOnceEachKeyInOnePartitionInOrderAsReceived() throws Exception {
        int count = 100_000;
        broker.createTopic("quotes", 3, Map.of());
        try (TestWebSocketServer feed = new TestWebSocketServer().autoSendOnConnect(count, KafkaSinkTest::quote)
                .start();
                YamlCamel camel = YamlCamel.create()) {
            // the example of docs/sinks.md, as printed
            String example = Docs.yamlBlocks(Docs.section("docs/sinks.md", "Kafka sink")).get(0);
            camel.property("feed.uri", feed.listenerUri("/feed")).property("kafka.brokers", broker.bootstrapServers())
                    .start(example);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> broker.recordCount("quotes") >= count);
        }

        List<ConsumerRecord<String, String>> records = broker.readAll("quotes", Duration.ofSeconds(60));
        assertEquals(count, records.size(), "each message once");
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<String, Integer> lastOfKey = new HashMap<>();
        Set<Integer> seen = new HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            int seq = ((Number) ((JsonObject) Jsoner.deserialize(record.value())).get("seq")).intValue();
            assertEquals(quote(seq), record.value(), "the text as received");
            assertTrue(seen.add(seq), "seq " + seq + " twice");
            assertEquals("S" + (seq % 7), record.key(), "the key is the symbol");
            Integer partition = partitionOfKey.putIfAbsent(record.key(), record.partition());
            assertTrue(partition == null || partition == record.partition(), record.key() + " in two partitions");
            Integer previous = lastOfKey.put(record.key(), seq);
            assertTrue(previous == null || previous < seq, record.key() + ": " + seq + " after " + previous);
            assertEquals(String.valueOf(seq), header(record, FeedRecordHeaders.SEQUENCE), "the sequence header");
            assertEquals("quotes-to-kafka", header(record, FeedRecordHeaders.ROUTE));
            assertEquals("1", header(record, FeedRecordHeaders.CONNECTION));
        }
        assertEquals(IntStream.rangeClosed(1, count).boxed().toList(), seen.stream().sorted().toList());
        assertTrue(new HashSet<>(partitionOfKey.values()).size() > 1, "the keys spread over the partitions");
    }

    @Test
    void aRecordLargerThanTheTopicAllowsIsDeadLetteredWholeWithTheReasonAndItsNeighboursGoOnInOrder() throws Exception {
        broker.createTopic("small", 1, Map.of("max.message.bytes", "4096"));
        broker.createTopic("replayed", 1, Map.of());
        String large = "{\"seq\":10,\"pad\":\"" + "x".repeat(20_000) + "\"}";
        try (TestWebSocketServer feed = new TestWebSocketServer()
                .autoSendOnConnect(20, n -> n == 10 ? large : "{\"seq\":" + n + "}").start();
                YamlCamel camel = YamlCamel.create()) {
            camel.property("feed.uri", feed.listenerUri("/feed")).property("brokers", broker.bootstrapServers())
                    .property("dir", dir)
                    .start("""
                            - route:
                                id: small
                                from:
                                  uri: "{{feed.uri}}"
                                  steps:
                                    - to: "kamelet:ws-kafka-sink?topic=small&brokers={{brokers}}&name=small&deadLetterDirectory={{dir}}/dead-letter"
                            """);
            await().atMost(Duration.ofSeconds(30)).until(() -> broker.recordCount("small") >= 19
                    && !SinkFiles.linesOfAll(dir.resolve("dead-letter"), ".jsonl").isEmpty());
            assertEquals(1, feed.openSockets(), "the connection is kept");
            assertEquals(1, feed.totalConnections(), "no reconnect");
        }

        List<String> values = broker.readAll("small", Duration.ofSeconds(30)).stream().map(ConsumerRecord::value)
                .toList();
        List<String> expected = new ArrayList<>();
        IntStream.rangeClosed(1, 20).filter(n -> n != 10).forEach(n -> expected.add("{\"seq\":" + n + "}"));
        assertEquals(expected, values, "the records before and after it, in order");
        List<String> deadLetters = SinkFiles.linesOfAll(dir.resolve("dead-letter"), ".jsonl");
        assertEquals(1, deadLetters.size());
        JsonObject deadLetter = (JsonObject) Jsoner.deserialize(deadLetters.get(0));
        assertEquals(large, deadLetter.get("message"), "the message whole");
        assertEquals("sink-kafka:small", deadLetter.get("sink"));
        assertTrue(String.valueOf(deadLetter.get("cause")).startsWith("RecordTooLargeException"),
                String.valueOf(deadLetter.get("cause")));

        // ws-dead-letter-source replays it, here into a topic that takes it
        Path replay = Files.createDirectories(dir.resolve("replay"));
        try (var files = Files.list(dir.resolve("dead-letter"))) {
            for (Path file : files.toList()) {
                Files.move(file, replay.resolve(file.getFileName()));
            }
        }
        try (YamlCamel camel = YamlCamel.create()) {
            camel.property("brokers", broker.bootstrapServers()).property("dir", dir)
                    .start("""
                            - route:
                                id: replay
                                from:
                                  uri: "kamelet:ws-dead-letter-source?directory={{dir}}/replay"
                                  steps:
                                    - to: "kamelet:ws-kafka-sink?topic=replayed&brokers={{brokers}}&deadLetterDirectory={{dir}}/dead-letter"
                            """);
            await().atMost(Duration.ofSeconds(30)).until(() -> broker.recordCount("replayed") == 1);
        }
        assertEquals(List.of(large), broker.readAll("replayed", Duration.ofSeconds(30)).stream()
                .map(ConsumerRecord::value).toList());
    }

    @Test
    void whatTheBrokerHasNotConfirmedWhenTheStopBudgetRunsOutGoesToTheDeadLetterInOrder() throws Exception {
        broker.createTopic("held", 1, Map.of());
        YamlCamel camel = YamlCamel.create().shutdownTimeout(4);
        CamelContext context = camel.property("brokers", broker.bootstrapServers()).property("dir", dir).start("""
                - route:
                    id: held
                    from:
                      uri: direct:in
                      steps:
                        - to: "sink-kafka:held?brokers={{brokers}}&name=held&deadLetterDirectory={{dir}}/dl"
                """);
        ProducerTemplate template = context.createProducerTemplate();
        try {
            template.sendBody("direct:in", "{\"n\":0}");
            await().atMost(Duration.ofSeconds(30)).until(() -> broker.recordCount("held") == 1);
            broker.stop();
            for (int n = 1; n <= 50; n++) {
                template.sendBody("direct:in", "{\"n\":" + n + "}");
            }
            KafkaSinkEndpoint endpoint = context.getEndpoint(
                    "sink-kafka:held?brokers=" + broker.bootstrapServers() + "&name=held&deadLetterDirectory=" + dir
                            + "/dl",
                    KafkaSinkEndpoint.class);
            assertEquals(50, endpoint.getWindowRecords(), "handed over, none confirmed");
            long start = System.nanoTime();
            context.stop();
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(4).toNanos(), "within the stop budget");
        } finally {
            broker.start();
        }
        List<String> deadLetters = SinkFiles.linesOfAll(dir.resolve("dl"), ".jsonl");
        assertEquals(IntStream.rangeClosed(1, 50).mapToObj(n -> "{\"n\":" + n + "}").toList(),
                deadLetters.stream().map(line -> String.valueOf(
                        io.wslistener.sink.deadletter.DeadLetterRecord.originalMessage(line))).toList(),
                "every unconfirmed record, in order");
        assertEquals(List.of("{\"n\":0}"), broker.readAll("held", Duration.ofSeconds(30)).stream()
                .map(ConsumerRecord::value).toList());
    }

    @Test
    void binaryMessagesGoAsTheirBytesAndHeadersCanBeSwitchedOff() throws Exception {
        broker.createTopic("raw", 1, Map.of());
        try (YamlCamel camel = YamlCamel.create()) {
            CamelContext context = camel.property("brokers", broker.bootstrapServers()).property("dir", dir)
                    .start("""
                            - route:
                                id: raw
                                from:
                                  uri: direct:in
                                  steps:
                                    - to: "sink-kafka:raw?brokers={{brokers}}&recordHeaders=false&deadLetterDirectory={{dir}}/dl"
                            """);
            ProducerTemplate template = context.createProducerTemplate();
            template.sendBody("direct:in", new byte[]{ 0, (byte) 0xff, 42 });
            template.sendBody("direct:in", "é");
            await().atMost(Duration.ofSeconds(30)).until(() -> broker.recordCount("raw") == 2);
        }
        List<ConsumerRecord<byte[], byte[]>> records = broker.readAllBytes("raw", Duration.ofSeconds(30));
        assertEquals(List.of("[0, -1, 42]", "[-61, -87]"), records.stream()
                .map(r -> java.util.Arrays.toString(r.value())).toList());
        assertFalse(records.get(0).headers().iterator().hasNext(), "recordHeaders=false: no headers");
        assertNull(records.get(0).key());
    }

    @Test
    void settingsThatWouldBreakOrderOrShowACredentialStopTheStartNamingTheSinkAndTheOption() {
        for (String[] wrong : new String[][]{
                { "kafkaProperties=acks=1", "sink-kafka:t: kafkaProperties sets acks=1" },
                { "kafkaProperties=enable.idempotence=false", "enable.idempotence=false" },
                { "kafkaProperties=max.in.flight.requests.per.connection=6",
                        "max.in.flight.requests.per.connection=6" },
                { "kafkaProperties=RAW(ssl.truststore.password=abc)",
                        "must not carry credentials (ssl.truststore.password)" },
                { "windowBytes=8XB", "sink-kafka:t: windowBytes must be a size" },
                { "deliveryTimeout=-5s", "sink-kafka:t: deliveryTimeout must be" } }) {
            YamlCamel camel = YamlCamel.create().property("brokers", broker.bootstrapServers()).property("dir", dir);
            Exception failure = assertThrows(Exception.class, () -> camel.start("""
                    - route:
                        from:
                          uri: direct:in
                          steps:
                            - to: "sink-kafka:t?brokers={{brokers}}&deadLetterDirectory={{dir}}/dl&%s"
                    """.formatted(wrong[0])), wrong[0]);
            String messages = messages(failure);
            assertTrue(messages.contains(wrong[1]), wrong[0] + ": " + messages);
            assertFalse(messages.contains("abc"), "the value of a credential is never shown: " + messages);
            try {
                camel.close();
            } catch (Exception e) {
                // it did not start
            }
        }
    }

    @Test
    void theSaslExampleOfTheDocsReachesTheProducerWhileCamelMasksThePasswordInEveryEndpointUri() throws Exception {
        String example = Docs.yamlBlocks(Docs.section("docs/sinks.md", "Kafka sink")).get(1);
        try (YamlCamel camel = YamlCamel.create()) {
            // no broker behind it: the producer is built, never connected
            CamelContext context = camel.property("kafka.brokers", "127.0.0.1:1")
                    .property("kafka.password", "pa55-w0rd").start("""
                            - route:
                                from:
                                  uri: direct:in
                                  steps:
                            %s""".formatted(example.indent(8)));
            KafkaSinkEndpoint endpoint = context.getEndpoints().stream()
                    .filter(KafkaSinkEndpoint.class::isInstance).map(KafkaSinkEndpoint.class::cast).findFirst()
                    .orElseThrow();
            assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"feed\""
                    + " password=\"pa55-w0rd\";", endpoint.getSaslJaasConfig());
            assertEquals("SASL_SSL", endpoint.producerProperties("x").get("security.protocol"));
            assertEquals("SCRAM-SHA-512", endpoint.producerProperties("x").get("sasl.mechanism"));
            for (var any : context.getEndpoints()) {
                assertFalse(any.toString().contains("pa55-w0rd"), "Camel masks it: " + any);
            }
        }
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append(" | ");
        }
        return text.toString();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
