package io.otlpgovernor.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
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
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.otlpgovernor.bridge.BridgeConfig;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.otlp.OtlpPayloads;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.TopicLayout;
import io.otlpgovernor.kafka.CommittedTopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole path: the OpenTelemetry Java SDK's OTLP exporters (gRPC, and HTTP for logs) → bridge → Kafka → the job on a local Flink
 * cluster with RocksDB and checkpoints → governed topics, read {@code read_committed}.
 */
class EndToEndIT {

    private static final String ACME_KEY = "acme-e2e-key-0000001";
    private static final String GLOBEX_KEY = "globex-e2e-key-000001";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path workDir;

    private static LocalStack stack;
    private static JobSettings settings;

    @BeforeAll
    static void startStack() throws Exception {
        settings = new JobSettings(
                "otlp-governor-e2e",
                1,
                128,
                new JobSettings.Kafka(null, "otlp-governor-e2e", "otlp-governor-e2e", "2m"),
                new JobSettings.Checkpoints("500ms", "30s", "100ms", null, true),
                new JobSettings.Restart("fixed-delay", 3, "200ms", null),
                new JobSettings.Rules("../governance-rules/rules", null),
                new JobSettings.Reports("1s", "1s"));
        BridgeConfig bridge = BridgeConfig.defaults(Path.of("unused"));
        ApiKeys keys = ApiKeys.of(Map.of(ACME_KEY, "acme", GLOBEX_KEY, "globex"));
        stack = LocalStack.start(
                new LocalStackOptions(workDir, 0, 0, 0, 0, freePort(), freePort()), settings, bridge, keys);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyExportedItemArrivesOnceUnderItsTenantAndRefusedOnesNever() throws Exception {
        List<String> acmeSpans = exportSpans(ACME_KEY, "acme-span", 10, true);
        List<String> globexSpans = exportSpans(GLOBEX_KEY, "globex-span", 4, true);
        exportSpans("wrong-key-0000000000000", "intruder-span", 2, false);
        List<String> acmeLogs = exportLogs(ACME_KEY, "acme-log", 5);
        List<String> globexLogs = exportLogs(GLOBEX_KEY, "globex-log", 2);
        exportMetrics(ACME_KEY, "acme.requests", 3);

        try (CommittedTopicReader governed =
                new CommittedTopicReader(stack.bootstrapServers(), TopicLayout.governedTopics())) {
            await().atMost(TIMEOUT)
                    .until(() -> items(governed.poll(), "acme", "spans").size() >= acmeSpans.size()
                            && items(governed.records(), "globex", "spans").size() >= globexSpans.size()
                            && items(governed.records(), "acme", "logs").size() >= acmeLogs.size()
                            && items(governed.records(), "globex", "logs").size() >= globexLogs.size()
                            && items(governed.records(), "acme", "metrics").size() >= 3);
            await().atMost(TIMEOUT)
                    .until(() -> stack.broker()
                            .hasConsumedToEnd(settings.kafka().consumerGroup(), TopicLayout.inputTopics()));
            List<ConsumerRecord<byte[], byte[]>> records = governed.poll();

            assertThat(items(records, "acme", "spans")).containsExactlyInAnyOrderElementsOf(acmeSpans);
            assertThat(items(records, "globex", "spans")).containsExactlyInAnyOrderElementsOf(globexSpans);
            assertThat(items(records, "acme", "logs")).containsExactlyInAnyOrderElementsOf(acmeLogs);
            assertThat(items(records, "globex", "logs")).containsExactlyInAnyOrderElementsOf(globexLogs);
            assertThat(items(records, "acme", "metrics"))
                    .containsExactly("acme.requests", "acme.requests", "acme.requests");
            assertThat(items(records, "globex", "metrics")).isEmpty();
            assertThat(records).allSatisfy(record -> {
                assertThat(record.topic())
                        .isEqualTo("governed_" + header(record, RecordHeaders.SIGNAL) + "_"
                                + header(record, RecordHeaders.RETENTION_TIER));
                assertThat(header(record, RecordHeaders.RULE_SET_VERSION)).isEqualTo("1");
                // globex's rules put everything under legal hold (the compliance tier); acme keeps the standard tier.
                assertThat(header(record, RecordHeaders.RETENTION_TIER))
                        .isEqualTo(header(record, RecordHeaders.TENANT).equals("globex") ? "compliance" : "standard");
            });
            assertThat(records)
                    .flatExtracting(r -> items(List.of(r), header(r, RecordHeaders.TENANT), "spans"))
                    .noneMatch(name -> name.startsWith("intruder"));
        }
    }

    /** Ends {@code count} spans in the SDK and exports them through the OTLP/gRPC exporter; returns their names. */
    private static List<String> exportSpans(String apiKey, String prefix, int count, boolean expectSuccess) {
        InMemorySpanExporter captured = InMemorySpanExporter.create();
        List<SpanData> spans;
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource())
                .addSpanProcessor(SimpleSpanProcessor.create(captured))
                .build()) {
            for (int i = 0; i < count; i++) {
                // Failed operations: acme's rules tail-sample traces, and keep every trace with an error.
                provider.get("e2e")
                        .spanBuilder(prefix + "-" + i)
                        .startSpan()
                        .setStatus(StatusCode.ERROR)
                        .end();
            }
            // Before the provider closes: closing shuts the in-memory exporter down, which forgets its spans.
            spans = captured.getFinishedSpanItems();
        }
        assertThat(spans).hasSize(count);
        try (OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder()
                .setEndpoint(endpoint())
                .addHeader("authorization", "Bearer " + apiKey)
                .setTimeout(Duration.ofSeconds(20))
                .build()) {
            assertThat(join(exporter.export(spans)).isSuccess()).isEqualTo(expectSuccess);
        }
        return spans.stream().map(SpanData::getName).toList();
    }

    private static List<String> exportLogs(String apiKey, String prefix, int count) {
        InMemoryLogRecordExporter captured = InMemoryLogRecordExporter.create();
        Collection<LogRecordData> logs;
        try (SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .setResource(resource())
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(captured))
                .build()) {
            for (int i = 0; i < count; i++) {
                provider.get("e2e").logRecordBuilder().setBody(prefix + "-" + i).emit();
            }
            logs = captured.getFinishedLogRecordItems();
        }
        assertThat(logs).hasSize(count);
        // Logs go over OTLP/HTTP (protobuf), spans and metrics over gRPC: the local stack serves both.
        try (OtlpHttpLogRecordExporter exporter = OtlpHttpLogRecordExporter.builder()
                .setEndpoint("http://localhost:" + stack.httpPort() + "/v1/logs")
                .addHeader("x-api-key", apiKey)
                .setTimeout(Duration.ofSeconds(20))
                .build()) {
            assertThat(join(exporter.export(logs)).isSuccess()).isTrue();
        }
        return logs.stream().map(log -> log.getBodyValue().asString()).toList();
    }

    /** Records one counter under {@code series} attribute sets, so one collection yields that many data points. */
    private static void exportMetrics(String apiKey, String name, int series) {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        Collection<MetricData> metrics;
        try (SdkMeterProvider provider = SdkMeterProvider.builder()
                .setResource(resource())
                .registerMetricReader(reader)
                .build()) {
            LongCounter counter = provider.get("e2e").counterBuilder(name).build();
            for (int i = 0; i < series; i++) {
                counter.add(1, Attributes.of(AttributeKey.stringKey("route"), "/r" + i));
            }
            metrics = reader.collectAllMetrics();
        }
        try (OtlpGrpcMetricExporter exporter = OtlpGrpcMetricExporter.builder()
                .setEndpoint(endpoint())
                .addHeader("authorization", "Bearer " + apiKey)
                .setTimeout(Duration.ofSeconds(20))
                .build()) {
            assertThat(join(exporter.export(metrics)).isSuccess()).isTrue();
        }
    }

    /** Span names, log bodies or one metric name per data point, of {@code tenant}'s records of {@code signal}. */
    private static List<String> items(List<ConsumerRecord<byte[], byte[]>> records, String tenant, String signal) {
        List<String> items = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!tenant.equals(header(record, RecordHeaders.TENANT))
                    || !signal.equals(header(record, RecordHeaders.SIGNAL))) {
                continue;
            }
            try {
                switch (signal) {
                    case "spans" ->
                        ExportTraceServiceRequest.parseFrom(record.value())
                                .getResourceSpansList()
                                .forEach(r -> r.getScopeSpansList()
                                        .forEach(s -> s.getSpansList().forEach(span -> items.add(span.getName()))));
                    case "logs" ->
                        ExportLogsServiceRequest.parseFrom(record.value())
                                .getResourceLogsList()
                                .forEach(r -> r.getScopeLogsList()
                                        .forEach(s -> s.getLogRecordsList()
                                                .forEach(log ->
                                                        items.add(log.getBody().getStringValue()))));
                    default ->
                        ExportMetricsServiceRequest.parseFrom(record.value())
                                .getResourceMetricsList()
                                .forEach(r -> r.getScopeMetricsList()
                                        .forEach(s -> s.getMetricsList().forEach(metric -> {
                                            for (int i = 0; i < OtlpPayloads.dataPointCount(metric); i++) {
                                                items.add(metric.getName());
                                            }
                                        })));
                }
            } catch (IOException e) {
                throw new AssertionError("governed record is not OTLP: " + record.topic() + "@" + record.offset(), e);
            }
        }
        return items;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static CompletableResultCode join(CompletableResultCode result) {
        return result.join(30, TimeUnit.SECONDS);
    }

    private static Resource resource() {
        return Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout"));
    }

    private static String endpoint() {
        return "http://localhost:" + stack.grpcPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
