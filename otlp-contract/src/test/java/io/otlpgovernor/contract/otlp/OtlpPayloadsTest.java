package io.otlpgovernor.contract.otlp;

import java.util.Arrays;
import java.util.stream.Stream;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OtlpPayloadsTest {

    /** Field 15, wire type varint (tag 0x78), value 1: a field no export request has. */
    private static final byte[] UNKNOWN_FIELD_15 = {0x78, 0x01};

    // --- counting ---

    @Test
    void countsSpansAcrossResourcesAndScopes() throws Exception {
        ExportTraceServiceRequest request = OtlpFixtures.spans("a", 2).toBuilder()
                .addAllResourceSpans(OtlpFixtures.spans("b", 3).getResourceSpansList())
                .build();

        PayloadSummary summary = OtlpPayloads.summarize(Signal.SPANS, request.toByteArray());

        assertThat(summary).isEqualTo(new PayloadSummary(Signal.SPANS, 2, 5));
    }

    @Test
    void countsDataPointsOfEveryMetricType() throws Exception {
        ExportMetricsServiceRequest request = metrics(
                gauge(1),
                sum(2),
                histogram(3),
                exponentialHistogram(4),
                summary(5),
                Metric.newBuilder().setName("empty").build());

        PayloadSummary summary = OtlpPayloads.summarize(Signal.METRICS, request.toByteArray());

        assertThat(summary).isEqualTo(new PayloadSummary(Signal.METRICS, 1, 1 + 2 + 3 + 4 + 5));
    }

    static Stream<Arguments> metricsOfEachType() {
        return Stream.of(
                Arguments.of("gauge", gauge(3), 3),
                Arguments.of("sum", sum(4), 4),
                Arguments.of("histogram", histogram(5), 5),
                Arguments.of("exponential histogram", exponentialHistogram(6), 6),
                Arguments.of("summary", summary(7), 7),
                Arguments.of("no data", Metric.newBuilder().setName("empty").build(), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metricsOfEachType")
    void countsDataPointsOfOneMetric(String type, Metric metric, int expected) throws Exception {
        assertThat(OtlpPayloads.dataPointCount(metric)).isEqualTo(expected);
        assertThat(OtlpPayloads.summarize(Signal.METRICS, metrics(metric).toByteArray())
                        .items())
                .isEqualTo(expected);
    }

    @Test
    void countsLogRecords() throws Exception {
        PayloadSummary summary =
                OtlpPayloads.summarize(Signal.LOGS, OtlpFixtures.logs("l", 4).toByteArray());

        assertThat(summary).isEqualTo(new PayloadSummary(Signal.LOGS, 1, 4));
    }

    @ParameterizedTest
    @EnumSource(Signal.class)
    void acceptsEmptyPayloadAsEmptyRequest(Signal signal) throws Exception {
        assertThat(OtlpPayloads.summarize(signal, new byte[0])).isEqualTo(new PayloadSummary(signal, 0, 0));
    }

    // --- rejecting what is not a request ---

    @ParameterizedTest
    @EnumSource(Signal.class)
    void rejectsGarbageBytes(Signal signal) {
        // Field 1, length-delimited, claims 5 bytes but only 1 follows: truncated.
        byte[] garbage = {0x0a, 0x05, 0x01};

        assertThatThrownBy(() -> OtlpPayloads.summarize(signal, garbage))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageStartingWith("not a valid " + requestName(signal) + ": ");
    }

    static Stream<Arguments> requestsOfAnotherSignal() {
        byte[] spans = OtlpFixtures.spans("s", 1).toByteArray();
        byte[] metrics = OtlpFixtures.gaugePoints("g", 2).toByteArray();
        byte[] logs = OtlpFixtures.logs("l", 1).toByteArray();
        return Stream.of(
                Arguments.of(Signal.SPANS, metrics), Arguments.of(Signal.SPANS, logs),
                Arguments.of(Signal.METRICS, spans), Arguments.of(Signal.METRICS, logs),
                Arguments.of(Signal.LOGS, spans), Arguments.of(Signal.LOGS, metrics));
    }

    @ParameterizedTest
    @MethodSource("requestsOfAnotherSignal")
    void rejectsRequestOfAnotherSignal(Signal signal, byte[] payload) {
        assertThatThrownBy(() -> OtlpPayloads.summarize(signal, payload)).isInstanceOf(InvalidPayloadException.class);
    }

    @Test
    void rejectsTraceRequestWithUnknownTopLevelField() {
        byte[] payload = concat(OtlpFixtures.spans("a", 1).toByteArray(), UNKNOWN_FIELD_15);

        assertThatThrownBy(() -> OtlpPayloads.summarize(Signal.SPANS, payload))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessage("not a valid ExportTraceServiceRequest: unknown top-level field number(s) [15]");
    }

    @Test
    void rejectsMetricsAndLogsRequestsWithUnknownTopLevelField() {
        byte[] metrics = concat(OtlpFixtures.gaugePoints("g", 1).toByteArray(), UNKNOWN_FIELD_15);
        byte[] logs = concat(OtlpFixtures.logs("l", 1).toByteArray(), UNKNOWN_FIELD_15);

        assertThatThrownBy(() -> OtlpPayloads.summarize(Signal.METRICS, metrics))
                .hasMessage("not a valid ExportMetricsServiceRequest: unknown top-level field number(s) [15]");
        assertThatThrownBy(() -> OtlpPayloads.summarize(Signal.LOGS, logs))
                .hasMessage("not a valid ExportLogsServiceRequest: unknown top-level field number(s) [15]");
    }

    // --- span identifiers ---

    @Test
    void rejectsSpanWithShortTraceId() {
        assertThatThrownBy(() -> summarizeSecondSpan(span().setTraceId(bytes(15))))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessage("resource_spans[0].scope_spans[0].spans[1].trace_id: must be 16 bytes, got 15");
    }

    @Test
    void rejectsSpanWithoutTraceId() {
        assertThatThrownBy(() -> summarizeSecondSpan(span().setTraceId(ByteString.EMPTY)))
                .hasMessage("resource_spans[0].scope_spans[0].spans[1].trace_id: must be 16 bytes, got 0");
    }

    @Test
    void rejectsSpanWithWrongLengthSpanId() {
        assertThatThrownBy(() -> summarizeSecondSpan(span().setSpanId(bytes(7))))
                .hasMessage("resource_spans[0].scope_spans[0].spans[1].span_id: must be 8 bytes, got 7");
        assertThatThrownBy(() -> summarizeSecondSpan(span().setSpanId(ByteString.EMPTY)))
                .hasMessage("resource_spans[0].scope_spans[0].spans[1].span_id: must be 8 bytes, got 0");
    }

    @Test
    void acceptsSpanWithEmptyOrFullLengthParentSpanId() throws Exception {
        assertThat(summarizeSecondSpan(span().setParentSpanId(ByteString.EMPTY)).items())
                .isEqualTo(2);
        assertThat(summarizeSecondSpan(span().setParentSpanId(bytes(8))).items())
                .isEqualTo(2);
    }

    @Test
    void rejectsSpanWithWrongLengthParentSpanId() {
        assertThatThrownBy(() -> summarizeSecondSpan(span().setParentSpanId(bytes(4))))
                .hasMessage(
                        "resource_spans[0].scope_spans[0].spans[1].parent_span_id: must be 8 bytes or empty, got 4");
    }

    @Test
    void namesResourceAndScopeIndexOfTheOffendingSpan() {
        ExportTraceServiceRequest request = OtlpFixtures.spans("a", 1).toBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span()))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .addSpans(span())
                                .addSpans(span())
                                .addSpans(span().setSpanId(bytes(9)))))
                .build();

        assertThatThrownBy(() -> OtlpPayloads.summarize(Signal.SPANS, request.toByteArray()))
                .hasMessage("resource_spans[1].scope_spans[1].spans[2].span_id: must be 8 bytes, got 9");
    }

    // --- log identifiers ---

    @Test
    void acceptsLogRecordsWithEmptyOrFullLengthIds() throws Exception {
        ExportLogsServiceRequest request = logs(
                LogRecord.newBuilder(),
                LogRecord.newBuilder().setTraceId(bytes(16)).setSpanId(bytes(8)));

        assertThat(OtlpPayloads.summarize(Signal.LOGS, request.toByteArray()).items())
                .isEqualTo(2);
    }

    @Test
    void rejectsLogRecordWithWrongLengthTraceId() {
        ExportLogsServiceRequest request =
                logs(LogRecord.newBuilder(), LogRecord.newBuilder().setTraceId(bytes(8)));

        assertThatThrownBy(() -> OtlpPayloads.summarize(Signal.LOGS, request.toByteArray()))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessage("resource_logs[0].scope_logs[0].log_records[1].trace_id: must be 16 bytes or empty, got 8");
    }

    @Test
    void rejectsLogRecordWithWrongLengthSpanId() {
        ExportLogsServiceRequest request = logs(LogRecord.newBuilder().setSpanId(bytes(16)));

        assertThatThrownBy(() -> OtlpPayloads.summarize(Signal.LOGS, request.toByteArray()))
                .hasMessage("resource_logs[0].scope_logs[0].log_records[0].span_id: must be 8 bytes or empty, got 16");
    }

    // --- helpers ---

    /** Summarizes a request whose first span is valid and whose second is {@code second}. */
    private static PayloadSummary summarizeSecondSpan(Span.Builder second) throws InvalidPayloadException {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span()).addSpans(second)))
                .build();
        return OtlpPayloads.summarize(Signal.SPANS, request.toByteArray());
    }

    /** A span with valid ids and no parent. */
    private static Span.Builder span() {
        return Span.newBuilder().setTraceId(bytes(16)).setSpanId(bytes(8)).setName("s");
    }

    /** An id of {@code length} non-zero bytes. */
    private static ByteString bytes(int length) {
        byte[] id = new byte[length];
        Arrays.fill(id, (byte) 0x5a);
        return ByteString.copyFrom(id);
    }

    private static ExportLogsServiceRequest logs(LogRecord.Builder... records) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (LogRecord.Builder record : records) {
            scope.addLogRecords(record);
        }
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope))
                .build();
    }

    private static ExportMetricsServiceRequest metrics(Metric... metrics) {
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
        for (Metric metric : metrics) {
            scope.addMetrics(metric);
        }
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(scope))
                .build();
    }

    private static Metric gauge(int points) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int i = 0; i < points; i++) {
            gauge.addDataPoints(NumberDataPoint.newBuilder().setAsInt(i));
        }
        return Metric.newBuilder().setName("gauge").setGauge(gauge).build();
    }

    private static Metric sum(int points) {
        Sum.Builder sum = Sum.newBuilder();
        for (int i = 0; i < points; i++) {
            sum.addDataPoints(NumberDataPoint.newBuilder().setAsInt(i));
        }
        return Metric.newBuilder().setName("sum").setSum(sum).build();
    }

    private static Metric histogram(int points) {
        Histogram.Builder histogram = Histogram.newBuilder();
        for (int i = 0; i < points; i++) {
            histogram.addDataPoints(HistogramDataPoint.newBuilder().setCount(i));
        }
        return Metric.newBuilder().setName("histogram").setHistogram(histogram).build();
    }

    private static Metric exponentialHistogram(int points) {
        ExponentialHistogram.Builder histogram = ExponentialHistogram.newBuilder();
        for (int i = 0; i < points; i++) {
            histogram.addDataPoints(ExponentialHistogramDataPoint.newBuilder().setCount(i));
        }
        return Metric.newBuilder()
                .setName("exponential")
                .setExponentialHistogram(histogram)
                .build();
    }

    private static Metric summary(int points) {
        Summary.Builder summary = Summary.newBuilder();
        for (int i = 0; i < points; i++) {
            summary.addDataPoints(SummaryDataPoint.newBuilder().setCount(i));
        }
        return Metric.newBuilder().setName("summary").setSummary(summary).build();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static String requestName(Signal signal) {
        return switch (signal) {
            case SPANS -> "ExportTraceServiceRequest";
            case METRICS -> "ExportMetricsServiceRequest";
            case LOGS -> "ExportLogsServiceRequest";
        };
    }
}
