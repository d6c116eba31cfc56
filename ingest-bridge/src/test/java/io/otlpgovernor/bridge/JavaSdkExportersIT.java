package io.otlpgovernor.bridge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.kafka.CommittedTopicReader;
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
import static org.awaitility.Awaitility.await;

/** The OpenTelemetry Java SDK's own OTLP exporters, over gRPC and over HTTP/protobuf, against the bridge. */
class JavaSdkExportersIT {

    @TempDir
    static Path workDir;

    private static EmbeddedKafkaBroker broker;
    private static IngestBridge bridge;

    @BeforeAll
    static void start() {
        broker = BridgeTestSupport.startBroker(workDir.resolve("kafka"));
        bridge = IngestBridge.start(BridgeTestSupport.config(broker.bootstrapServers()), ApiKeys.of(KEYS));
    }

    @AfterAll
    static void stop() {
        bridge.close();
        broker.close();
    }

    @Test
    void grpcSpanExporterDeliversEverySpanUnderItsTenant() {
        List<SpanData> spans = spans("java-grpc", 5);
        try (OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://localhost:" + bridge.grpcPort())
                .addHeader("authorization", "Bearer " + ACME_KEY)
                .setCompression("gzip")
                .build()) {
            assertThat(join(exporter.export(spans)).isSuccess()).isTrue();
        }

        assertThat(itemsOf(Signal.SPANS, "acme"))
                .containsAll(spans.stream().map(SpanData::getName).toList());
    }

    @Test
    void httpProtobufExportersDeliverSpansMetricsAndLogs() {
        String base = "http://localhost:" + bridge.httpPort();
        List<SpanData> spans = spans("java-http", 4);
        Collection<LogRecordData> logs = logs("java-http-log", 3);
        Collection<MetricData> metrics = metrics("java.http.requests", 2);

        try (OtlpHttpSpanExporter spanExporter = OtlpHttpSpanExporter.builder()
                        .setEndpoint(base + "/v1/traces")
                        .addHeader("Authorization", "Bearer " + GLOBEX_KEY)
                        .setCompression("gzip")
                        .build();
                OtlpHttpLogRecordExporter logExporter = OtlpHttpLogRecordExporter.builder()
                        .setEndpoint(base + "/v1/logs")
                        .addHeader("x-api-key", GLOBEX_KEY)
                        .build();
                OtlpHttpMetricExporter metricExporter = OtlpHttpMetricExporter.builder()
                        .setEndpoint(base + "/v1/metrics")
                        .addHeader("Authorization", "Bearer " + GLOBEX_KEY)
                        .build()) {
            assertThat(join(spanExporter.export(spans)).isSuccess()).isTrue();
            assertThat(join(logExporter.export(logs)).isSuccess()).isTrue();
            assertThat(join(metricExporter.export(metrics)).isSuccess()).isTrue();
        }

        assertThat(itemsOf(Signal.SPANS, "globex"))
                .containsAll(spans.stream().map(SpanData::getName).toList());
        assertThat(itemsOf(Signal.LOGS, "globex"))
                .containsAll(logs.stream().map(l -> l.getBodyValue().asString()).toList());
        assertThat(itemsOf(Signal.METRICS, "globex")).containsExactly("java.http.requests", "java.http.requests");
    }

    @Test
    void exportersReportFailureForAWrongKey() {
        try (OtlpHttpSpanExporter http = OtlpHttpSpanExporter.builder()
                        .setEndpoint("http://localhost:" + bridge.httpPort() + "/v1/traces")
                        .addHeader("Authorization", "Bearer wrong-key-000000000000")
                        .build();
                OtlpGrpcSpanExporter grpc = OtlpGrpcSpanExporter.builder()
                        .setEndpoint("http://localhost:" + bridge.grpcPort())
                        .addHeader("authorization", "Bearer wrong-key-000000000000")
                        .build()) {
            assertThat(join(http.export(spans("denied-http", 1))).isSuccess()).isFalse();
            assertThat(join(grpc.export(spans("denied-grpc", 1))).isSuccess()).isFalse();
        }
    }

    private static List<SpanData> spans(String prefix, int count) {
        List<SpanData> spans = madeSpans(prefix, count);
        assertThat(spans).hasSize(count);
        return spans;
    }

    private static List<SpanData> madeSpans(String prefix, int count) {
        InMemorySpanExporter captured = InMemorySpanExporter.create();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(captured))
                .build()) {
            for (int i = 0; i < count; i++) {
                provider.get("sdk-test")
                        .spanBuilder(prefix + "-" + i)
                        .startSpan()
                        .end();
            }
            // Before the provider closes: closing shuts the in-memory exporter down, which forgets its spans.
            return captured.getFinishedSpanItems();
        }
    }

    private static Collection<LogRecordData> logs(String prefix, int count) {
        InMemoryLogRecordExporter captured = InMemoryLogRecordExporter.create();
        try (SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(captured))
                .build()) {
            for (int i = 0; i < count; i++) {
                provider.get("sdk-test")
                        .logRecordBuilder()
                        .setBody(prefix + "-" + i)
                        .emit();
            }
            return captured.getFinishedLogRecordItems();
        }
    }

    private static Collection<MetricData> metrics(String name, int series) {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (SdkMeterProvider provider =
                SdkMeterProvider.builder().registerMetricReader(reader).build()) {
            var counter = provider.get("sdk-test").counterBuilder(name).build();
            for (int i = 0; i < series; i++) {
                counter.add(1, Attributes.of(AttributeKey.stringKey("route"), "/r" + i));
            }
            return reader.collectAllMetrics();
        }
    }

    /** Span names, log bodies, or a metric's name per data point, in the signal's topic under {@code tenant}. */
    private static List<String> itemsOf(Signal signal, String tenant) {
        List<String> items = new ArrayList<>();
        try (CommittedTopicReader reader =
                new CommittedTopicReader(broker.bootstrapServers(), List.of(signal.inputTopic()))) {
            await().atMost(BridgeTestSupport.TIMEOUT)
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> reader.poll().stream()
                            .anyMatch(r -> tenant.equals(BridgeTestSupport.header(r, RecordHeaders.TENANT))));
            for (ConsumerRecord<byte[], byte[]> record : reader.records()) {
                if (!tenant.equals(BridgeTestSupport.header(record, RecordHeaders.TENANT))) {
                    continue;
                }
                try {
                    switch (signal) {
                        case SPANS ->
                            ExportTraceServiceRequest.parseFrom(record.value())
                                    .getResourceSpansList()
                                    .forEach(r -> r.getScopeSpansList()
                                            .forEach(s -> s.getSpansList().forEach(span -> items.add(span.getName()))));
                        case LOGS ->
                            ExportLogsServiceRequest.parseFrom(record.value())
                                    .getResourceLogsList()
                                    .forEach(r -> r.getScopeLogsList()
                                            .forEach(s -> s.getLogRecordsList()
                                                    .forEach(l -> items.add(
                                                            l.getBody().getStringValue()))));
                        case METRICS ->
                            ExportMetricsServiceRequest.parseFrom(record.value())
                                    .getResourceMetricsList()
                                    .forEach(r -> r.getScopeMetricsList()
                                            .forEach(s -> s.getMetricsList()
                                                    .forEach(m -> m.getSum()
                                                            .getDataPointsList()
                                                            .forEach(p -> items.add(m.getName())))));
                    }
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new AssertionError("not OTLP in " + record.topic(), e);
                }
            }
        }
        return items;
    }

    private static CompletableResultCode join(CompletableResultCode result) {
        return result.join(30, TimeUnit.SECONDS);
    }
}
