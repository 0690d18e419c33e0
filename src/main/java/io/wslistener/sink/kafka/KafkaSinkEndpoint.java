package io.wslistener.sink.kafka;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

import io.wslistener.metrics.SinkMeters;
import io.wslistener.sink.FileNamePattern;
import io.wslistener.sink.SinkMetersByRoute;
import io.wslistener.sink.SinkOptions;
import io.wslistener.sink.deadletter.DeadLetterFile;
import io.wslistener.sink.deadletter.DeadLetterRecord;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A Kafka sink: publishes each message (each element of a batch) to {@code topic} in arrival order, with an idempotent
 * producer, {@code acks=all} and at most 5 requests in flight, so that order per partition holds through retries.
 * Sends are pipelined through a bounded window of unconfirmed records; a record Kafka refuses for good, or that is not
 * confirmed within {@code deliveryTimeout}, goes to a dead-letter file with the reason, and the feed goes on.
 */
@UriEndpoint(firstVersion = "1.0.0", scheme = "sink-kafka", title = "Sink Kafka", syntax = "sink-kafka:topic",
             category = { Category.MESSAGING }, producerOnly = true)
public class KafkaSinkEndpoint extends DefaultEndpoint {

    static final String BYTES_SERIALIZER = ByteArraySerializer.class.getName();

    @UriPath(description = "The topic the messages are published to")
    @Metadata(required = true)
    private final String topic;
    @UriParam(description = "The Kafka brokers to bootstrap from, host:port separated by commas")
    @Metadata(required = true)
    private String brokers;
    @UriParam(defaultValue = "kafka-sink",
              description = "The sink's name: in logs, in the dead-letter file name, in the"
                      + " producer's client.id and as the sink tag of its meters")
    private String name = "kafka-sink";
    @UriParam(description = "The record key, a simple expression evaluated per message, such as"
            + " ${jsonpath($.symbol)}; records with one key go to one partition, in order. Unset: no key")
    private String key;
    @UriParam(defaultValue = "true", description = "Whether the ws-listener headers (route, connection, sequence, gap,"
            + " event) go with each record as Kafka headers wslistener.route, wslistener.connection, ...")
    private boolean recordHeaders = true;
    @UriParam(defaultValue = "10000", description = "Records sent and not yet confirmed by Kafka, at most; when the"
            + " window is full the route waits (and the socket pauses)")
    private int windowSize = 10000;
    @UriParam(defaultValue = "8MB", description = "Bytes (text: characters) of the records sent and not yet confirmed,"
            + " at most, such as 512KB or 8MB; a larger message is taken alone")
    private String windowBytes = "8MB";
    @UriParam(defaultValue = "120s", javaType = "java.time.Duration",
              description = "How long Kafka's producer may try to deliver a record (delivery.timeout.ms), retries"
                      + " included; a record not confirmed by then goes to the dead letter")
    private String deliveryTimeout = "120s";
    @UriParam(defaultValue = "30s", javaType = "java.time.Duration",
              description = "On stop, how long the window may take to be confirmed before what is left goes to the dead"
                      + " letter; capped by what is left of the context's shutdownTimeout")
    private String drainTimeout = "30s";
    @UriParam(description = "Other Kafka producer settings, name=value separated by ';', such as"
            + " linger.ms=5;compression.type=lz4. Not acks, enable.idempotence or more than 5"
            + " max.in.flight.requests.per.connection, and no credentials (they have options of their own)")
    private String kafkaProperties;
    @UriParam(label = "security", defaultValue = "PLAINTEXT", enums = "PLAINTEXT,SSL,SASL_PLAINTEXT,SASL_SSL",
              description = "How to reach the brokers: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
    private String securityProtocol = "PLAINTEXT";
    @UriParam(label = "security", description = "The SASL mechanism, such as PLAIN, SCRAM-SHA-512 or OAUTHBEARER;"
            + " default: Kafka's (GSSAPI)")
    private String saslMechanism;
    @UriParam(label = "security", secret = true,
              description = "The SASL JAAS configuration (sasl.jaas.config), such as"
                      + " org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";")
    private String saslJaasConfig;
    @UriParam(label = "security", description = "The trust store that holds the brokers' CA (SSL, SASL_SSL)")
    private String sslTruststoreLocation;
    @UriParam(label = "security", secret = true, description = "The trust store's password")
    private String sslTruststorePassword;
    @UriParam(label = "security", description = "The key store with the client's certificate, for TLS client"
            + " authentication")
    private String sslKeystoreLocation;
    @UriParam(label = "security", secret = true, description = "The key store's password")
    private String sslKeystorePassword;
    @UriParam(label = "security", secret = true, description = "The password of the key in the key store")
    private String sslKeyPassword;
    @UriParam(defaultValue = "data/dead-letter", description = "Where records Kafka refused go; checked at start-up: it"
            + " must be creatable and writable")
    private String deadLetterDirectory = "data/dead-letter";
    @UriParam(description = "The dead-letter file name; default: the sink's name followed by -{date}.jsonl")
    private String deadLetterFileName;
    @UriParam(label = "security", defaultValue = "600",
              description = "The permissions of new dead-letter files, octal (600) or rwx (rw-------); blank: the umask")
    private String deadLetterFilePermissions = "600";
    @UriParam(label = "advanced", description = "The clock that dates dead letters (for tests)")
    private Clock clock = Clock.systemDefaultZone();

    private final Set<KafkaSinkProducer> producers = new CopyOnWriteArraySet<>();
    private final AtomicInteger clients = new AtomicInteger();
    private DeadLetterFile deadLetter;
    private SinkMetersByRoute meters;
    private Expression keyExpression;
    private long windowBytesValue;
    private Duration deliveryTimeoutValue;
    private Duration drainTimeoutValue;
    private KafkaSinkHealth health;

    public KafkaSinkEndpoint(String uri, KafkaSinkComponent component, String topic) {
        super(uri, component);
        this.topic = topic;
    }

    @Override
    public Producer createProducer() {
        return new KafkaSinkProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new RuntimeCamelException("sink-kafka is a sink: it can only be sent to"); // a producer-only endpoint, as Camel's log: endpoint answers a consumer
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String sink = sinkName();
        SinkOptions.check(name != null && !name.isBlank(), sink + ": name must not be blank");
        SinkOptions.check(windowSize >= 1, sink + ": windowSize must be at least 1, was " + windowSize);
        windowBytesValue = SinkOptions.size(sink, "windowBytes", windowBytes);
        SinkOptions.check(windowBytesValue >= 1, sink + ": windowBytes must be at least 1, was " + windowBytes);
        deliveryTimeoutValue = SinkOptions.duration(sink, "deliveryTimeout", deliveryTimeout, true);
        SinkOptions.check(deliveryTimeoutValue.toMillis() <= Integer.MAX_VALUE,
                sink + ": deliveryTimeout must be at most " + Integer.MAX_VALUE + " ms, was " + deliveryTimeout);
        drainTimeoutValue = SinkOptions.duration(sink, "drainTimeout", drainTimeout, false);
        SinkOptions.check(Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL").contains(securityProtocol),
                sink + ": securityProtocol must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, was "
                        + securityProtocol);
        // the settings are checked now, so that a wrong one stops the start with the sink's name
        producerProperties("check");
        keyExpression = key == null || key.isBlank() ? null : keyExpression(sink);
        String fileName = deadLetterFileName == null || deadLetterFileName.isBlank()
                ? name + "-{date}.jsonl" : deadLetterFileName;
        deadLetter = new DeadLetterFile(Path.of(deadLetterDirectory),
                new FileNamePattern(fileName, "yyyy-MM-dd", ZoneId.systemDefault()), clock,
                SinkOptions.permissions(sink, "deadLetterFilePermissions", deadLetterFilePermissions));
        deadLetter.checkWritable(sink + ": deadLetterDirectory");
        if (meters == null) {
            meters = SinkMetersByRoute.register(this, name);
        }
        health = KafkaSinkHealth.register(getCamelContext(), sink, () -> producers.stream());
    }

    private Expression keyExpression(String sink) {
        try {
            Expression expression = getCamelContext().resolveLanguage("simple").createExpression(key);
            expression.init(getCamelContext());
            return expression;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(sink + ": key must be a simple expression, such as"
                    + " ${jsonpath($.symbol)}; '" + key + "' is not: " + e.getMessage(), e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (health != null) {
            health.unregister(getCamelContext());
            health = null;
        }
        super.doStop();
    }

    /** The sink as users know it, in errors and logs: {@code sink-kafka:<topic> (<name>)}. */
    String sinkName() {
        return "sink-kafka:" + topic;
    }

    /**
     * The producer's settings: camel-kafka's {@link KafkaConfiguration} maps the brokers, security and SASL/SSL options
     * and the pass-through settings to Kafka's names (and camel-kafka's defaults: faster reconnects than Kafka's own);
     * the sink then fixes what its promises rest on.
     */
    Properties producerProperties(String clientId) {
        String sink = sinkName();
        KafkaConfiguration configuration = new KafkaConfiguration();
        configuration.setBrokers(brokers);
        configuration.setClientId(clientId);
        configuration.setKeySerializer(BYTES_SERIALIZER);
        configuration.setValueSerializer(BYTES_SERIALIZER);
        configuration.setRequestRequiredAcks("all");
        configuration.setEnableIdempotence(true);
        configuration.setMaxInFlightRequest(5);
        configuration.setDeliveryTimeoutMs((int) deliveryTimeoutValue.toMillis());
        configuration.setSecurityProtocol(securityProtocol);
        if (saslMechanism != null && !saslMechanism.isBlank()) {
            configuration.setSaslMechanism(saslMechanism);
        }
        configuration.setSaslJaasConfig(blankToNull(saslJaasConfig));
        configuration.setSslTruststoreLocation(blankToNull(sslTruststoreLocation));
        configuration.setSslTruststorePassword(blankToNull(sslTruststorePassword));
        configuration.setSslKeystoreLocation(blankToNull(sslKeystoreLocation));
        configuration.setSslKeystorePassword(blankToNull(sslKeystorePassword));
        configuration.setSslKeyPassword(blankToNull(sslKeyPassword));
        configuration.setAdditionalProperties(KafkaClientOptions.parse(sink, kafkaProperties));
        Properties properties = configuration.createProducerProperties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        KafkaClientOptions.checkPromises(sink, properties);
        return properties;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** A client id of its own for each producer: Kafka registers its metrics and MBeans under it. */
    String nextClientId() {
        return "ws-listener-" + name + "-" + clients.incrementAndGet();
    }

    /** The feed's route behind a route step (for a kamelet's route, the route that uses the kamelet); "" when unknown. */
    String feedRouteOf(String routeId) {
        return routeId == null ? "" : meters.feedRouteOf(routeId);
    }

    /** The meters of the route the message belongs to. */
    SinkMeters metersOf(Exchange exchange) {
        return meters.of(exchange);
    }

    /**
     * The record key of a message: the key expression evaluated on the exchange; for an element of a batch, on the
     * exchange with that element as its body for the moment. Null without a key expression, or when it yields null.
     */
    byte[] keyOf(Exchange exchange, Object message, boolean element) {
        if (keyExpression == null) {
            return null;
        }
        Object value;
        if (element) {
            Message in = exchange.getMessage();
            Object body = in.getBody();
            in.setBody(message);
            try {
                value = keyExpression.evaluate(exchange, String.class);
            } finally {
                in.setBody(body);
            }
        } else {
            value = keyExpression.evaluate(exchange, String.class);
        }
        if (exchange.getException() != null) {
            Exception failure = exchange.getException();
            exchange.setException(null);
            throw new IllegalArgumentException("the key expression " + key + " failed: " + failure.getMessage(),
                    failure);
        }
        return value == null ? null : value.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The dead-letter line of a message Kafka refused, with the reason. */
    String deadLetterRecord(Object message, int attempts, Exception cause) {
        return DeadLetterRecord.toJson(message, "sink-kafka:" + name, attempts, null, cause, clock.instant());
    }

    /** Appends dead-letter lines in one write. */
    void appendDeadLetters(List<String> records) throws Exception {
        deadLetter.append(records);
    }

    void register(KafkaSinkProducer producer) {
        producers.add(producer);
    }

    void unregister(KafkaSinkProducer producer) {
        producers.remove(producer);
    }

    long windowBytesValue() {
        return windowBytesValue;
    }

    Duration drainTimeoutValue() {
        return drainTimeoutValue;
    }

    /** Records sent and not yet confirmed, over all routes that use this sink. */
    public int getWindowRecords() {
        return producers.stream().mapToInt(KafkaSinkProducer::windowRecords).sum();
    }

    /** Records Kafka confirmed since the producers started. */
    public long getConfirmedCount() {
        return sum(KafkaSinkProducer::confirmedCount);
    }

    /** Messages written to the dead letter since the producers started. */
    public long getDeadLetteredCount() {
        return sum(KafkaSinkProducer::deadLetteredCount);
    }

    /** Where the next dead letter goes. */
    public Path getDeadLetterFile() {
        return deadLetter == null ? null : deadLetter.currentFile();
    }

    private long sum(ToLongFunction<KafkaSinkProducer> counter) {
        return producers.stream().mapToLong(counter).sum();
    }

    public String getTopic() {
        return topic;
    }

    public String getBrokers() {
        return brokers;
    }

    public void setBrokers(String brokers) {
        this.brokers = brokers;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public boolean isRecordHeaders() {
        return recordHeaders;
    }

    public void setRecordHeaders(boolean recordHeaders) {
        this.recordHeaders = recordHeaders;
    }

    public int getWindowSize() {
        return windowSize;
    }

    public void setWindowSize(int windowSize) {
        this.windowSize = windowSize;
    }

    public String getWindowBytes() {
        return windowBytes;
    }

    public void setWindowBytes(String windowBytes) {
        this.windowBytes = windowBytes;
    }

    public String getDeliveryTimeout() {
        return deliveryTimeout;
    }

    public void setDeliveryTimeout(String deliveryTimeout) {
        this.deliveryTimeout = deliveryTimeout;
    }

    public String getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(String drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public String getKafkaProperties() {
        return kafkaProperties;
    }

    public void setKafkaProperties(String kafkaProperties) {
        this.kafkaProperties = kafkaProperties;
    }

    public String getSecurityProtocol() {
        return securityProtocol;
    }

    public void setSecurityProtocol(String securityProtocol) {
        this.securityProtocol = securityProtocol;
    }

    public String getSaslMechanism() {
        return saslMechanism;
    }

    public void setSaslMechanism(String saslMechanism) {
        this.saslMechanism = saslMechanism;
    }

    public String getSaslJaasConfig() {
        return saslJaasConfig;
    }

    public void setSaslJaasConfig(String saslJaasConfig) {
        this.saslJaasConfig = saslJaasConfig;
    }

    public String getSslTruststoreLocation() {
        return sslTruststoreLocation;
    }

    public void setSslTruststoreLocation(String sslTruststoreLocation) {
        this.sslTruststoreLocation = sslTruststoreLocation;
    }

    public String getSslTruststorePassword() {
        return sslTruststorePassword;
    }

    public void setSslTruststorePassword(String sslTruststorePassword) {
        this.sslTruststorePassword = sslTruststorePassword;
    }

    public String getSslKeystoreLocation() {
        return sslKeystoreLocation;
    }

    public void setSslKeystoreLocation(String sslKeystoreLocation) {
        this.sslKeystoreLocation = sslKeystoreLocation;
    }

    public String getSslKeystorePassword() {
        return sslKeystorePassword;
    }

    public void setSslKeystorePassword(String sslKeystorePassword) {
        this.sslKeystorePassword = sslKeystorePassword;
    }

    public String getSslKeyPassword() {
        return sslKeyPassword;
    }

    public void setSslKeyPassword(String sslKeyPassword) {
        this.sslKeyPassword = sslKeyPassword;
    }

    public String getDeadLetterDirectory() {
        return deadLetterDirectory;
    }

    public void setDeadLetterDirectory(String deadLetterDirectory) {
        this.deadLetterDirectory = deadLetterDirectory;
    }

    public String getDeadLetterFileName() {
        return deadLetterFileName;
    }

    public void setDeadLetterFileName(String deadLetterFileName) {
        this.deadLetterFileName = deadLetterFileName;
    }

    public String getDeadLetterFilePermissions() {
        return deadLetterFilePermissions;
    }

    public void setDeadLetterFilePermissions(String deadLetterFilePermissions) {
        this.deadLetterFilePermissions = deadLetterFilePermissions;
    }

    public Clock getClock() {
        return clock;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }
}
