package io.wslistener.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * What is logged while open, captured in memory by a log4j2 appender (the test runtime's SLF4J binding), for
 * assertions on what an operator would read. Either one logger and those under it ({@link #LogCapture(String)}), or
 * every logger at the levels of the standalone application ({@link #everything()}).
 *
 * <p>Views: {@link #lines()} as "LEVEL message", {@link #messages()} as the message alone, {@link #entries()} as a log
 * file shows an event (level, logger, message and the stack trace of an attached exception).</p>
 */
public final class LogCapture implements AutoCloseable {

    private final List<LogEvent> events = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;
    private final Runnable detach;

    /** The lines of this logger and the loggers under it, at INFO and above (or lower, if configured lower). */
    public LogCapture(String loggerName) {
        this(appender -> {
            Logger logger = (Logger) LogManager.getLogger(loggerName);
            logger.addAppender(appender);
            if (!logger.isEnabled(Level.INFO)) {
                logger.setLevel(Level.INFO);
            }
            return () -> logger.removeAppender(appender);
        });
    }

    /**
     * Everything logged by every logger, at the levels of the standalone application: INFO for all (so Camel's and
     * Vert.x's lines too) and DEBUG for ws-listener's own loggers. The previous levels come back on {@link #close()}.
     */
    public static LogCapture everything() {
        return new LogCapture(appender -> {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            Configuration config = context.getConfiguration();
            LoggerConfig root = config.getRootLogger();
            Level rootLevel = root.getLevel();
            LoggerConfig ours = config.getLoggerConfig("io.wslistener");
            Level oursLevel = ours.getLevel();
            root.setLevel(Level.INFO);
            root.addAppender(appender, Level.ALL, null);
            ours.setLevel(Level.DEBUG); // additive: its events reach the root's appenders, this one included
            context.updateLoggers();
            return () -> {
                root.removeAppender(appender.getName());
                root.setLevel(rootLevel);
                ours.setLevel(oursLevel);
                context.updateLoggers();
            };
        });
    }

    /** @param attach attaches the started appender and returns what detaches it again */
    private LogCapture(Function<AbstractAppender, Runnable> attach) {
        appender = new AbstractAppender("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {

            @Override
            public void append(LogEvent event) {
                events.add(event.toImmutable()); // log4j may reuse the mutable event
            }
        };
        appender.start();
        detach = attach.apply(appender);
    }

    /** Each event as "LEVEL message". */
    public List<String> lines() {
        return events.stream().map(e -> e.getLevel() + " " + e.getMessage().getFormattedMessage()).toList();
    }

    /** Each event's formatted message alone. */
    public List<String> messages() {
        return events.stream().map(e -> e.getMessage().getFormattedMessage()).toList();
    }

    /** Whether a line at this level (e.g. "WARN") contains the text. */
    public boolean contains(String level, String text) {
        return lines().stream().anyMatch(line -> line.startsWith(level + " ") && line.contains(text));
    }

    /** Each event as "LEVEL logger - message", followed by the stack trace of an attached exception. */
    public List<String> entries() {
        return events.stream().map(LogCapture::entry).toList();
    }

    /** The {@link #entries()} that contain the text (a secret must be in none of them, stack traces included). */
    public List<String> containing(String text) {
        return entries().stream().filter(entry -> entry.contains(text)).toList();
    }

    private static String entry(LogEvent event) {
        StringBuilder entry = new StringBuilder()
                .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
                .append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            entry.append('\n').append(trace);
        }
        return entry.toString();
    }

    @Override
    public void close() {
        detach.run();
        appender.stop();
    }
}
