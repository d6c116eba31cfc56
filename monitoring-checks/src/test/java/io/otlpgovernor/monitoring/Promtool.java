package io.otlpgovernor.monitoring;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus' {@code promtool} (Debian package {@code prometheus}). The checks rely on it: when it is missing
 * they fail, saying how to install it, rather than pass without checking anything.
 */
final class Promtool {

    private static final long TIMEOUT_SECONDS = 120;

    /** What promtool answered: its exit code and its standard output and error, together. */
    record Result(int exitCode, String output) {

        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private Promtool() {}

    /** Runs {@code promtool args…} in {@code directory}. */
    static Result run(Path directory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable().toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        // promtool's output is small; reading it to the end also waits for the process to close it.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(
                    "promtool " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return new Result(process.exitValue(), output);
    }

    /** {@code promtool} on the PATH, or the one the system property {@code promtool} names. */
    static Path executable() {
        String configured = System.getProperty("promtool");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("promtool is not installed, so the dashboard and alerts cannot be checked. "
                + "Install Debian's prometheus package, which brings it: sudo apt-get install prometheus "
                + "(or point -Dpromtool=<path> at a promtool binary).");
    }
}
