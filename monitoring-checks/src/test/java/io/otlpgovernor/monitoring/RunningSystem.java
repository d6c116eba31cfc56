package io.otlpgovernor.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.MessageLite;
import io.otlpgovernor.bridge.BridgeConfig;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.local.LocalStack;
import io.otlpgovernor.local.LocalStackOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The system as {@code ./otlp-governor local} runs it — embedded Kafka broker, the governance job on a local Flink
 * cluster with the Prometheus reporter, the ingest bridge with its metrics endpoint — on free ports, with a client
 * for each way in (OTLP/HTTP through the bridge, raw Kafka records) and for both {@code /metrics} endpoints.
 */
final class RunningSystem implements AutoCloseable {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(20);

    private final LocalStack stack;
    private final int jobMetricsPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
    private final KafkaProducer<byte[], byte[]> producer;

    private RunningSystem(LocalStack stack, int jobMetricsPort) {
        this.stack = stack;
        this.jobMetricsPort = jobMetricsPort;
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /**
     * Starts everything under {@code workDir}, governing with the rule files in {@code rulesDirectory}; the bridge
     * knows the API keys in {@code tenantByKey}.
     */
    static RunningSystem start(Path workDir, Path rulesDirectory, Map<String, String> tenantByKey) throws Exception {
        // Checkpoints every 500 ms and reports a second after their window, so metrics move within seconds.
        JobSettings settings = new JobSettings(
                "otlp-governor-monitoring",
                1,
                128,
                new JobSettings.Kafka(null, "otlp-governor-monitoring", "otlp-governor-monitoring", "2m"),
                new JobSettings.Checkpoints("500ms", "30s", "100ms", null, true),
                new JobSettings.Restart("fixed-delay", 3, "200ms", null),
                new JobSettings.Rules(rulesDirectory.toString(), null),
                new JobSettings.Reports("1s", "1s"));
        int jobMetricsPort = freePort();
        LocalStackOptions options = new LocalStackOptions(workDir, 0, 0, 0, 0, freePort(), jobMetricsPort);
        LocalStack stack =
                LocalStack.start(options, settings, BridgeConfig.defaults(Path.of("unused")), ApiKeys.of(tenantByKey));
        return new RunningSystem(stack, jobMetricsPort);
    }

    /** Posts {@code request} as OTLP/HTTP protobuf to {@code path} (e.g. {@code /v1/traces}); returns the HTTP status. */
    int post(String path, String apiKey, MessageLite request) {
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://localhost:" + stack.httpPort() + path))
                .timeout(HTTP_TIMEOUT)
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
                .build();
        return send(post).statusCode();
    }

    /** Writes a record straight into Kafka, as a Collector's exporter would; waits for the acknowledgement. */
    void produce(String topic, byte[] key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    /** The job's metrics, as its Prometheus reporter serves them. */
    String scrapeJob() {
        return scrape(jobMetricsPort);
    }

    /** The bridge's metrics, from its admin port. */
    String scrapeBridge() {
        return scrape(stack.bridgeAdminPort());
    }

    private String scrape(int port) {
        // HTTP/1.1, as Prometheus scrapes (no h2c upgrade; a kept-alive connection the endpoint has closed is retried).
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                .version(HttpClient.Version.HTTP_1_1)
                .timeout(HTTP_TIMEOUT)
                .build();
        HttpResponse<byte[]> response = send(get);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET :" + port + "/metrics answered " + response.statusCode());
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        producer.close();
        stack.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
