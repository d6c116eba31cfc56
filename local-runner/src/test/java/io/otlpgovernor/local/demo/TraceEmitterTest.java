package io.otlpgovernor.local.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

/** Calls become what instrumented services record, and the truth counts what was exported. */
class TraceEmitterTest {

    private static final Instant END = Instant.parse("2026-01-15T10:00:00Z");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
    private final InMemoryMetricExporter metrics = InMemoryMetricExporter.create();
    private final DemoTruth truth = new DemoTruth(List.of("shop"));
    private List<SpanData> exportedSpans;
    private List<LogRecordData> exportedLogs;
    private List<MetricData> exportedMetrics;

    @BeforeEach
    void emitOneCheckout() {
        Call checkout = Call.server("frontend", "POST /checkout", 10, Attributes.empty())
                .calling(
                        Call.server(
                                        "payments",
                                        "POST /charge",
                                        2_000,
                                        Attributes.of(stringKey("card"), "4111 1111 1111 1111"))
                                .failing("card declined")
                                .logging(LogLine.of(Severity.ERROR, "declined", Attributes.empty())),
                        Call.internal("frontend", "render", 4, Attributes.empty()))
                .logging(new LogLine(Severity.DEBUG, "uploaded late", Attributes.empty(), Duration.ofDays(8)));
        try (TenantTelemetry telemetry = new TenantTelemetry(
                "shop",
                List.of("frontend", "payments"),
                truth.tally("shop"),
                Duration.ofHours(1),
                spans,
                logs,
                metrics)) {
            new TraceEmitter(telemetry).emit(checkout, END);
            // Read before closing: the in-memory exporters forget what they hold when shut down.
            telemetry.stopProviders();
            exportedSpans = spans.getFinishedSpanItems();
            exportedLogs = List.copyOf(logs.getFinishedLogRecordItems());
            exportedMetrics = metrics.getFinishedMetricItems();
        }
    }

    @Test
    void aCallIntoAnotherServiceHasAClientSpanInTheCallerAroundTheCalleesServerSpan() {
        assertThat(exportedSpans).hasSize(4);
        SpanData root = span("POST /checkout", SpanKind.SERVER);
        SpanData client = span("POST /charge", SpanKind.CLIENT);
        SpanData server = span("POST /charge", SpanKind.SERVER);

        assertThat(root.getParentSpanContext().isValid()).isFalse();
        assertThat(client.getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(server.getParentSpanId()).isEqualTo(client.getSpanId());
        assertThat(client.getResource().getAttribute(stringKey("service.name"))).isEqualTo("frontend");
        assertThat(server.getResource().getAttribute(stringKey("service.name"))).isEqualTo("payments");
        assertThat(exportedSpans).allMatch(span -> span.getTraceId().equals(root.getTraceId()));
        assertThat(server.getStatus().getDescription()).isEqualTo("card declined");
    }

    @Test
    void theTraceEndsAtTheGivenTimeAndASlowCallTakesItsTimeWithoutWaiting() {
        SpanData root = span("POST /checkout", SpanKind.SERVER);
        SpanData server = span("POST /charge", SpanKind.SERVER);

        assertThat(root.getEndEpochNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(END.getEpochSecond()));
        assertThat(Duration.ofNanos(server.getEndEpochNanos() - server.getStartEpochNanos()))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(server.getStartEpochNanos()).isGreaterThan(root.getStartEpochNanos());
        assertThat(server.getEndEpochNanos()).isLessThan(root.getEndEpochNanos());
    }

    @Test
    void logsCarryTheirSpansContextExceptALateUploadWhichKeepsItsOwnOldTime() {
        LogRecordData declined = exportedLogs.stream()
                .filter(log -> log.getBodyValue().asString().equals("declined"))
                .findFirst()
                .orElseThrow();
        LogRecordData late = exportedLogs.stream()
                .filter(log -> log.getBodyValue().asString().equals("uploaded late"))
                .findFirst()
                .orElseThrow();

        assertThat(declined.getSpanContext().getSpanId())
                .isEqualTo(span("POST /charge", SpanKind.SERVER).getSpanId());
        assertThat(late.getSpanContext().isValid()).isFalse();
        assertThat(Duration.ofNanos(TimeUnit.SECONDS.toNanos(END.getEpochSecond()) - late.getTimestampEpochNanos()))
                .isGreaterThan(Duration.ofDays(8));
    }

    @Test
    void serverSpansRecordRequestCountsAndDurations() {
        assertThat(exportedMetrics)
                .extracting(MetricData::getName)
                .contains("http.server.requests", "http.server.request.duration");
    }

    @Test
    void theTruthCountsWhatWasExportedAndEachDocumentOnlyWhatCameSinceTheLast() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(truth.documents(END).get("shop"));
        JsonNode second = json.readTree(truth.documents(END).get("shop"));

        assertThat(first.path("traces").asLong()).isEqualTo(1);
        assertThat(first.path("spans").asLong()).isEqualTo(exportedSpans.size());
        assertThat(first.path("log_records").asLong()).isEqualTo(exportedLogs.size());
        assertThat(first.path("data_points").asLong())
                .isEqualTo(exportedMetrics.stream()
                        .mapToLong(m -> m.getData().getPoints().size())
                        .sum())
                .isPositive();
        assertThat(second.path("spans").asLong()).isZero();
        assertThat(second.path("tenant").asText()).isEqualTo("shop");
    }

    private SpanData span(String name, SpanKind kind) {
        return exportedSpans.stream()
                .filter(s -> s.getName().equals(name) && s.getKind() == kind)
                .findFirst()
                .orElseThrow();
    }
}
