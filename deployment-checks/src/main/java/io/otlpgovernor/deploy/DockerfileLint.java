package io.otlpgovernor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Lints Dockerfiles with npm's dockerfilelint, pinned in {@code deployment-checks/src/test/node/package-lock.json}
 * and installed there by {@code npm ci}. Every finding is a problem.
 */
public final class DockerfileLint {

    private final Path nodeDirectory;

    /** @param nodeDirectory the folder with package.json and node_modules/ */
    public DockerfileLint(Path nodeDirectory) {
        this.nodeDirectory = nodeDirectory;
    }

    public Path executable() {
        return nodeDirectory.resolve("node_modules/dockerfilelint/bin/dockerfilelint");
    }

    /** Whether dockerfilelint is installed ({@code npm ci} in the node directory). */
    public boolean installed() {
        return Files.isRegularFile(executable());
    }

    public List<Problem> lint(Path dockerfile) {
        if (!installed()) {
            return List.of(new Problem(
                    dockerfile.toString(), "dockerfilelint is not installed: run npm ci in " + nodeDirectory));
        }
        try {
            Process process = new ProcessBuilder("node", executable().toString(), "-j", dockerfile.toString())
                    .redirectErrorStream(false)
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return List.of(new Problem(dockerfile.toString(), "dockerfilelint did not finish"));
            }
            JsonNode report;
            try {
                report = Manifest.JSON.readTree(out);
            } catch (IOException e) {
                return List.of(new Problem(
                        dockerfile.toString(),
                        "dockerfilelint gave no JSON report (exit " + process.exitValue() + "): " + err.trim()));
            }
            List<Problem> problems = new ArrayList<>();
            for (JsonNode file : report.path("files")) {
                for (JsonNode issue : file.path("issues")) {
                    problems.add(new Problem(
                            dockerfile + ":" + issue.path("line").asText(),
                            "dockerfilelint " + issue.path("category").asText()
                                    + ": " + issue.path("title").asText() + " — "
                                    + issue.path("description").asText()
                                    + " (" + issue.path("content").asText().trim() + ")"));
                }
            }
            return problems;
        } catch (IOException e) {
            return List.of(
                    new Problem(dockerfile.toString(), "cannot run dockerfilelint with node: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(new Problem(dockerfile.toString(), "interrupted"));
        }
    }
}
