package io.wslistener.bench;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The baseline of the Kafka benchmark, in a JVM of its own: a bare KafkaProducer with the settings the sink has (acks
 * all, idempotent, at most 5 requests in flight, Kafka's defaults otherwise), sending the blast server's N messages of
 * S bytes, made the way the blast server makes them, as fast as send() takes them, without a key or headers. Stays
 * until stopped, so that its threads can still be read.
 * <p>
 * Usage: {@code BareKafkaProducer <brokers> <topic> <messages> <size>}
 */
public final class BareKafkaProducer {

    private BareKafkaProducer() {
    }

    public static void main(String[] args) throws Exception {
        String brokers = args[0];
        String topic = args[1];
        long messages = Long.parseLong(args[2]);
        int size = Integer.parseInt(args[3]);
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong confirmed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        String filler = BlastServer.message(0, size).substring(18);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
            for (long seq = 1; seq <= messages; seq++) {
                String text = "{\"seq\":\"" + String.format("%010d", seq) + filler;
                producer.send(new ProducerRecord<>(topic, text.getBytes(StandardCharsets.UTF_8)), (metadata, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                    if (confirmed.incrementAndGet() == messages) {
                        done.countDown();
                    }
                });
            }
            done.await(30, TimeUnit.MINUTES);
            System.out.println("RESULT confirmed=" + confirmed.get() + " failed=" + failed.get());
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
