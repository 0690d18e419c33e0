package io.wslistener.sink.file;

import io.wslistener.sink.SinkMetersByRoute;
import io.wslistener.sink.FileNamePattern;
import io.wslistener.sink.deadletter.DeadLetterFile;
import io.wslistener.sink.deadletter.DeadLetterRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.wslistener.metrics.SinkMeters;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
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
    @UriParam(defaultValue = "jsonl", enums = "jsonl,lines,raw", description = "Record format")
    private String format = "jsonl";
    @UriParam(defaultValue = "yyyy-MM-dd", description = "The date pattern of {date} (java.time.format.DateTimeFormatter)")
    private String datePattern = "yyyy-MM-dd";
    @UriParam(description = "The time zone of {date}, such as UTC or Europe/Paris; default: the system's")
    private String timeZone;
    @UriParam(defaultValue = "0", description = "Roll to .1, .2, ... when a file would grow past this size"
                                                + " (bytes, or with KB, MB, GB); 0 for no limit")
    private String maxFileSize = "0";
    @UriParam(defaultValue = "flush", enums = "flush,fsync", description = "What happens at the end of a batch")
    private String durability = "flush";
    @UriParam(defaultValue = "1000", description = "Flush after this many messages even when a batch goes on")
    private int flushEvery = 1000;
    @UriParam(defaultValue = "1s", javaType = "java.time.Duration",
              description = "Flush what has waited this long; 0 for no timed flush")
    private Duration flushInterval = Duration.ofSeconds(1);
    @UriParam(label = "advanced", defaultValue = "65536", description = "Write buffer size in bytes")
    private int bufferSize = 64 * 1024;
    @UriParam(description = "Where messages that cannot be written go; default: the dead-letter folder of directory")
    private String deadLetterDirectory;
    @UriParam(defaultValue = "file-sink-{date}.jsonl", description = "The dead-letter file name")
    private String deadLetterFileName = "file-sink-{date}.jsonl";
    @UriParam(label = "advanced", description = "The clock that dates the files (for tests)")
    private Clock clock = Clock.systemDefaultZone();

    private RecordFormat recordFormat;
    private RollingFileWriter writer;
    private DeadLetterFile deadLetter;
    private SinkMetersByRoute meters;

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
        throw new UnsupportedOperationException("sink-file is a sink: it can only be sent to");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        recordFormat = RecordFormat.of(format);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        meters = new SinkMetersByRoute(getCamelContext(), name);
        if (flushEvery < 1) {
            throw new IllegalArgumentException("flushEvery must be at least 1, was " + flushEvery);
        }
        if (bufferSize < 1024) {
            throw new IllegalArgumentException("bufferSize must be at least 1024, was " + bufferSize);
        }
        ZoneId zone = timeZone == null || timeZone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(timeZone.trim());
        Path dir = Path.of(directory);
        Path deadLetterDir = deadLetterDirectory == null ? dir.resolve("dead-letter") : Path.of(deadLetterDirectory);
        deadLetter = new DeadLetterFile(deadLetterDir, new FileNamePattern(deadLetterFileName, datePattern, zone), clock);
        writer = new RollingFileWriter(dir.resolve(fileName).toString(), dir, new FileNamePattern(fileName, datePattern, zone),
                parseSize(maxFileSize), Durability.of(durability), bufferSize, flushEvery, flushInterval, clock,
                ((FileSinkComponent) getComponent()).flushScheduler(), this::deadLetter);
        ServiceHelper.startService(writer);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(writer);
        super.doStop();
    }

    /** The meters of the route the message belongs to. */
    SinkMeters metersOf(Exchange exchange) {
        return meters.of(exchange);
    }

    void write(Object body, boolean endOfBatch, SinkMeters routeMeters) throws Exception {
        byte[] record;
        try {
            record = recordFormat.encode(body);
        } catch (RuntimeException e) {
            deadLetter(List.of(body), e);
            routeMeters.deadLettered();
            return;
        }
        writer.append(body, record, routeMeters);
        if (endOfBatch) {
            writer.flush();
        }
    }

    void flush() throws Exception {
        if (writer != null && writer.isStarted()) {
            writer.flush();
        }
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

    static long parseSize(String size) {
        String text = size.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (text.endsWith("KB")) {
            unit = 1024;
        } else if (text.endsWith("MB")) {
            unit = 1024 * 1024;
        } else if (text.endsWith("GB")) {
            unit = 1024L * 1024 * 1024;
        }
        String number = unit == 1 ? text : text.substring(0, text.length() - 2).trim();
        try {
            long value = Long.parseLong(number) * unit;
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("maxFileSize must be a size such as 0, 1048576, 512KB, 100MB or 1GB; was '"
                                               + size + "'", e);
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

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
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

    public String getDurability() {
        return durability;
    }

    public void setDurability(String durability) {
        this.durability = durability;
    }

    public int getFlushEvery() {
        return flushEvery;
    }

    public void setFlushEvery(int flushEvery) {
        this.flushEvery = flushEvery;
    }

    public Duration getFlushInterval() {
        return flushInterval;
    }

    public void setFlushInterval(Duration flushInterval) {
        this.flushInterval = flushInterval;
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
