package io.otlpgovernor.bridge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.otlpgovernor.bridge.BridgeTestSupport.ACME_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bridge as its own process ({@code BridgeMain}), as it runs in production: configured by a file and
 * environment overrides, logging JSON lines, and on SIGTERM answering what is in flight and flushing the producer,
 * so every acknowledged request is in Kafka.
 */
class BridgeMainIT {

    private static final Pattern LISTENING =
            Pattern.compile("Bridge listening: OTLP/gRPC (\\d+), OTLP/HTTP (\\d+), admin (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    @Test
    void logsJsonWithoutSecretsAndDrainsOnSigterm() throws Exception {
        String secret = "never-logged-secret-key-000001";
        EmbeddedKafkaBroker broker = BridgeTestSupport.startBroker(workDir.resolve("kafka"));
        Path keys = Files.writeString(
                workDir.resolve("keys.yaml"),
                "tenants:\n  acme:\n    key-sha256: [\"" + ApiKeys.sha256(ACME_KEY) + "\"]\n");
        Path config = Files.writeString(workDir.resolve("bridge.yaml"), """
                grpc: {port: 0}
                http: {port: 0}
                admin: {port: 0}
                keys-file: %s
                kafka: {bootstrap-servers: "localhost:1"}
                """.formatted(keys));
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        BridgeMain.class.getName(),
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("bridge.log").toFile());
        builder.environment().put("OTLP_BRIDGE_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        Process bridge = builder.start();
        Path log = workDir.resolve("bridge.log");
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            await().atMost(BridgeTestSupport.TIMEOUT)
                    .until(() -> LISTENING.matcher(Files.readString(log)).find());
            Matcher ports = Files.readAllLines(log).stream()
                    .map(LISTENING::matcher)
                    .filter(Matcher::find)
                    .findFirst()
                    .orElseThrow();
            int httpPort = Integer.parseInt(ports.group(2));
            assertThat(post(httpPort, OtlpFixtures.spans("refused", 1), secret)).isEqualTo(401);

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                load.add(clients.submit(() -> sendUntilRefused(httpPort, acknowledged)));
            }
            await().atMost(BridgeTestSupport.TIMEOUT).until(() -> acknowledged.size() >= 30);

            bridge.destroy(); // SIGTERM

            assertThat(bridge.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (Future<?> client : load) {
                client.get(60, TimeUnit.SECONDS);
            }
            List<String> output = Files.readAllLines(log);
            assertThat(output)
                    .isNotEmpty()
                    .allSatisfy(line ->
                            assertThat(JSON.readTree(line).isObject()).as(line).isTrue());
            assertThat(messages(output)).contains("Bridge stopped").anyMatch(m -> m.contains("unknown API key"));
            assertThat(output).noneMatch(line -> line.contains(secret));
            try (CommittedTopicReader topic =
                    new CommittedTopicReader(broker.bootstrapServers(), List.of(Signal.SPANS.inputTopic()))) {
                await().atMost(BridgeTestSupport.TIMEOUT)
                        .until(() -> BridgeTestSupport.spanNames(topic.poll(), "acme")
                                .containsAll(acknowledged));
            }
        } finally {
            clients.shutdownNow();
            bridge.destroyForcibly();
            broker.close();
        }
    }

    /** Sends one-span requests until the bridge stops answering; records what it acknowledged. */
    private static Void sendUntilRefused(int port, Set<String> acknowledged) {
        for (int i = 0; i < 100_000; i++) {
            ExportTraceServiceRequest request = OtlpFixtures.spans("drain", 1);
            try {
                if (post(port, request, ACME_KEY) != 200) {
                    return null;
                }
                acknowledged.add(
                        request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName());
            } catch (IOException e) {
                return null; // the listener is closed: the bridge has stopped taking requests
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static int post(int port, ExportTraceServiceRequest request, String key)
            throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/traces"))
                                .header("Content-Type", "application/x-protobuf")
                                .header("Authorization", "Bearer " + key)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static List<String> messages(List<String> jsonLines) throws IOException {
        List<String> messages = new ArrayList<>();
        for (String line : jsonLines) {
            JsonNode message = JSON.readTree(line).get("message");
            messages.add(message == null ? "" : message.asText());
        }
        return messages;
    }
}
