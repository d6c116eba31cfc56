package io.otlpgovernor.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.otlpgovernor.bridge.BridgeTestSupport.ACME_KEY;
import static io.otlpgovernor.bridge.BridgeTestSupport.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenTelemetry JavaScript SDK, run by Node, exporting through its own OTLP exporters from npm — HTTP with JSON
 * bodies and gRPC — to the bridge ({@code src/test/node/export-spans.mjs}; the exact packages are pinned in its
 * {@code package-lock.json} and installed with {@code npm ci}, by {@code .ci/run} or here when missing).
 */
class NodeClientIT {

    private static final Path CLIENT_DIR = Path.of("src/test/node");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    private static EmbeddedKafkaBroker broker;
    private static IngestBridge bridge;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isDirectory(CLIENT_DIR.resolve("node_modules"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        broker = BridgeTestSupport.startBroker(workDir.resolve("kafka"));
        bridge = IngestBridge.start(BridgeTestSupport.config(broker.bootstrapServers()), ApiKeys.of(KEYS));
    }

    @AfterAll
    static void stop() {
        if (bridge != null) {
            bridge.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void nodeHttpJsonExporterDeliversEverySpanUnderItsTenant() throws Exception {
        JsonNode result =
                export("http", "http://localhost:" + bridge.httpPort() + "/v1/traces", ACME_KEY, "node-http", 4);

        assertThat(result.get("code").asInt()).as(result.toString()).isZero();
        assertThat(spanNamesOf("acme")).containsAll(names(result));
    }

    @Test
    void nodeGrpcExporterDeliversEverySpanUnderItsTenant() throws Exception {
        JsonNode result = export("grpc", "http://localhost:" + bridge.grpcPort(), ACME_KEY, "node-grpc", 3);

        assertThat(result.get("code").asInt()).as(result.toString()).isZero();
        assertThat(spanNamesOf("acme")).containsAll(names(result));
    }

    @Test
    void nodeExportersFailWithAWrongKeyAndWriteNothing() throws Exception {
        JsonNode http = export(
                "http",
                "http://localhost:" + bridge.httpPort() + "/v1/traces",
                "wrong-key-00000000000",
                "node-denied",
                1);
        JsonNode grpc =
                export("grpc", "http://localhost:" + bridge.grpcPort(), "wrong-key-00000000000", "node-denied-grpc", 1);

        assertThat(http.get("code").asInt()).isNotZero();
        assertThat(grpc.get("code").asInt()).isNotZero();
        JsonNode marker =
                export("http", "http://localhost:" + bridge.httpPort() + "/v1/traces", ACME_KEY, "node-marker", 1);
        List<String> written = spanNamesOf("acme");
        assertThat(written).containsAll(names(marker)).noneMatch(name -> name.startsWith("node-denied"));
    }

    private static JsonNode export(String transport, String endpoint, String key, String prefix, int count)
            throws Exception {
        String output = run(
                List.of("node", "export-spans.mjs", transport, endpoint, key, prefix, Integer.toString(count)), 120);
        String[] lines = output.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    private static List<String> names(JsonNode result) {
        List<String> names = new ArrayList<>();
        result.get("names").forEach(name -> names.add(name.asText()));
        return names;
    }

    private static List<String> spanNamesOf(String tenant) {
        try (CommittedTopicReader reader =
                new CommittedTopicReader(broker.bootstrapServers(), List.of(Signal.SPANS.inputTopic()))) {
            // Everything the exporter was told succeeded is already in Kafka; read until the reader has caught up.
            org.awaitility.Awaitility.await()
                    .atMost(BridgeTestSupport.TIMEOUT)
                    .until(() -> !reader.poll().isEmpty());
            List<String> before;
            do {
                before = BridgeTestSupport.spanNames(reader.records(), tenant);
            } while (BridgeTestSupport.spanNames(reader.poll(), tenant).size() != before.size());
            return before;
        }
    }

    /** Runs {@code command} in the Node client's folder; fails the test if it fails or takes too long. */
    private static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(workDir, "node", ".log");
        Process process = new ProcessBuilder(command)
                .directory(CLIENT_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(command + " failed:\n" + output).isZero();
        return output;
    }
}
