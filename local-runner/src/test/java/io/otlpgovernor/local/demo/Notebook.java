package io.otlpgovernor.local.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One notebook of {@code notebooks/}, executed end to end by {@code jupyter nbconvert --execute} with Debian's
 * Python, against a Kafka cluster. nbconvert stops at the first failing cell and exits 1 with that cell's error.
 */
final class Notebook {

    static final Path DIRECTORY = Path.of("../notebooks");
    private static final long TIMEOUT_SECONDS = 600;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Notebook() {}

    /** The notebooks, sorted by name. */
    static List<Path> all() throws IOException {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(file -> file.toString().endsWith(".ipynb"))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Executes {@code notebook} reading from {@code bootstrapServers} and the access reports in
     * {@code accessReports}; the executed copy goes to {@code outputDir}.
     * Jupyter's and matplotlib's own files go under {@code outputDir} too, not into the home directory.
     */
    static Tools.Run execute(Path notebook, Path outputDir, String bootstrapServers, Path accessReports)
            throws IOException, InterruptedException {
        Path python = Tools.notebookPython();
        Files.createDirectories(outputDir);
        Map<String, String> environment = Map.of(
                "GOVERNOR_BOOTSTRAP_SERVERS", bootstrapServers,
                "GOVERNOR_ACCESS_REPORTS", accessReports.toAbsolutePath().toString(),
                "MPLCONFIGDIR", outputDir.resolve(".matplotlib").toString(),
                "IPYTHONDIR", outputDir.resolve(".ipython").toString(),
                "JUPYTER_RUNTIME_DIR", outputDir.resolve(".jupyter-runtime").toString(),
                "PYDEVD_DISABLE_FILE_VALIDATION", "1");
        return Tools.run(
                List.of(
                        python.toString(),
                        "-m",
                        "nbconvert",
                        "--to",
                        "notebook",
                        "--execute",
                        "--ExecutePreprocessor.timeout=300",
                        "--output-dir",
                        outputDir.toString(),
                        notebook.toString()),
                environment,
                TIMEOUT_SECONDS);
    }

    /** The outputs of an executed notebook, by type: {@code image/png}, {@code error}, {@code text}. */
    static Map<String, List<String>> outputs(Path executed) throws IOException {
        List<String> images = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (JsonNode cell : JSON.readTree(executed.toFile()).path("cells")) {
            for (JsonNode output : cell.path("outputs")) {
                if (output.path("output_type").asText().equals("error")) {
                    errors.add(output.path("ename").asText() + ": "
                            + output.path("evalue").asText());
                }
                if (output.path("data").has("image/png")) {
                    images.add(output.path("data").path("image/png").asText());
                }
                texts.add(text(output.path("text"))
                        + text(output.path("data").path("text/plain"))
                        + text(output.path("data").path("text/html")));
            }
        }
        return Map.of("image/png", images, "error", errors, "text", texts);
    }

    /** A notebook text field: a string or a list of lines. */
    private static String text(JsonNode node) {
        if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            node.forEach(line -> joined.append(line.asText()));
            return joined.toString();
        }
        return node.asText("");
    }
}
