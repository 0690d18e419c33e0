package io.wslistener.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.wslistener.app.WsListenerApplication;

/**
 * The shipped application in a JVM of its own, started the way a user starts it ({@code java -jar
 * target/ws-listener.jar --properties FILE [--routes DIR]}) from the project directory: the jar and its {@code lib/},
 * its logging configuration, nothing of the test classpath. So the tests that use it run after {@code package}: they
 * are named {@code *IT} and run by failsafe in {@code mvn verify}. Its output goes to a log file, which the tests read
 * to know when it has started and print when something fails.
 */
public final class AppInstance implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private AppInstance(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Writes {@code dir/application.properties}: the shipped properties as a user starts the jar with them, the
     * embedded demo feed off, then {@code lines} (the test's servers, a free management port, its settings), which
     * override what the shipped file says.
     */
    public static Path shippedProperties(Path dir, String... lines) throws IOException {
        StringBuilder text = new StringBuilder(Files.readString(Path.of("application.properties"))).append('\n')
                .append("wslistener.demo.enabled = false\n");
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return Files.writeString(dir.resolve("application.properties"), text);
    }

    public static AppInstance start(String name, Path dir, Path properties, String... moreArgs) throws IOException {
        return start(name, dir, List.of(), properties, moreArgs);
    }

    /** The same, with options for the JVM ({@code -Dname=value}). */
    public static AppInstance start(String name, Path dir, List<String> jvmOptions, Path properties, String... moreArgs)
            throws IOException {
        return start(name, dir, jvmOptions, Map.of(), properties, moreArgs);
    }

    /** The same, with environment variables added to the test's own. */
    public static AppInstance start(String name, Path dir, List<String> jvmOptions, Map<String, String> environment,
                                    Path properties, String... moreArgs)
            throws IOException {
        return start(name, dir, jvmOptions, environment, List.of(), properties, moreArgs);
    }

    /**
     * The same, with classes of the tests beside the jar: beans a test's YAML names (a {@code urlProvider}, say),
     * copied to a directory of their own so that nothing else of the test classpath (its logging configuration) comes
     * along.
     */
    public static AppInstance start(String name, Path dir, List<String> jvmOptions, Map<String, String> environment,
                                    List<Class<?>> testClasses, Path properties, String... moreArgs)
            throws IOException {
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        if (testClasses.isEmpty()) {
            command.addAll(List.of("-jar", shippedJar().toString()));
        } else {
            // the jar's manifest Class-Path (lib/) applies on -cp as with -jar
            command.addAll(List.of("-cp", shippedJar() + File.pathSeparator + copied(testClasses, dir.resolve(name
                    + "-classes")), WsListenerApplication.class.getName()));
        }
        command.addAll(List.of("--properties", properties.toString()));
        command.addAll(List.of(moreArgs));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new AppInstance(name, process, log);
    }

    /** {@code target/ws-listener.jar}, as {@code mvn package} builds it. */
    public static Path shippedJar() {
        Path jar = Path.of("target", "ws-listener.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: tests that start the shipped jar are *IT classes, run by "
                            + "mvn verify after package (or run mvn package -DskipTests first)");
        }
        return jar;
    }

    private static Path copied(List<Class<?>> classes, Path directory) throws IOException {
        for (Class<?> type : classes) {
            String resource = type.getName().replace('.', '/') + ".class";
            try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalArgumentException("no class file for " + type.getName());
                }
                Path target = directory.resolve(resource);
                Files.createDirectories(target.getParent());
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return directory;
    }

    public String name() {
        return name;
    }

    /** True once camel-main has logged that the CamelContext started. */
    public boolean started() {
        return logText().contains(") started in ");
    }

    /** SIGKILL: no shutdown hook, no drain, no release of anything; the OS closes the sockets and file locks. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: camel-main's graceful shutdown (routes drain and close, then services stop). Returns at once. */
    public void stopGracefully() {
        process.destroy();
    }

    /** Waits for the process to end; its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not exit within 60 s");
        }
        return process.exitValue();
    }

    public String logText() {
        try {
            return Files.isRegularFile(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of the log, for failure messages. */
    public String logTail() {
        List<String> lines = logText().lines().toList();
        return "--- " + name + " ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
