package io.otlpgovernor.local.demo;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The programs the demo-run checks drive: headless Chromium and Debian's Python with Jupyter. The checks rely on them:
 * when one is missing they fail and say how to install it, rather than pass without checking anything.
 */
final class Tools {

    /** What a program printed (standard output and error together) and its exit code; {@code -1} when it timed out. */
    record Run(int exitCode, String output) {}

    static final String NOTEBOOK_PACKAGES = "jupyter-nbconvert python3-nbformat python3-ipykernel python3-pandas "
            + "python3-matplotlib python3-kafka python3-yaml";

    private Tools() {}

    /** Chromium: the system property {@code chromium}, or {@code chromium} / {@code chromium-browser} on the PATH. */
    static Path chromium() {
        return configuredOrOnPath("chromium", List.of("chromium", "chromium-browser"))
                .orElseThrow(() -> new AssertionError(
                        "Chromium is not installed, so the Flink dashboard cannot be checked. Install Debian's chromium package: "
                                + "sudo apt-get install chromium (or point -Dchromium=<path> at a Chromium binary)."));
    }

    /**
     * Debian's {@code /usr/bin/python3} (or the system property {@code notebook.python}), checked to have every module
     * the notebooks and nbconvert need: another python3 first on the PATH often lacks them.
     */
    static Path notebookPython() throws IOException, InterruptedException {
        Path python = Path.of(System.getProperty("notebook.python", "/usr/bin/python3"));
        String hint = "Install Debian's packages: sudo apt-get install " + NOTEBOOK_PACKAGES
                + " (or point -Dnotebook.python=<path> at a python3 that has them).";
        if (!Files.isExecutable(python)) {
            throw new AssertionError(python + " does not exist, so the notebooks cannot be run. " + hint);
        }
        Run check = run(
                List.of(
                        python.toString(),
                        "-c",
                        "import nbconvert, nbformat, ipykernel, pandas, matplotlib, kafka, yaml"),
                Map.of(),
                60);
        if (check.exitCode() != 0) {
            throw new AssertionError(
                    python + " lacks modules the notebooks need (" + lastLine(check.output()) + "). " + hint);
        }
        return python;
    }

    /** Runs {@code command} with {@code environment} added, for at most {@code timeoutSeconds}. */
    static Run run(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Path log = Files.createTempFile("tool-", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Run(finished ? process.exitValue() : -1, output);
    }

    /** The last {@code lines} lines of {@code text}: where a tool says what went wrong. */
    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static String lastLine(String text) {
        return tail(text.strip(), 1);
    }

    private static Optional<Path> configuredOrOnPath(String property, List<String> names) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        for (String name : names) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
