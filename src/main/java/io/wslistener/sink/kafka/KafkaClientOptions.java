package io.wslistener.sink.kafka;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The sink's {@code kafkaProperties}: Kafka producer settings passed through as they are ({@code linger.ms=5;
 * compression.type=lz4}), and the settings the sink's promises rest on, which no option may change.
 */
final class KafkaClientOptions {

    /** Parts of a setting's name that mark a credential: those have options of their own, marked secret. */
    private static final String[] CREDENTIAL_NAMES = { "password", "jaas", "secret", "token" };

    private KafkaClientOptions() {
    }

    /**
     * {@code name=value} pairs separated by {@code ;} or new lines; blank parts are skipped.
     *
     * @throws IllegalArgumentException naming the sink and the option for a pair without {@code =}, or a setting that
     *                                  carries a credential
     */
    static Map<String, Object> parse(String sink, String text) {
        Map<String, Object> settings = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return settings;
        }
        for (String part : text.split("[;\\n]")) {
            String pair = part.strip();
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(sink + ": kafkaProperties must be name=value pairs separated by ';',"
                        + " such as linger.ms=5;compression.type=lz4; '" + pair + "' is not");
            }
            String name = pair.substring(0, equals).strip();
            for (String credential : CREDENTIAL_NAMES) {
                if (name.toLowerCase(Locale.ROOT).contains(credential)) {
                    throw new IllegalArgumentException(sink + ": kafkaProperties must not carry credentials (" + name
                            + "): use saslJaasConfig, sslKeystorePassword, sslTruststorePassword or sslKeyPassword,"
                            + " which are masked");
                }
            }
            settings.put(name, pair.substring(equals + 1).strip());
        }
        return settings;
    }

    /**
     * Refuses settings that would break order or completeness: acks other than all, idempotence off, more than 5
     * requests in flight (an idempotent producer keeps order through retries only up to 5), a transactional id, or
     * serializers of its own (the sink sends bytes).
     */
    static void checkPromises(String sink, Properties properties) {
        Object acks = properties.get(ProducerConfig.ACKS_CONFIG);
        if (acks != null && !"all".equals(String.valueOf(acks)) && !"-1".equals(String.valueOf(acks))) {
            throw refused(sink, ProducerConfig.ACKS_CONFIG, acks, "all (every in-sync replica has the record)");
        }
        Object idempotence = properties.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
        if (idempotence != null && !Boolean.parseBoolean(String.valueOf(idempotence))) {
            throw refused(sink, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence,
                    "true (no duplicates and no reordering through retries)");
        }
        Object inFlight = properties.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight != null) {
            int value;
            try {
                value = Integer.parseInt(String.valueOf(inFlight).strip());
            } catch (NumberFormatException e) {
                throw refused(sink, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, inFlight, "1 to 5");
            }
            if (value < 1 || value > 5) {
                throw refused(sink, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, inFlight,
                        "1 to 5 (an idempotent producer keeps order through retries up to 5)");
            }
        }
        for (String fixed : new String[]{ ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG }) {
            if (properties.containsKey(fixed) && !KafkaSinkEndpoint.BYTES_SERIALIZER.equals(properties.get(fixed))) {
                throw new IllegalArgumentException(sink + ": kafkaProperties must not set " + fixed
                        + ": the sink sends each message's bytes itself");
            }
        }
    }

    private static IllegalArgumentException refused(String sink, String name, Object value, String required) {
        return new IllegalArgumentException(sink + ": kafkaProperties sets " + name + "=" + value + "; the sink needs "
                + required);
    }
}
