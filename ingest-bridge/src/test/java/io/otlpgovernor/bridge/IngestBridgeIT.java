package io.otlpgovernor.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import io.otlpgovernor.rules.contract.RecordHeaders;
import io.otlpgovernor.rules.signal.Signal;
import io.otlpgovernor.rules.testing.OtlpFixtures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge against an embedded KRaft broker, called by a real gRPC client. */
class IngestBridgeIT {

    private static final String ACME_KEY = "acme-test-key-000001";
    private static final String GLOBEX_KEY = "globex-test-key-00001";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path workDir;

    private static EmbeddedKafkaBroker broker;
    private static IngestBridge bridge;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start(workDir.resolve("kafka"), 0);
        broker.createTopics(Signal.SPANS.inputTopic(), Signal.METRICS.inputTopic(), Signal.LOGS.inputTopic());
        bridge = IngestBridge.start(config(broker.bootstrapServers()), ApiKeys.of(Map.of(ACME_KEY, "acme", GLOBEX_KEY, "globex")));
        channel = NettyChannelBuilder.forAddress("localhost", bridge.grpcPort()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        bridge.close();
        broker.close();
    }

    @Test
    void writesEachSignalUnchangedToItsTopicWithTheAuthenticatedTenant() {
        ExportTraceServiceRequest spans = OtlpFixtures.spans("bridge", 3);
        ExportMetricsServiceRequest metrics = OtlpFixtures.gaugePoints("bridge.gauge", 2);
        ExportLogsServiceRequest logs = OtlpFixtures.logs("bridge", 4);

        TraceServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(ACME_KEY)).export(spans);
        MetricsServiceGrpc.newBlockingStub(channel).withInterceptors(apiKey(GLOBEX_KEY)).export(metrics);
        LogsServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(ACME_KEY)).export(logs);

        assertThat(readUntilFound(Signal.SPANS, spans.toByteArray())).isEqualTo("acme");
        assertThat(readUntilFound(Signal.METRICS, metrics.toByteArray())).isEqualTo("globex");
        assertThat(readUntilFound(Signal.LOGS, logs.toByteArray())).isEqualTo("acme");
    }

    @Test
    void refusesMissingAndUnknownKeysAndWritesNothing() {
        ExportTraceServiceRequest refused = OtlpFixtures.spans("refused", 1);
        StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class,
                () -> TraceServiceGrpc.newBlockingStub(channel).export(refused));
        StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class,
                () -> TraceServiceGrpc.newBlockingStub(channel).withInterceptors(bearer("not-a-key-of-anyone-at-all")).export(refused));

        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(missing.getStatus().getDescription()).contains("missing API key");
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(unknown.getStatus().getDescription()).isEqualTo("unknown API key").doesNotContain("not-a-key");

        // A request sent afterwards is in the topic; the refused ones, sent before it, are not.
        ExportTraceServiceRequest marker = OtlpFixtures.spans("marker", 1);
        TraceServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(ACME_KEY)).export(marker);
        try (CommittedTopicReader reader = new CommittedTopicReader(broker.bootstrapServers(), List.of(Signal.SPANS.inputTopic()))) {
            await().atMost(TIMEOUT).until(() -> reader.poll().stream().anyMatch(r -> java.util.Arrays.equals(r.value(), marker.toByteArray())));
            assertThat(reader.records()).noneMatch(r -> java.util.Arrays.equals(r.value(), refused.toByteArray()));
        }
    }

    @Test
    void refusesARequestThatIsNotOtlpWithInvalidArgument() {
        ExportTraceServiceRequest.Builder request = OtlpFixtures.spans("bad", 2).toBuilder();
        request.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0)
                .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[3]));

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> TraceServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(ACME_KEY)).export(request.build()));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription())
                .isEqualTo("resource_spans[0].scope_spans[0].spans[0].span_id: must be 8 bytes, got 3");
    }

    @Test
    void refusesARequestOverTheSizeLimitWithResourceExhausted() {
        ExportTraceServiceRequest.Builder request = OtlpFixtures.spans("huge", 1).toBuilder();
        request.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0).setName("x".repeat(5 * 1024 * 1024));

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> TraceServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(ACME_KEY)).export(request.build()));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void answersUnavailableWhileKafkaIsUnreachable() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        try (IngestBridge orphan = IngestBridge.start(config("localhost:" + deadPort), ApiKeys.of(Map.of(ACME_KEY, "acme")))) {
            ManagedChannel orphanChannel = NettyChannelBuilder.forAddress("localhost", orphan.grpcPort()).usePlaintext().build();
            try {
                StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                        () -> TraceServiceGrpc.newBlockingStub(orphanChannel).withInterceptors(bearer(ACME_KEY))
                                .withDeadlineAfter(20, TimeUnit.SECONDS).export(OtlpFixtures.spans("lost", 1)));
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            } finally {
                orphanChannel.shutdownNow();
            }
        }
    }

    private static BridgeConfig config(String bootstrapServers) {
        return new BridgeConfig(new BridgeConfig.Grpc(0, null), Path.of("unused-keys.yaml"),
                new BridgeConfig.Kafka(bootstrapServers, "3s", "500ms", "1s"));
    }

    /** Reads the signal's input topic until the record with exactly {@code value} appears; returns its tenant. */
    private static String readUntilFound(Signal signal, byte[] value) {
        try (CommittedTopicReader reader = new CommittedTopicReader(broker.bootstrapServers(), List.of(signal.inputTopic()))) {
            await().atMost(TIMEOUT).until(() -> reader.poll().stream().anyMatch(r -> java.util.Arrays.equals(r.value(), value)));
            ConsumerRecord<byte[], byte[]> found = reader.records().stream()
                    .filter(r -> java.util.Arrays.equals(r.value(), value)).findFirst().orElseThrow();
            return new String(found.headers().lastHeader(RecordHeaders.TENANT).value(), StandardCharsets.UTF_8);
        }
    }

    private static io.grpc.ClientInterceptor bearer(String key) {
        return header("authorization", "Bearer " + key);
    }

    private static io.grpc.ClientInterceptor apiKey(String key) {
        return header("x-api-key", key);
    }

    private static io.grpc.ClientInterceptor header(String name, String value) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
        return MetadataUtils.newAttachHeadersInterceptor(metadata);
    }
}
