package io.wslistener.source;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the lines logged under one logger name while open, as "LEVEL message", for assertions on what an operator
 * would read.
 */
public final class LogCapture implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private final AbstractAppender appender;

    public LogCapture(String loggerName) {
        logger = (Logger) LogManager.getLogger(loggerName);
        appender = new AbstractAppender("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        logger.addAppender(appender);
        if (!logger.isEnabled(Level.INFO)) {
            logger.setLevel(Level.INFO);
        }
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public boolean contains(String level, String text) {
        return lines.stream().anyMatch(line -> line.startsWith(level + " ") && line.contains(text));
    }

    @Override
    public void close() {
        logger.removeAppender(appender);
        appender.stop();
    }
}
