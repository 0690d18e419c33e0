package io.wslistener.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KafkaBrokerTest {

    @TempDir
    Path dir;

    @Test
    void whatTheBrokerConfirmedIsStillThereAfterAStopAndAStartOnTheSamePort() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir)) {
            broker.createTopic("t", 2, Map.of());
            try (KafkaProducer<String, String> producer = producer(broker)) {
                for (int i = 1; i <= 10; i++) {
                    producer.send(new ProducerRecord<>("t", "k" + (i % 2), "v" + i)).get(30, TimeUnit.SECONDS);
                }
            }
            int port = broker.port();
            broker.stop();
            assertFalse(broker.isRunning());
            assertThrows(org.apache.kafka.common.errors.TimeoutException.class,
                    () -> broker.readAll("t", Duration.ofSeconds(2)),
                    "nothing answers while it is stopped");
            broker.start();

            List<ConsumerRecord<String, String>> records = broker.readAll("t", Duration.ofSeconds(30));
            assertEquals(port, broker.port());
            assertEquals(10, records.size());
            assertEquals(10, broker.recordCount("t"));
            assertEquals(List.of("v1", "v3", "v5", "v7", "v9"), records.stream().filter(r -> "k1".equals(r.key()))
                    .map(ConsumerRecord::value).toList(), "one key, one partition, in order");
        }
    }

    private static KafkaProducer<String, String> producer(KafkaBroker broker) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(properties);
    }
}
