package io.wslistener.sink.http;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import io.wslistener.metrics.SinkMeters;
import io.wslistener.sink.FileNamePattern;
import io.wslistener.sink.SinkMetersByRoute;
import io.wslistener.sink.SinkOptions;
import io.wslistener.sink.deadletter.DeadLetterFile;
import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.support.Backoff;
import io.wslistener.support.StopBudget;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * An HTTP sink: POSTs each message (or a batch as a JSON array) to {@code url}, in order, retrying connection errors,
 * 5xx and 429 with exponential backoff (429 and 503 wait what Retry-After says), and writing what cannot be delivered
 * to a dead-letter file; other 4xx go to the dead letter at once.
 */
@UriEndpoint(firstVersion = "1.0.0", scheme = "sink-http", title = "Sink HTTP", syntax = "sink-http:name",
             category = { Category.HTTP }, producerOnly = true)
public class HttpSinkEndpoint extends DefaultEndpoint {

    @UriPath(description = "The sink's name, used in logs, in the dead-letter file name and as the sink tag of its meters")
    @Metadata(required = true)
    private final String name;
    @UriParam(description = "The URL to POST to")
    @Metadata(required = true)
    private String url;
    @UriParam(defaultValue = "1", description = "Messages per request: 1 posts each message as it is, more posts up to"
            + " that many waiting messages as one JSON array")
    private int batchSize = 1;
    @UriParam(defaultValue = "1000", description = "Messages buffered for delivery; when full, the route waits")
    private int bufferSize = 1000;
    @UriParam(defaultValue = "16MB",
              description = "Bytes (text: characters) that may wait for delivery, the batch being"
                      + " posted included, as a size such as 1048576, 512KB, 16MB; when"
                      + " they are used up the route waits. A message larger than this is"
                      + " still taken, alone, once nothing else waits")
    private String maxBufferBytes = "16MB";
    @UriParam(description = "Request headers that carry no secret, 'Name: value' separated by ';' or new lines. A header"
            + " whose name marks a credential (Authorization, Cookie, *key*, *token*, ...) is refused"
            + " here: put it in secretHeaders")
    private String headers;
    @UriParam(label = "security", secret = true,
              description = "Request headers that carry credentials, such as Authorization: Bearer abc, in the same form"
                      + " as headers. Camel masks options named *secret* wherever it prints an endpoint URI, and"
                      + " the sink never logs their values")
    private String secretHeaders;
    @UriParam(defaultValue = "application/json", description = "The Content-Type of the requests")
    private String contentType = "application/json";
    @UriParam(defaultValue = "5s", javaType = "java.time.Duration", description = "Connect timeout; more than 0")
    private String connectTimeout = "5s";
    @UriParam(defaultValue = "30s", javaType = "java.time.Duration", description = "Response timeout; more than 0")
    private String responseTimeout = "30s";
    @UriParam(defaultValue = "5", description = "Retries after the first attempt; -1 retries for ever")
    private int maxRetries = 5;
    @UriParam(defaultValue = "1s", javaType = "java.time.Duration",
              description = "Delay before the first retry; more than 0")
    private String initialDelay = "1s";
    @UriParam(defaultValue = "2.0", description = "Each retry waits this many times longer than the one before")
    private double multiplier = 2.0;
    @UriParam(defaultValue = "30s", javaType = "java.time.Duration",
              description = "The longest wait between retries; caps the server's Retry-After too")
    private String maxDelay = "30s";
    @UriParam(defaultValue = "30s", javaType = "java.time.Duration",
              description = "On stop, how long buffered messages may take to be delivered before they go to the dead"
                      + " letter; capped by what is left of the context's shutdownTimeout")
    private String drainTimeout = "30s";
    @UriParam(defaultValue = "data/dead-letter", description = "Where undelivered messages go; checked at start-up: it"
            + " must be creatable and writable")
    private String deadLetterDirectory = "data/dead-letter";
    @UriParam(description = "The dead-letter file name; default: the sink's name followed by -{date}.jsonl")
    private String deadLetterFileName;
    @UriParam(label = "security", defaultValue = "600",
              description = "The permissions of new dead-letter files, octal (600) or rwx (rw-------); blank: the umask")
    private String deadLetterFilePermissions = "600";
    @UriParam(label = "advanced", description = "The clock that dates dead letters (for tests)")
    private Clock clock = Clock.systemDefaultZone();

    private final Set<HttpSinkProducer> producers = new CopyOnWriteArraySet<>();
    private DeadLetterFile deadLetter;
    private SinkMetersByRoute meters;
    private Map<String, String> requestHeaders;
    private Duration connectTimeoutValue;
    private Duration responseTimeoutValue;
    private Duration drainTimeoutValue;
    private Backoff backoff;
    private long maxDelayMillis;
    private long maxBufferBytesValue;
    private HttpSinkHealth health;

    public HttpSinkEndpoint(String uri, HttpSinkComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public Producer createProducer() {
        return new HttpSinkProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new RuntimeCamelException("sink-http is a sink: it can only be sent to"); // a producer-only endpoint, as Camel's log: endpoint answers a consumer
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String sink = "sink-http:" + name;
        SinkOptions.check(batchSize >= 1, sink + ": batchSize must be at least 1, was " + batchSize);
        SinkOptions.check(bufferSize >= 1, sink + ": bufferSize must be at least 1, was " + bufferSize);
        maxBufferBytesValue = SinkOptions.size(sink, "maxBufferBytes", maxBufferBytes);
        SinkOptions.check(maxBufferBytesValue >= 1,
                sink + ": maxBufferBytes must be at least 1, was " + maxBufferBytes);
        SinkOptions.check(maxRetries >= -1, sink + ": maxRetries must be -1 (for ever) or more, was " + maxRetries);
        SinkOptions.check(multiplier >= 1.0, sink + ": multiplier must be at least 1.0, was " + multiplier);
        // 0 is refused: HttpClient reads a 0 timeout as none at all, and a 0 delay retries in a hot loop
        connectTimeoutValue = SinkOptions.duration(sink, "connectTimeout", connectTimeout, true);
        responseTimeoutValue = SinkOptions.duration(sink, "responseTimeout", responseTimeout, true);
        Duration firstDelay = SinkOptions.duration(sink, "initialDelay", initialDelay, true);
        Duration longestDelay = SinkOptions.duration(sink, "maxDelay", maxDelay, true);
        SinkOptions.check(longestDelay.compareTo(firstDelay) >= 0,
                sink + ": maxDelay (" + maxDelay + ") must not be shorter than"
                        + " initialDelay (" + initialDelay + ")");
        drainTimeoutValue = SinkOptions.duration(sink, "drainTimeout", drainTimeout, false);
        backoff = new Backoff(firstDelay, multiplier, longestDelay, 0);
        maxDelayMillis = longestDelay.toMillis();
        Map<String, String> plain = HttpHeaderOptions.parse(sink, "headers", headers);
        HttpHeaderOptions.refuseCredentials(sink, plain);
        requestHeaders = new LinkedHashMap<>(plain);
        requestHeaders.putAll(HttpHeaderOptions.parse(sink, "secretHeaders", secretHeaders));
        String fileName = deadLetterFileName == null || deadLetterFileName.isBlank()
                ? name + "-{date}.jsonl" : deadLetterFileName;
        deadLetter = new DeadLetterFile(Path.of(deadLetterDirectory),
                new FileNamePattern(fileName, "yyyy-MM-dd", ZoneId.systemDefault()), clock,
                SinkOptions.permissions(sink, "deadLetterFilePermissions", deadLetterFilePermissions));
        deadLetter.checkWritable(sink + ": deadLetterDirectory");
        if (meters == null) {
            meters = SinkMetersByRoute.register(this, name);
        }
        health = HttpSinkHealth.register(getCamelContext(), sink,
                () -> producers.stream().map(HttpSinkProducer::delivery));
    }

    @Override
    protected void doStop() throws Exception {
        if (health != null) {
            health.unregister(getCamelContext());
            health = null;
        }
        super.doStop();
    }

    /** The meters of the route the message belongs to. */
    SinkMeters metersOf(Exchange exchange) {
        return meters.of(exchange);
    }

    HttpPoster createPoster() {
        return new HttpPoster(getCamelContext(), url, batchSize > 1, contentType, requestHeaders, connectTimeoutValue,
                responseTimeoutValue, clock);
    }

    HttpDelivery createDelivery(Function<List<Object>, HttpAttempt> poster) {
        return new HttpDelivery(name, batchSize, bufferSize, maxBufferBytesValue, maxRetries, backoff, maxDelayMillis,
                drainTimeoutValue,
                StopBudget.of(getCamelContext()), poster, this::deadLetter,
                getCamelContext().getExecutorServiceManager());
    }

    void register(HttpSinkProducer producer) {
        producers.add(producer);
    }

    void unregister(HttpSinkProducer producer) {
        producers.remove(producer);
    }

    /** Messages buffered or being delivered, over all routes that use this sink. */
    public int getPending() {
        return producers.stream().mapToInt(HttpSinkProducer::pending).sum();
    }

    /** Bytes (text: characters) of the messages buffered or being delivered, over all routes that use this sink. */
    public long getBufferedBytes() {
        return sum(HttpDelivery::bufferedBytes);
    }

    /**
     * Throwables (Errors included) that escaped the delivery of a batch, or ended a delivery thread; each is logged at
     * ERROR and its batch is dead-lettered.
     */
    public long getDeliveryErrorCount() {
        return sum(HttpDelivery::deliveryErrorCount);
    }

    /** Messages delivered since the producers started. */
    public long getDeliveredCount() {
        return sum(HttpDelivery::deliveredCount);
    }

    /** Retries made (each failed attempt that was tried again). */
    public long getRetryCount() {
        return sum(HttpDelivery::retryCount);
    }

    /** Messages written to the dead letter. */
    public long getDeadLetteredCount() {
        return sum(HttpDelivery::deadLetteredCount);
    }

    /** Where the next dead letter goes. */
    public Path getDeadLetterFile() {
        return deadLetter == null ? null : deadLetter.currentFile();
    }

    private long sum(ToLongFunction<HttpDelivery> counter) {
        return producers.stream().map(HttpSinkProducer::delivery).mapToLong(counter).sum();
    }

    private void deadLetter(List<Object> messages, int attempts, Integer status, Exception cause) throws Exception {
        List<String> records = new ArrayList<>(messages.size());
        for (Object message : messages) {
            records.add(DeadLetterRecord.toJson(message, "sink-http:" + name, attempts, status, cause,
                    clock.instant()));
        }
        deadLetter.append(records);
    }

    public String getName() {
        return name;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getBufferSize() {
        return bufferSize;
    }

    public void setBufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    public String getMaxBufferBytes() {
        return maxBufferBytes;
    }

    public void setMaxBufferBytes(String maxBufferBytes) {
        this.maxBufferBytes = maxBufferBytes;
    }

    public String getHeaders() {
        return headers;
    }

    public void setHeaders(String headers) {
        this.headers = headers;
    }

    public String getSecretHeaders() {
        return secretHeaders;
    }

    public void setSecretHeaders(String secretHeaders) {
        this.secretHeaders = secretHeaders;
    }

    public String getDeadLetterFilePermissions() {
        return deadLetterFilePermissions;
    }

    public void setDeadLetterFilePermissions(String deadLetterFilePermissions) {
        this.deadLetterFilePermissions = deadLetterFilePermissions;
    }

    public String getContentType() {
        return contentType;
    }

    public void setContentType(String contentType) {
        this.contentType = contentType;
    }

    public String getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(String connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public String getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(String responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public String getInitialDelay() {
        return initialDelay;
    }

    public void setInitialDelay(String initialDelay) {
        this.initialDelay = initialDelay;
    }

    public double getMultiplier() {
        return multiplier;
    }

    public void setMultiplier(double multiplier) {
        this.multiplier = multiplier;
    }

    public String getMaxDelay() {
        return maxDelay;
    }

    public void setMaxDelay(String maxDelay) {
        this.maxDelay = maxDelay;
    }

    public String getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(String drainTimeout) {
        this.drainTimeout = drainTimeout;
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

    public Clock getClock() {
        return clock;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }
}
