package io.otlpgovernor.rules.sampling;

import java.util.List;
import java.util.SplittableRandom;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import org.junit.jupiter.api.Test;

import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.attribute;
import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.log;
import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.randomTraceId;
import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.span;
import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.traceId;
import static org.assertj.core.api.Assertions.assertThat;

class AdjustedCountsTest {

    @Test
    void itemsWithoutAThresholdCountOnce() {
        assertThat(AdjustedCounts.spans(OtlpFixtures.spans("plain", 7))).isEqualTo(7.0);
        assertThat(AdjustedCounts.logs(OtlpFixtures.logs("plain", 3))).isEqualTo(3.0);
        assertThat(AdjustedCounts.spans(ExportTraceServiceRequest.getDefaultInstance()))
                .isZero();
    }

    @Test
    void spansCountTheInverseOfTheirTracestateProbability() {
        ByteString highR = traceId(0xf0000000000000L);
        ExportTraceServiceRequest request = spans(
                span(highR, "ot=th:8"), // 50 %: 2
                span(highR, "congo=x,ot=th:c;rv:f8000000000000"), // 25 %: 4
                span(highR, "ot=th:0"), // 100 %: 1
                span(highR, "ot=th:E"), // malformed: 1
                span(traceId(0x10000000000000L), "ot=th:8"), // R < th, inconsistent: 1
                span(highR, "congo=x")); // no th: 1

        assertThat(AdjustedCounts.spans(request)).isEqualTo(2 + 4 + 1 + 1 + 1 + 1);
    }

    @Test
    void logRecordsCountTheInverseOfTheirSamplingThresholdAttribute() {
        ByteString highR = traceId(0xf0000000000000L);
        ExportLogsServiceRequest request = logs(
                log(highR, "a", attribute("sampling.threshold", "c")),
                log(ByteString.EMPTY, "b", attribute("sampling.threshold", "e")), // no randomness to contradict it: 8
                log(
                        ByteString.EMPTY,
                        "c",
                        attribute("sampling.threshold", "8"),
                        attribute("sampling.randomness", "80000000000000")),
                log(highR, "d", attribute("sampling.threshold", "C")),
                log(highR, "e"));

        assertThat(AdjustedCounts.logs(request)).isEqualTo(4 + 8 + 2 + 1 + 1);
    }

    @Test
    void everyItemCountsWhatASamplerAtOneHundredPercentReports() {
        SplittableRandom random = new SplittableRandom(21);
        ConsistentSampler everything = ConsistentSampler.withThreshold(Threshold.ALWAYS);
        for (int round = 0; round < 20; round++) {
            ExportTraceServiceRequest request = ThresholdFilter.spans(
                            ThresholdFilterTest.randomSpans(random),
                            new Threshold((long) random.nextInt(1 << 16) << 40))
                    .request();
            double expected = 0;
            for (Span span : ThresholdFilterTest.spans(request)) {
                expected += everything
                        .decide(span.getTraceState(), span.getTraceId())
                        .adjustedCount();
            }
            assertThat(AdjustedCounts.spans(request)).isEqualTo(expected);
        }
    }

    @Test
    void theAdjustedCountsOfWhatAThresholdKeepsEstimateWhatWasSent() {
        SplittableRandom random = new SplittableRandom(22);
        int sent = 100_000;
        Threshold tenPercent = Threshold.fromProbability(0.1);
        ScopeSpans.Builder spans = ScopeSpans.newBuilder();
        ScopeLogs.Builder logs = ScopeLogs.newBuilder();
        for (int i = 0; i < sent; i++) {
            spans.addSpans(span(randomTraceId(random), i % 2 == 0 ? "" : "congo=x"));
            logs.addLogRecords(log(i % 3 == 0 ? ByteString.EMPTY : randomTraceId(random), "line " + i));
        }
        ExportTraceServiceRequest spanRequest = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(spans))
                .build();
        ExportLogsServiceRequest logRequest = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(logs))
                .build();

        double spanEstimate = AdjustedCounts.spans(
                ThresholdFilter.spans(spanRequest, tenPercent).request());
        double logEstimate =
                AdjustedCounts.logs(ThresholdFilter.logs(logRequest, tenPercent).request());

        double p = tenPercent.probability();
        double sigma = Math.sqrt(sent * (1 - p) / p);
        assertThat(spanEstimate).isBetween(sent - 3 * sigma, sent + 3 * sigma);
        assertThat(logEstimate).isBetween(sent - 3 * sigma, sent + 3 * sigma);
    }

    private static ExportTraceServiceRequest spans(Span... spans) {
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))))
                .build();
    }

    private static ExportLogsServiceRequest logs(LogRecord... records) {
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records))))
                .build();
    }
}
