package io.otlpgovernor.bridge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.contract.testing.CapturedLogs;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.otlpgovernor.bridge.BridgeTestSupport.ACME_KEY;
import static io.otlpgovernor.bridge.BridgeTestSupport.KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Health endpoints, Prometheus metrics, keys reloaded while running, and no secret in answers, logs or metrics. */
class OperationsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path workDir;

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = BridgeTestSupport.startBroker(workDir.resolve("kafka"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void reportsLiveAndReadyWhileKafkaIsReachableAndNotReadyWhileItIsNot() throws Exception {
        try (IngestBridge bridge =
                        IngestBridge.start(BridgeTestSupport.config(broker.bootstrapServers()), ApiKeys.of(KEYS));
                IngestBridge orphan =
                        IngestBridge.start(BridgeTestSupport.config(BridgeTestSupport.deadKafka()), ApiKeys.of(KEYS))) {
            assertThat(get(bridge, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(bridge, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(orphan, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(orphan, "/health/ready").statusCode()).isEqualTo(503);
            assertThat(get(orphan, "/metrics").body()).contains("otlp_bridge_kafka_reachable 0.0");
        }
    }

    @Test
    void countsRequestsItemsBytesLatencyAndRejectionsPerTenantAndReason() throws Exception {
        try (IngestBridge bridge =
                IngestBridge.start(BridgeTestSupport.config(broker.bootstrapServers()), ApiKeys.of(KEYS))) {
            byte[] spans = OtlpFixtures.spans("counted", 4).toByteArray();
            assertThat(HttpEndpointIT.post(
                                    bridge,
                                    "/v1/traces",
                                    "application/x-protobuf",
                                    spans,
                                    "Authorization",
                                    "Bearer " + ACME_KEY)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(HttpEndpointIT.post(bridge, "/v1/traces", "application/x-protobuf", spans)
                            .statusCode())
                    .isEqualTo(401);

            String metrics = get(bridge, "/metrics").body();

            assertThat(metrics)
                    .contains(
                            "otlp_bridge_requests_total{outcome=\"ok\",signal=\"spans\",tenant=\"acme\",transport=\"http\"} 1.0")
                    .contains("otlp_bridge_items_total{signal=\"spans\",tenant=\"acme\"} 4.0")
                    .contains("otlp_bridge_received_bytes_total{signal=\"spans\",tenant=\"acme\",transport=\"http\"} "
                            + spans.length + ".0")
                    .contains(
                            "otlp_bridge_rejections_total{reason=\"unauthenticated\",signal=\"spans\",tenant=\"_unauthenticated\",transport=\"http\"} 1.0")
                    .contains("otlp_bridge_request_duration_seconds_count{signal=\"spans\",transport=\"http\"} 2")
                    .contains("otlp_bridge_in_flight_requests 0.0")
                    .contains("otlp_bridge_kafka_reachable 1.0")
                    .contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void neverPutsAPresentedKeyIntoAnswersLogsOrMetrics() throws Exception {
        String secret = "secret-key-that-must-never-leak-0001";
        try (CapturedLogs logs = new CapturedLogs();
                IngestBridge bridge =
                        IngestBridge.start(BridgeTestSupport.config(broker.bootstrapServers()), ApiKeys.of(KEYS))) {
            ManagedChannel channel = GrpcEndpointIT.channel(bridge);
            try {
                StatusRuntimeException grpc = catchThrowableOfType(
                        StatusRuntimeException.class,
                        () -> TraceServiceGrpc.newBlockingStub(channel)
                                .withInterceptors(GrpcEndpointIT.bearer(secret))
                                .export(OtlpFixtures.spans("leak", 1)));
                HttpResponse<byte[]> bearer = HttpEndpointIT.post(
                        bridge, "/v1/traces", "application/json", "{}".getBytes(), "Authorization", "Bearer " + secret);
                HttpResponse<byte[]> header = HttpEndpointIT.post(
                        bridge, "/v1/logs", "application/x-protobuf", new byte[0], "x-api-key", secret);
                HttpResponse<byte[]> basic = HttpEndpointIT.post(
                        bridge,
                        "/v1/metrics",
                        "application/x-protobuf",
                        new byte[0],
                        "Authorization",
                        "Basic " + secret);

                assertThat(grpc.getStatus().toString()).doesNotContain(secret);
                assertThat(grpc.getTrailers().toString()).doesNotContain(secret);
                for (HttpResponse<byte[]> response : java.util.List.of(bearer, header, basic)) {
                    assertThat(response.statusCode()).isEqualTo(401);
                    assertThat(new String(response.body())).doesNotContain(secret);
                }
                assertThat(logs.lines())
                        .as("the refusals are logged")
                        .anyMatch(line -> line.contains("unknown API key"));
                assertThat(logs.lines()).noneMatch(line -> line.contains(secret));
                assertThat(get(bridge, "/metrics").body())
                        .doesNotContain(secret)
                        .contains("reason=\"unauthenticated\"");
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Test
    void appliesAChangedKeysFileWithoutARestart() throws Exception {
        String oldKey = "rotated-out-key-0000001";
        String newKey = "rotated-in-key-00000001";
        Path keysFile = workDir.resolve("keys.yaml");
        Files.writeString(keysFile, "tenants:\n  acme:\n    key-sha256: [\"" + ApiKeys.sha256(oldKey) + "\"]\n");
        BridgeConfig config = new BridgeConfig(null, null, null, keysFile, "100ms", null, null, null, null)
                .withEndpoints(0, 0, 0, broker.bootstrapServers())
                .withKafka(BridgeTestSupport.config(broker.bootstrapServers()).kafka());
        try (IngestBridge bridge = IngestBridge.start(config)) {
            byte[] spans = OtlpFixtures.spans("rotation", 1).toByteArray();
            assertThat(HttpEndpointIT.post(bridge, "/v1/traces", "application/x-protobuf", spans, "x-api-key", oldKey)
                            .statusCode())
                    .isEqualTo(200);

            Files.writeString(keysFile, "tenants:\n  acme:\n    key-sha256: [\"" + ApiKeys.sha256(newKey) + "\"]\n");

            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> HttpEndpointIT.post(
                                            bridge, "/v1/traces", "application/x-protobuf", spans, "x-api-key", newKey)
                                    .statusCode()
                            == 200);
            assertThat(HttpEndpointIT.post(bridge, "/v1/traces", "application/x-protobuf", spans, "x-api-key", oldKey)
                            .statusCode())
                    .isEqualTo(401);
            assertThat(get(bridge, "/metrics").body())
                    .contains("otlp_bridge_keys_reloads_total{result=\"applied\"} 1.0");
        }
    }

    private static HttpResponse<String> get(IngestBridge bridge, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + bridge.adminPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
