package io.wslistener.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

import io.wslistener.support.WsListenerProperty;

/**
 * The console log format of the standalone process, {@code wslistener.log.format = text} (default) or {@code json}
 * (JSON lines, log4j's JSON Template Layout). Like every property it may come from {@code -D}, the environment
 * ({@code WSLISTENER_LOG_FORMAT}) or the properties file; but logging starts before camel-main reads that file, so it
 * is looked up here first and handed to log4j as a system property, which {@code ws-listener/log4j2.properties}
 * chooses its appender by.
 */
final class LogFormat {

    static final String PROPERTY = WsListenerProperty.LOG_FORMAT.key();
    static final String ENVIRONMENT = "WSLISTENER_LOG_FORMAT";
    private static final Set<String> FORMATS = Set.of("text", "json");

    private LogFormat() {
    }

    /**
     * Sets the system property log4j reads.
     *
     * @param propertiesFile the application properties file in use, or null for the copy inside the jar
     * @return null, or why the value is not valid
     */
    static String apply(Path propertiesFile) {
        String raw = System.getProperty(PROPERTY);
        if (raw == null) {
            raw = System.getenv(ENVIRONMENT);
        }
        if (raw == null) {
            raw = fromFile(propertiesFile);
        }
        String format = raw == null || raw.isBlank() ? WsListenerProperty.LOG_FORMAT.defaultValue()
                : raw.trim().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            return "Invalid " + PROPERTY + " '" + raw.trim() + "': use text or json";
        }
        System.setProperty(PROPERTY, format);
        return null;
    }

    private static String fromFile(Path file) {
        Properties properties = new Properties();
        try {
            if (file != null) {
                if (!Files.isRegularFile(file)) {
                    return null; // camel-main says what is wrong with it
                }
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    properties.load(in);
                }
            } else {
                try (InputStream in = LogFormat.class.getClassLoader()
                        .getResourceAsStream("ws-listener/application.properties")) {
                    if (in == null) {
                        return null;
                    }
                    properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return null; // camel-main reports an unreadable file with its own error
        }
        return properties.getProperty(PROPERTY);
    }
}
