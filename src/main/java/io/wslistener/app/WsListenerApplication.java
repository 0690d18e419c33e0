package io.wslistener.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/**
 * The standalone ws-listener: camel-main with the YAML routes of {@code routes/} and {@code application.properties}
 * from the working directory, or the copies inside the jar when those are absent.
 * <p>
 * Besides camel-main's own options it takes {@code --routes DIR} and {@code --properties FILE}.
 */
public final class WsListenerApplication {

    static final String BUNDLED = "classpath:ws-listener/";

    private WsListenerApplication() {
    }

    public static void main(String[] args) {
        // our log configuration for the standalone process only; a host application keeps its own
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "ws-listener/log4j2.properties");
        }
        String invalidLogFormat = LogFormat.apply(propertiesFile(args));
        if (invalidLogFormat != null) {
            System.err.println("ws-listener could not start: " + invalidLogFormat);
            System.exit(1);
        }
        int code = run(args);
        System.exit(code);
    }

    /** Runs until shut down (SIGTERM, Ctrl-C); returns the exit code. */
    public static int run(String[] args) {
        Main main = createMain(args);
        try {
            return main.run(camelArgs(args));
        } catch (Exception e) {
            LoggerFactory.getLogger(WsListenerApplication.class).error("ws-listener could not start: {}", describe(e));
            return 1;
        }
    }

    /** A camel-main configured the way the standalone application runs, not yet started. */
    public static Main createMain(String[] args) {
        String properties = option(args, "--properties");
        String routes = option(args, "--routes");
        Main main = new Main();
        if (properties != null) {
            main.setDefaultPropertyPlaceholderLocation("file:" + properties);
        } else if (Files.isRegularFile(Path.of("application.properties"))) {
            main.setDefaultPropertyPlaceholderLocation("file:application.properties");
        } else {
            main.setDefaultPropertyPlaceholderLocation(BUNDLED + "application.properties");
        }
        if (routes != null) {
            main.addOverrideProperty("camel.main.routesIncludePattern", "file:" + routes + "/*.yaml");
        } else if (!Files.isDirectory(Path.of("routes"))) {
            main.addOverrideProperty("camel.main.routesIncludePattern", BUNDLED + "routes/*.yaml");
        }
        main.addMainListener(new DemoFeedStarter());
        return main;
    }

    /** The properties file createMain will use, or null for the copy inside the jar. */
    static Path propertiesFile(String[] args) {
        String properties = option(args, "--properties");
        if (properties != null) {
            return Path.of(properties);
        }
        return Files.isRegularFile(Path.of("application.properties")) ? Path.of("application.properties") : null;
    }

    private static String option(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }

    private static String[] camelArgs(String[] args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--properties") || args[i].equals("--routes")) {
                i++;
            } else {
                rest.add(args[i]);
            }
        }
        return rest.toArray(String[]::new);
    }

    /** The chain of causes in one line: Camel wraps the one that names the file or option several times. */
    public static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && text.indexOf(message) < 0) {
                if (!text.isEmpty()) {
                    text.append(System.lineSeparator()).append("  caused by: ");
                }
                text.append(message);
            }
        }
        return text.toString();
    }
}
