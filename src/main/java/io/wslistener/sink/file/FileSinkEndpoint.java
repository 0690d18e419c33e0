package io.wslistener.sink.file;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.wslistener.metrics.SinkMeters;
import io.wslistener.sink.FileNamePattern;
import io.wslistener.sink.FilePermissions;
import io.wslistener.sink.SinkFailure;
import io.wslistener.sink.SinkMessages;
import io.wslistener.sink.SinkMetersByRoute;
import io.wslistener.sink.SinkOptions;
import io.wslistener.sink.WritableDirectory;
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
import org.apache.camel.support.service.ServiceHelper;

/**
 * A file sink: every producer of this endpoint (one per route step that names it) appends to the same open file,
 * so two routes naming the same URI share one writer and never interleave partial records.
 */
@UriEndpoint(firstVersion = "1.0.0", scheme = "sink-file", title = "Sink File", syntax = "sink-file:directory",
             category = { Category.FILE }, producerOnly = true)
public class FileSinkEndpoint extends DefaultEndpoint {

    @UriPath(description = "The directory the files are written to (created when missing)")
    @Metadata(required = true)
    private final String directory;
    @UriParam(defaultValue = "file-sink",
              description = "The sink's name: the sink tag of its meters. Give each file sink of a route its own name")
    private String name = "file-sink";
    @UriParam(defaultValue = "feed-{date}.jsonl",
              description = "The file name; {date} is replaced with the current date in datePattern")
    private String fileName = "feed-{date}.jsonl";
    @UriParam(defaultValue = "jsonl", enums = "jsonl,lines,raw",
              description = "Record format: jsonl (one JSON value per"
                      + " line), lines (text as received) or raw"
                      + " (4-byte big-endian length, then the bytes)")
    private RecordFormat format = RecordFormat.JSONL;
    @UriParam(defaultValue = "yyyy-MM-dd",
              description = "The date pattern of {date} (java.time.format.DateTimeFormatter)")
    private String datePattern = "yyyy-MM-dd";
    @UriParam(description = "The time zone of {date}, such as UTC or Europe/Paris; default: the system's")
    private String timeZone;
    @UriParam(defaultValue = "0", description = "Roll to .1, .2, ... when a file would grow past this size"
            + " (bytes, or with KB, MB, GB); 0 for no limit")
    private String maxFileSize = "0";
    @UriParam(defaultValue = "flush", enums = "flush,fsync",
              description = "What happens at the end of a batch: flush hands it to the operating system, fsync forces"
                      + " it to disk")
    private Durability durability = Durability.FLUSH;
    @UriParam(defaultValue = "1000", description = "Flush after this many messages even when a batch goes on")
    private int flushEvery = 1000;
    @UriParam(defaultValue = "1s", javaType = "java.time.Duration",
              description = "Flush what has waited this long, such as 500ms or 1s; 0 for no timed flush")
    private String flushInterval = "1s";
    @UriParam(defaultValue = "100ms", javaType = "java.time.Duration",
              description = "When a write fails (a full disk): the wait before the first retry. The route waits meanwhile,"
                      + " so the feed pauses")
    private String initialDelay = "100ms";
    @UriParam(defaultValue = "5s", javaType = "java.time.Duration",
              description = "When a write fails: the longest wait between retries (the waits double up to it)")
    private String maxDelay = "5s";
    @UriParam(label = "advanced", defaultValue = "65536", description = "Write buffer size in bytes")
    private int bufferSize = 64 * 1024;
    @UriParam(label = "security", description = "The permissions of new data files, octal (640) or rwx (rw-r-----);"
            + " default: the process's umask")
    private String filePermissions;
    @UriParam(description = "Where messages that cannot be written go; default: the dead-letter folder of directory."
            + " Checked at start-up: it must be creatable and writable")
    private String deadLetterDirectory;
    @UriParam(defaultValue = "file-sink-{date}.jsonl", description = "The dead-letter file name")
    private String deadLetterFileName = "file-sink-{date}.jsonl";
    @UriParam(label = "security", defaultValue = "600",
              description = "The permissions of new dead-letter files, octal (600) or rwx (rw-------); blank: the umask")
    private String deadLetterFilePermissions = "600";
    @UriParam(label = "advanced", description = "The clock that dates the files (for tests)")
    private Clock clock = Clock.systemDefaultZone();

    private RollingFileWriter writer;
    private DeadLetterFile deadLetter;
    private SinkMetersByRoute meters;
    private SinkFailure failure;

    public FileSinkEndpoint(String uri, FileSinkComponent component, String directory) {
        super(uri, component);
        this.directory = directory;
    }

    @Override
    public Producer createProducer() {
        return new FileSinkProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new RuntimeCamelException("sink-file is a sink: it can only be sent to"); // a producer-only endpoint, as Camel's log: endpoint answers a consumer
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String sink = "sink-file:" + directory;
        SinkOptions.check(name != null && !name.isBlank(), sink + ": name must not be blank");
        SinkOptions.check(flushEvery >= 1, sink + ": flushEvery must be at least 1, was " + flushEvery);
        SinkOptions.check(bufferSize >= 1024, sink + ": bufferSize must be at least 1024, was " + bufferSize);
        Duration interval = SinkOptions.duration(sink, "flushInterval", flushInterval, false);
        Duration retryDelay = SinkOptions.duration(sink, "initialDelay", initialDelay, true);
        Duration retryMaxDelay = SinkOptions.duration(sink, "maxDelay", maxDelay, true);
        SinkOptions.check(retryMaxDelay.compareTo(retryDelay) >= 0,
                sink + ": maxDelay (" + maxDelay + ") must not be shorter than"
                        + " initialDelay (" + initialDelay + ")");
        long maxSize = SinkOptions.size(sink, "maxFileSize", maxFileSize);
        FilePermissions dataPermissions = SinkOptions.permissions(sink, "filePermissions", filePermissions);
        FilePermissions deadLetterPermissions = SinkOptions.permissions(sink, "deadLetterFilePermissions",
                deadLetterFilePermissions);
        ZoneId zone = timeZone == null || timeZone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(timeZone.trim());
        Path dir = Path.of(directory);
        Path deadLetterDir = deadLetterDirectory == null || deadLetterDirectory.isBlank()
                ? dir.resolve("dead-letter") : Path.of(deadLetterDirectory);
        WritableDirectory.check(sink + ": directory", dir);
        deadLetter = new DeadLetterFile(deadLetterDir, new FileNamePattern(deadLetterFileName, datePattern, zone),
                clock,
                deadLetterPermissions);
        deadLetter.checkWritable(sink + ": deadLetterDirectory");
        if (meters == null) {
            meters = SinkMetersByRoute.register(this, name);
        }
        failure = SinkFailure.register(getCamelContext(), sink);
        RollingFileWriter.Settings settings = new RollingFileWriter.Settings(dir.resolve(fileName).toString(), dir,
                new FileNamePattern(fileName, datePattern, zone), format, maxSize, durability, bufferSize, flushEvery,
                interval, new Backoff(retryDelay, 2.0, retryMaxDelay, 0), dataPermissions, clock);
        writer = new RollingFileWriter(settings, ((FileSinkComponent) getComponent()).flushScheduler(),
                StopBudget.of(getCamelContext()), this::deadLetter, failure);
        ServiceHelper.startService(writer);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(writer);
        if (failure != null) {
            failure.unregister(getCamelContext());
        }
        super.doStop();
    }

    /** The meters of the route the message belongs to. */
    SinkMeters metersOf(Exchange exchange) {
        return meters.of(exchange);
    }

    void write(Object body, boolean endOfBatch, SinkMeters routeMeters) throws Exception {
        append(body, routeMeters);
        if (endOfBatch) {
            writer.flush();
        }
    }

    /** A batch: each message one record, in order, counted and dead-lettered one by one; one flush after the last. */
    void writeEach(List<?> bodies, Exchange exchange, boolean endOfBatch, SinkMeters routeMeters) throws Exception {
        for (Object body : bodies) {
            append(SinkMessages.messageOf(exchange, body), routeMeters);
        }
        if (endOfBatch) {
            writer.flush();
        }
    }

    private void append(Object body, SinkMeters routeMeters) throws Exception {
        byte[] record;
        try {
            record = format.encode(body);
        } catch (RuntimeException e) {
            deadLetter(List.of(body), e);
            routeMeters.deadLettered();
            return;
        }
        writer.append(body, record, format.endsWithLineBreak(), routeMeters);
    }

    /**
     * The route stops: writes out what it sent, without waiting for a failing disk (a route stop must not hang); what a
     * failing disk keeps is still held by the sink, written by its next write or dead-lettered when the sink stops.
     */
    void flushForRouteStop() throws Exception {
        if (writer != null && writer.isStarted()) {
            writer.flushWithoutWaiting();
        }
    }

    /** Torn records found at the end of a data file when it was opened (cut by a crash), since start. */
    public long getTornRecordCount() {
        return writer == null ? 0 : writer.tornRecordCount();
    }

    /** True while writes fail and are being retried (the route is held). */
    public boolean isFailing() {
        return failure != null && failure.isFailing();
    }

    /** The file written to now, or null before the first message (for tests and diagnostics). */
    public Path getCurrentFile() {
        return writer == null ? null : writer.currentFile();
    }

    private void deadLetter(List<Object> messages, Exception cause) throws Exception {
        List<String> records = new ArrayList<>(messages.size());
        for (Object message : messages) {
            records.add(DeadLetterRecord.toJson(message, "sink-file:" + directory, 1, null, cause, clock.instant()));
        }
        try {
            deadLetter.append(records);
        } catch (Exception e) {
            e.addSuppressed(cause);
            throw new IllegalStateException("File sink " + directory + ": " + messages.size()
                    + " message(s) could be written neither to the file nor to the dead letter "
                    + deadLetter.currentFile() + ": " + e.getMessage(), e);
        }
    }

    public String getDirectory() {
        return directory;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getFileName() {
        return fileName;
    }

    public void setFileName(String fileName) {
        this.fileName = fileName;
    }

    public RecordFormat getFormat() {
        return format;
    }

    public void setFormat(RecordFormat format) {
        this.format = format;
    }

    public String getDatePattern() {
        return datePattern;
    }

    public void setDatePattern(String datePattern) {
        this.datePattern = datePattern;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public String getMaxFileSize() {
        return maxFileSize;
    }

    public void setMaxFileSize(String maxFileSize) {
        this.maxFileSize = maxFileSize;
    }

    public Durability getDurability() {
        return durability;
    }

    public void setDurability(Durability durability) {
        this.durability = durability;
    }

    public int getFlushEvery() {
        return flushEvery;
    }

    public void setFlushEvery(int flushEvery) {
        this.flushEvery = flushEvery;
    }

    public String getFlushInterval() {
        return flushInterval;
    }

    public void setFlushInterval(String flushInterval) {
        this.flushInterval = flushInterval;
    }

    public String getInitialDelay() {
        return initialDelay;
    }

    public void setInitialDelay(String initialDelay) {
        this.initialDelay = initialDelay;
    }

    public String getMaxDelay() {
        return maxDelay;
    }

    public void setMaxDelay(String maxDelay) {
        this.maxDelay = maxDelay;
    }

    public String getFilePermissions() {
        return filePermissions;
    }

    public void setFilePermissions(String filePermissions) {
        this.filePermissions = filePermissions;
    }

    public String getDeadLetterFilePermissions() {
        return deadLetterFilePermissions;
    }

    public void setDeadLetterFilePermissions(String deadLetterFilePermissions) {
        this.deadLetterFilePermissions = deadLetterFilePermissions;
    }

    public int getBufferSize() {
        return bufferSize;
    }

    public void setBufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
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
