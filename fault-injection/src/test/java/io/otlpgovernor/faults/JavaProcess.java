package io.otlpgovernor.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One JVM of the system under test, started from a main class on the shared classpath. Standard input is
 * /dev/null and both output streams are appended to one log file, so a restarted process keeps its history in the
 * same file. {@link #kill()} is SIGKILL: nothing in the process gets a chance to clean up, which is the point.
 */
final class JavaProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;

    /**
     * @param name      used in messages and as the log file's name
     * @param jvmArgs   heap limits and system properties
     * @param mainClass run with {@link ProcessClasspath#get()}
     * @param args      program arguments
     * @param logDir    where {@code <name>.log} is written
     */
    JavaProcess(
            String name,
            List<String> jvmArgs,
            String mainClass,
            List<String> args,
            Map<String, String> environment,
            Path logDir) {
        this.name = name;
        this.environment = Map.copyOf(environment);
        this.log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(ProcessClasspath.get());
        command.add(mainClass);
        command.addAll(args);
        this.command = List.copyOf(command);
    }

    /** Starts the process; a second call after {@link #kill()} restarts it with the same arguments and data. */
    JavaProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
            // If the test JVM itself is stopped (Ctrl-C, a build timeout), its children must not outlive it.
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "kill-" + name));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Waits for a process that ends by itself (a tool) and returns its exit status. */
    int awaitExit(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                kill();
                throw new IllegalStateException(name + " did not finish within " + seconds + " s:\n" + tail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, and waits until the process is gone so that its ports and files are free for a restart. */
    void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
    }

    /** SIGSTOP: the process stays, holds its sockets and answers nothing, like a machine in a long GC or swap storm. */
    void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The last lines of the log, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the process (SIGKILL works on a frozen process too). */
    @Override
    public void close() {
        kill();
    }
}
