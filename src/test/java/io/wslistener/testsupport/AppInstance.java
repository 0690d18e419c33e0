package io.wslistener.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.wslistener.app.WsListenerApplication;

/**
 * The standalone application in a JVM of its own, started the way a user starts it ({@code WsListenerApplication
 * --properties FILE [--routes DIR]}) from the project directory, with the test classpath. Its output goes to a log
 * file, which the tests read to know when it has started and print when something fails.
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
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                WsListenerApplication.class.getName(), "--properties", properties.toString()));
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
