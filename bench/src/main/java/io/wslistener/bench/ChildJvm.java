package io.wslistener.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A candidate in a JVM of its own (so that its heap, RSS and JIT are its own), with this JVM's classpath and logging
 * configuration. Its output (stdout and stderr merged) is read on a thread of its own, so the caller can wait for a
 * line with a timeout and notice a child that hangs.
 */
final class ChildJvm implements AutoCloseable {

    /** Marks the end of the child's output in {@link #nextLine}. */
    static final String EOF = "\u0000EOF";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread reader = new Thread(this::pump, "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code java <jvmOptions> -cp <this classpath> <mainClass> <args>}. */
    static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        String logConfig = System.getProperty("log4j2.configurationFile");
        if (logConfig != null) {
            command.add("-Dlog4j2.configurationFile=" + logConfig);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        return exec(command, null);
    }

    /** Any command, in {@code workingDir} (null: this JVM's). */
    static ChildJvm exec(List<String> command, Path workingDir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        return new ChildJvm(builder.start());
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The next line of output, {@link #EOF} once the child closed its output, or null after the timeout. */
    String nextLine(long timeout, TimeUnit unit) throws InterruptedException {
        return lines.poll(timeout, unit);
    }

    Process process() {
        return process;
    }

    private void pump() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("child output unreadable: " + e);
        } finally {
            lines.add(EOF);
        }
    }

    /** Asks the child to stop (SIGTERM, a graceful stop for camel-main), then kills it if it has not within the timeout. */
    void stop(long timeout, TimeUnit unit) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout, unit)) {
            process.destroyForcibly();
        }
    }

    /** Kills the child if it still runs and waits for it to be gone. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
