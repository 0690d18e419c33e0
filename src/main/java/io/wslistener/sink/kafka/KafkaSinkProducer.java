package io.wslistener.sink.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.wslistener.metrics.KafkaSinkMeters;
import io.wslistener.metrics.SinkMeters;
import io.wslistener.sink.SinkMessages;
import io.wslistener.sink.SinkMetersByRoute;
import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.support.StopBudget;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each message (each element of a List body) to a Kafka producer of its own and returns at once: the record is
 * on its way, tracked by the {@link SendWindow}, and the route goes on with the next message while Kafka confirms this
 * one. The route waits only while the window is full.
 * <p>
 * Why a KafkaProducer of its own and not camel-kafka's producer: camel-kafka either waits for each record's
 * confirmation (one record in flight: about 0.013 of a bare producer) or, asynchronously, lets the exchange complete
 * before the record is confirmed with nothing to bound what is on its way and nothing to dead-letter a refusal once
 * the exchange is gone. The window is what keeps both order and memory bounded while sends are pipelined.
 * <p>
 * Each route step gets its own producer and window, so that stopping a route accounts for exactly what it sent: on
 * stop the window is confirmed within {@code drainTimeout} (capped by the stop budget), then the producer is closed
 * at once and every record still unconfirmed goes to the dead letter, never nowhere.
 */
final class KafkaSinkProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkProducer.class);

    private final FeedRecordHeaders headers = new FeedRecordHeaders();
    private final AtomicLong deadLettered = new AtomicLong();
    private final Queue<SendWindow.Slot> refusals = new ConcurrentLinkedQueue<>();
    private Producer<byte[], byte[]> kafka;
    private SendWindow window;
    private ExecutorService deadLetters;
    private volatile AutoCloseable clientMeters;
    private StopBudget budget;
    private Metric connectionCount;
    private String clientId;
    private volatile boolean closing;

    KafkaSinkProducer(KafkaSinkEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public KafkaSinkEndpoint getEndpoint() {
        return (KafkaSinkEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (clientMeters == null) {
            bindMeters(exchange);
        }
        Object body = SinkMessages.bodyOf(exchange);
        SinkMeters meters = getEndpoint().metersOf(exchange);
        if (body instanceof List<?> batch) {
            for (int i = 0; i < batch.size(); i++) {
                send(exchange, SinkMessages.messageOf(exchange, batch.get(i)), meters, i);
            }
        } else {
            send(exchange, body, meters, -1);
        }
    }

    /**
     * The producer's and the window's meters, tagged with the feed's route, which only the first message tells (behind
     * a kamelet the sink runs in the kamelet's route).
     */
    private synchronized void bindMeters(Exchange exchange) {
        if (clientMeters == null) {
            KafkaSinkEndpoint endpoint = getEndpoint();
            String route = SinkMetersByRoute.routeIdOf(exchange);
            clientMeters = KafkaSinkMeters.bind(endpoint.getCamelContext(), kafka, endpoint.getName(),
                    endpoint.feedRouteOf(route), clientId, window, SendWindow::records, SendWindow::bytes);
        }
    }

    private void send(Exchange exchange, Object message, SinkMeters meters, int element) throws Exception {
        KafkaSinkEndpoint endpoint = getEndpoint();
        byte[] key;
        try {
            key = endpoint.keyOf(exchange, message, element >= 0);
        } catch (RuntimeException e) {
            deadLetterNow(message, meters, 0, e);
            return;
        }
        Headers recordHeaders = endpoint.isRecordHeaders() ? headers.of(exchange, element) : null;
        SendWindow.Slot slot = window.reserve(message, meters, sizeOf(message), this::mayWait);
        if (slot == null) {
            deadLetterNow(message, meters, 0, new IllegalStateException("Kafka sink " + endpoint.getName()
                    + " is stopping and its window is full"));
            return;
        }
        try {
            kafka.send(new ProducerRecord<>(endpoint.getTopic(), null, null, key, bytesOf(message), recordHeaders),
                    slot);
        } catch (RuntimeException e) {
            // a closed producer, an interrupt: the callback was not called, so the slot is settled here
            slot.onCompletion(null, e);
        }
    }

    private boolean mayWait() {
        return !closing && !budget.expired();
    }

    /** What a message weighs against windowBytes: its bytes, or for text its characters. */
    static long sizeOf(Object message) {
        return message instanceof byte[] bytes ? bytes.length
                : message instanceof CharSequence text ? text.length() : 0;
    }

    private static byte[] bytesOf(Object message) {
        return message instanceof byte[] bytes ? bytes : SinkMessages.text(message).getBytes(StandardCharsets.UTF_8);
    }

    /** A record Kafka refused (or the delivery timeout ran out): to the dead letter, off the producer's I/O thread. */
    private void refused(SendWindow.Slot slot) {
        refusals.add(slot);
        try {
            deadLetters.execute(this::writeRefused);
        } catch (RejectedExecutionException e) {
            // the sink has stopped: written here, late rather than never
            writeRefused();
        }
    }

    /**
     * Writes the refused records waiting now as one append (a stop that fails a full window writes it in one go, not
     * one forced write per record), each with its own reason, and logs them in one line.
     */
    private synchronized void writeRefused() {
        List<SendWindow.Slot> batch = new ArrayList<>();
        SendWindow.Slot slot;
        while ((slot = refusals.poll()) != null) {
            batch.add(slot);
        }
        if (batch.isEmpty()) {
            return;
        }
        KafkaSinkEndpoint endpoint = getEndpoint();
        List<String> records = new ArrayList<>(batch.size());
        for (SendWindow.Slot refused : batch) {
            records.add(endpoint.deadLetterRecord(refused.message(), 1, refused.failure()));
        }
        try {
            LOG.warn("Kafka sink {}: {} record(s) to {} refused ({}); they go to the dead letter, the feed goes on",
                    endpoint.getName(), batch.size(), endpoint.getTopic(),
                    DeadLetterRecord.describe(batch.get(0).failure()));
            endpoint.appendDeadLetters(records);
            deadLettered.addAndGet(batch.size());
            batch.forEach(refused -> refused.meters().deadLettered());
        } catch (Exception e) {
            LOG.error("Kafka sink {}: {} refused record(s) could not be written to the dead letter and are lost: {}",
                    endpoint.getName(), batch.size(), e.getMessage(), e);
        } finally {
            batch.forEach(SendWindow.Slot::deadLettered);
        }
    }

    private void deadLetterNow(Object message, SinkMeters meters, int attempts, Exception cause) {
        try {
            getEndpoint().appendDeadLetters(List.of(getEndpoint().deadLetterRecord(message, attempts, cause)));
            deadLettered.incrementAndGet();
            meters.deadLettered();
        } catch (Exception e) {
            LOG.error("Kafka sink {}: a message could not be written to the dead letter and is lost: {}",
                    getEndpoint().getName(), e.getMessage(), e);
        }
    }

    int windowRecords() {
        SendWindow current = window;
        return current == null ? 0 : current.records();
    }

    long confirmedCount() {
        SendWindow current = window;
        return current == null ? 0 : current.confirmedCount();
    }

    long deadLetteredCount() {
        return deadLettered.get();
    }

    SendWindow window() {
        return window;
    }

    /** Connections the producer has open to brokers now; -1 when it cannot tell. */
    int brokerConnections() {
        Metric metric = connectionCount;
        if (metric == null && kafka != null) {
            for (var entry : kafka.metrics().entrySet()) {
                MetricName name = entry.getKey();
                if ("connection-count".equals(name.name()) && "producer-metrics".equals(name.group())) {
                    metric = entry.getValue();
                    connectionCount = metric;
                }
            }
        }
        return metric == null || !(metric.metricValue() instanceof Number count) ? -1 : count.intValue();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        KafkaSinkEndpoint endpoint = getEndpoint();
        budget = StopBudget.of(endpoint.getCamelContext());
        clientId = endpoint.nextClientId();
        closing = false;
        connectionCount = null;
        window = new SendWindow(endpoint.getWindowSize(), endpoint.windowBytesValue(), this::refused);
        deadLetters = endpoint.getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this,
                "SinkKafkaDeadLetter[" + endpoint.getName() + "]");
        kafka = new KafkaProducer<>(endpoint.producerProperties(clientId));
        endpoint.register(this);
    }

    /**
     * Confirms the window within drainTimeout (capped by the stop budget), then closes the producer at once: Kafka
     * fails every record still on its way, and those go to the dead letter.
     */
    @Override
    protected void doStop() throws Exception {
        closing = true;
        KafkaSinkEndpoint endpoint = getEndpoint();
        Duration drain = budget.cap(endpoint.drainTimeoutValue());
        if (!window.awaitEmpty(drain.toNanos())) {
            LOG.warn("Kafka sink {}: {} record(s) not confirmed within {} ms (drainTimeout {}, capped by the stop"
                    + " budget); they go to the dead letter", endpoint.getName(), window.records(), drain.toMillis(),
                    endpoint.getDrainTimeout());
        }
        // records still on their way fail now ("producer closed forcefully") and reach the dead letter through their
        // callbacks; Duration.ZERO does not wait for the I/O thread to send anything more (an empty window has nothing
        // to send)
        kafka.close(Duration.ZERO);
        deadLetters.shutdown();
        if (!deadLetters.awaitTermination(Math.max(1000, budget.cap(Duration.ofSeconds(10)).toMillis()),
                TimeUnit.MILLISECONDS)) {
            LOG.warn("Kafka sink {}: the dead letters of the stop are still being written", endpoint.getName());
        }
        List<SendWindow.Slot> left = new ArrayList<>(window.unsettled());
        for (SendWindow.Slot slot : left) {
            // not called back by the closed producer (should not happen): accounted for here all the same
            deadLetterNow(slot.message(), slot.meters(), 0,
                    new IllegalStateException("Kafka sink " + endpoint.getName() + " stopped before confirmation"));
        }
        closeQuietly(clientMeters);
        clientMeters = null;
        endpoint.unregister(this);
        super.doStop();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            LOG.debug("Closing the Kafka client meters failed", e);
        }
    }
}
