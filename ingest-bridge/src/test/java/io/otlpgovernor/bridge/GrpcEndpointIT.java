package io.otlpgovernor.bridge;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import com.google.rpc.RetryInfo;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.otlpgovernor.bridge.BridgeTestSupport.ACME_KEY;
import static io.otlpgovernor.bridge.BridgeTestSupport.GLOBEX_KEY;
import static io.otlpgovernor.bridge.BridgeTestSupport.KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** OTLP/gRPC against an embedded KRaft broker, called by a real gRPC client: every status case of the specification. */
class GrpcEndpointIT {

    @TempDir
    static Path workDir;

    private static EmbeddedKafkaBroker broker;
    private static IngestBridge bridge;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() {
        broker = BridgeTestSupport.startBroker(workDir.resolve("kafka"));
        bridge = IngestBridge.start(BridgeTestSupport.config(broker.bootstrapServers()), ApiKeys.of(KEYS));
        channel = channel(bridge);
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

        ExportTraceServiceResponse spansAnswer = TraceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(bearer(ACME_KEY))
                .export(spans);
        ExportMetricsServiceResponse metricsAnswer = MetricsServiceGrpc.newBlockingStub(channel)
                .withInterceptors(apiKey(GLOBEX_KEY))
                .export(metrics);
        ExportLogsServiceResponse logsAnswer = LogsServiceGrpc.newBlockingStub(channel)
                .withInterceptors(bearer(ACME_KEY))
                .export(logs);

        assertThat(spansAnswer.hasPartialSuccess()).isFalse();
        assertThat(metricsAnswer.hasPartialSuccess()).isFalse();
        assertThat(logsAnswer.hasPartialSuccess()).isFalse();
        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.SPANS, spans.toByteArray()))
                .isEqualTo("acme");
        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.METRICS, metrics.toByteArray()))
                .isEqualTo("globex");
        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.LOGS, logs.toByteArray()))
                .isEqualTo("acme");
    }

    @Test
    void acceptsGzipCompressedRequests() {
        ExportTraceServiceRequest spans = OtlpFixtures.spans("gzipped", 5);

        TraceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(bearer(ACME_KEY))
                .withCompression("gzip")
                .export(spans);

        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.SPANS, spans.toByteArray()))
                .isEqualTo("acme");
    }

    @Test
    void takesTheTenantOnlyFromTheKeyNeverFromHeadersTheClientSets() {
        ExportTraceServiceRequest spans = OtlpFixtures.spans("impostor", 1);
        Metadata claims = new Metadata();
        for (String name : new String[] {"tenant", "x-tenant", "x-tenant-id", "x-scope-orgid"}) {
            claims.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), "globex");
        }

        TraceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(bearer(ACME_KEY), MetadataUtils.newAttachHeadersInterceptor(claims))
                .export(spans);

        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.SPANS, spans.toByteArray()))
                .isEqualTo("acme");
    }

    @Test
    void refusesMissingAndUnknownKeysAndWritesNothing() {
        ExportTraceServiceRequest refused = OtlpFixtures.spans("refused", 1);
        StatusRuntimeException missing = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> TraceServiceGrpc.newBlockingStub(channel).export(refused));
        StatusRuntimeException unknown = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> TraceServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(bearer("not-a-key-of-anyone-at-all"))
                        .export(refused));

        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(missing.getStatus().getDescription()).contains("missing API key");
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(unknown.getStatus().getDescription())
                .isEqualTo("unknown API key")
                .doesNotContain("not-a-key");
        ExportTraceServiceRequest marker = OtlpFixtures.spans("marker", 1);
        TraceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(bearer(ACME_KEY))
                .export(marker);
        assertThat(BridgeTestSupport.recordsUpTo(broker, Signal.SPANS, marker.toByteArray()))
                .noneMatch(r -> Arrays.equals(r.value(), refused.toByteArray()));
    }

    @Test
    void acceptsAnEmptyRequest() {
        ExportTraceServiceResponse answer = TraceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(bearer(ACME_KEY))
                .export(ExportTraceServiceRequest.getDefaultInstance());

        assertThat(answer.hasPartialSuccess()).isFalse();
    }

    @Test
    void answersPartialSuccessForInvalidSpansAndWritesOnlyTheValidOnes() throws Exception {
        ExportTraceServiceRequest.Builder request = OtlpFixtures.spans("partly", 3).toBuilder();
        request.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(1)
                .setSpanId(ByteString.copyFrom(new byte[3]));

        ExportTraceServiceResponse answer = TraceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(bearer(ACME_KEY))
                .export(request.build());

        assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(answer.getPartialSuccess().getErrorMessage())
                .isEqualTo(
                        "1 invalid spans refused; the first: resource_spans[0].scope_spans[0].spans[1].span_id: must be 8 bytes, got 3");
        ExportTraceServiceRequest.Builder valid = request.build().toBuilder();
        valid.getResourceSpansBuilder(0).getScopeSpansBuilder(0).removeSpans(1);
        ConsumerRecord<byte[], byte[]> written =
                BridgeTestSupport.recordWith(broker, Signal.SPANS, valid.build().toByteArray());
        assertThat(ExportTraceServiceRequest.parseFrom(written.value())
                        .getResourceSpans(0)
                        .getScopeSpans(0)
                        .getSpansList())
                .extracting(span -> span.getName())
                .containsExactly(
                        request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName(),
                        request.getResourceSpans(0).getScopeSpans(0).getSpans(2).getName());
    }

    @Test
    void refusesARequestWithNothingValidWithInvalidArgumentAndBadRequestDetails() {
        ExportTraceServiceRequest.Builder request = OtlpFixtures.spans("bad", 1).toBuilder();
        request.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(0)
                .setSpanId(ByteString.copyFrom(new byte[3]));

        StatusRuntimeException refused = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> TraceServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(bearer(ACME_KEY))
                        .export(request.build()));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription())
                .isEqualTo("resource_spans[0].scope_spans[0].spans[0].span_id: must be 8 bytes, got 3");
        assertThat(detail(refused, BadRequest.class).getFieldViolations(0).getField())
                .isEqualTo("resource_spans[0].scope_spans[0].spans[0].span_id");
        assertThat(hasDetail(refused, RetryInfo.class)).isFalse();
    }

    @Test
    void refusesARequestOverTheSizeLimitWithResourceExhaustedAndNoRetryInfo() {
        ExportTraceServiceRequest.Builder request = OtlpFixtures.spans("huge", 1).toBuilder();
        request.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(0)
                .setName("x".repeat(5 * 1024 * 1024));

        StatusRuntimeException refused = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> TraceServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(bearer(ACME_KEY))
                        .export(request.build()));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(hasDetail(refused, RetryInfo.class)).isFalse();
    }

    @Test
    void refusesACompressedRequestThatIsTooLargeOnceDecompressed() {
        // 5 MiB of one letter compresses to a few KiB: the limit applies after decompression.
        ExportTraceServiceRequest.Builder request = OtlpFixtures.spans("bomb", 1).toBuilder();
        request.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(0)
                .setName("x".repeat(5 * 1024 * 1024));

        StatusRuntimeException refused = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> TraceServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(bearer(ACME_KEY))
                        .withCompression("gzip")
                        .export(request.build()));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(hasDetail(refused, RetryInfo.class)).isFalse();
    }

    @Test
    void throttlesATenantOverItsRateWithResourceExhaustedAndRetryInfo() {
        BridgeConfig config =
                BridgeTestSupport.config(broker.bootstrapServers()).withLimits(BridgeTestSupport.limits(256, 5, "10s"));
        try (IngestBridge limited = IngestBridge.start(config, ApiKeys.of(KEYS))) {
            ManagedChannel limitedChannel = channel(limited);
            try {
                TraceServiceGrpc.newBlockingStub(limitedChannel)
                        .withInterceptors(bearer(ACME_KEY))
                        .export(OtlpFixtures.spans("burst", 20));
                StatusRuntimeException throttled = catchThrowableOfType(
                        StatusRuntimeException.class,
                        () -> TraceServiceGrpc.newBlockingStub(limitedChannel)
                                .withInterceptors(bearer(ACME_KEY))
                                .export(OtlpFixtures.spans("over", 1)));
                ExportTraceServiceResponse otherTenant = TraceServiceGrpc.newBlockingStub(limitedChannel)
                        .withInterceptors(bearer(GLOBEX_KEY))
                        .export(OtlpFixtures.spans("unaffected", 1));

                assertThat(throttled.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(detail(throttled, RetryInfo.class).getRetryDelay().getSeconds())
                        .isBetween(1L, 3L);
                assertThat(otherTenant.hasPartialSuccess()).isFalse();
            } finally {
                limitedChannel.shutdownNow();
            }
        }
    }

    @Test
    void answersUnavailableWithRetryInfoAtOnceWhileKafkaIsUnreachable() throws Exception {
        try (IngestBridge orphan =
                IngestBridge.start(BridgeTestSupport.config(BridgeTestSupport.deadKafka()), ApiKeys.of(KEYS))) {
            ManagedChannel orphanChannel = channel(orphan);
            try {
                long start = System.nanoTime();
                StatusRuntimeException refused = catchThrowableOfType(
                        StatusRuntimeException.class,
                        () -> TraceServiceGrpc.newBlockingStub(orphanChannel)
                                .withInterceptors(bearer(ACME_KEY))
                                .withDeadlineAfter(20, TimeUnit.SECONDS)
                                .export(OtlpFixtures.spans("lost", 1)));
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(detail(refused, RetryInfo.class).getRetryDelay().getSeconds())
                        .isEqualTo(2);
                assertThat(tookMillis)
                        .as("fails fast instead of waiting for the 3 s delivery timeout")
                        .isLessThan(2000);
            } finally {
                orphanChannel.shutdownNow();
            }
        }
    }

    static ManagedChannel channel(IngestBridge target) {
        return NettyChannelBuilder.forAddress("localhost", target.grpcPort())
                .usePlaintext()
                .build();
    }

    static <T extends com.google.protobuf.Message> T detail(StatusRuntimeException e, Class<T> type) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).as("google.rpc.Status details").isNotNull();
        return status.getDetailsList().stream()
                .filter(any -> any.is(type))
                .findFirst()
                .map(any -> {
                    try {
                        return any.unpack(type);
                    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                        throw new AssertionError(ex);
                    }
                })
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in the status details"));
    }

    static boolean hasDetail(StatusRuntimeException e, Class<? extends com.google.protobuf.Message> type) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        return status != null && status.getDetailsList().stream().anyMatch(any -> any.is(type));
    }

    static ClientInterceptor bearer(String key) {
        return header("authorization", "Bearer " + key);
    }

    static ClientInterceptor apiKey(String key) {
        return header("x-api-key", key);
    }

    private static ClientInterceptor header(String name, String value) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
        return MetadataUtils.newAttachHeadersInterceptor(metadata);
    }
}
