package io.wslistener.security;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Everything logged while open, by every logger, in memory: the levels of the standalone application (INFO for all,
 * so Camel's and Vert.x's lines too) and DEBUG for ws-listener's own loggers. Each entry is the level, the logger, the
 * formatted message and the stack trace of an attached exception, as a log file would show them.
 */
final class AllLogs implements AutoCloseable {

    private final List<String> entries = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;
    private final Level rootLevel;
    private final LoggerConfig ours;
    private final Level oursLevel;

    AllLogs() {
        appender = new AbstractAppender("all-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder entry = new StringBuilder()
                        .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
                        .append(event.getMessage().getFormattedMessage());
                if (event.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    event.getThrown().printStackTrace(new PrintWriter(trace));
                    entry.append('\n').append(trace);
                }
                entries.add(entry.toString());
            }
        };
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        rootLevel = root.getLevel();
        root.setLevel(Level.INFO);
        root.addAppender(appender, Level.ALL, null);
        ours = config.getLoggerConfig("io.wslistener");
        oursLevel = ours.getLevel();
        ours.setLevel(Level.DEBUG); // additive: its events reach the root's appenders, this one included
        context.updateLoggers();
    }

    List<String> entries() {
        return List.copyOf(entries);
    }

    /** The entries that contain the text, for assertion messages. */
    List<String> containing(String text) {
        return entries.stream().filter(entry -> entry.contains(text)).toList();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(appender.getName());
        config.getRootLogger().setLevel(rootLevel);
        ours.setLevel(oursLevel);
        context.updateLoggers();
        appender.stop();
    }
}
