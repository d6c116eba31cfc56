package io.otlpgovernor.job.operators;

import java.util.List;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.rules.pipeline.TraceSplitter;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.RateLimitedTrace;
import io.otlpgovernor.rules.pipeline.model.TracePiece;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TailRateLimitFunctionTest {

    private KeyedOneInputStreamOperatorTestHarness<String, RateLimitedTrace, GovernedRecord> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new TailRateLimitFunction(JobSettings.Kafka.DEFAULT_MAX_RECORD_BYTES),
                RateLimitedTrace::limiterKey,
                Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void admitsWholeTracesWhileTheServiceHasTokensWithThresholdErased() throws Exception {
        harness.setProcessingTime(5_000);
        harness.processElement(trace(1, 6), 5_000);
        harness.processElement(trace(2, 6), 5_000); // 4 tokens left: refused whole
        harness.setProcessingTime(5_300);
        harness.processElement(trace(3, 4), 5_300); // 4 + 3 refilled

        assertThat(harness.extractOutputValues())
                .extracting(GovernedRecord::items)
                .containsExactly(6L, 4L);
        assertThat(harness.extractOutputValues())
                .allSatisfy(record -> assertThat(ExportTraceServiceRequest.parseFrom(record.payload())
                                .getResourceSpans(0)
                                .getScopeSpans(0)
                                .getSpansList())
                        .allSatisfy(span -> assertThat(span.getTraceState()).isEmpty()));
        assertThat(side(Outputs.USAGE)).extracting(UsageDelta::droppedTail).containsExactlyInAnyOrder(0L, 6L, 0L);
        assertThat(side(Outputs.AUDIT))
                .extracting(AuditDelta::action)
                .containsExactly("tail-keep", "tail-drop", "tail-keep");
        assertThat(side(Outputs.AUDIT)).extracting(AuditDelta::rule).containsOnly("ten-spans-a-second");

        harness.setProcessingTime(8_000);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    private static RateLimitedTrace trace(long n, int spans) {
        ByteString traceId = TailSamplingFunctionTest.traceId(n, 0x10L);
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < spans; i++) {
            scope.addSpans(Span.newBuilder().setTraceId(traceId).setName("op").setTraceState("ot=th:8"));
        }
        byte[] payload = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
                .build()
                .toByteArray();
        TracePiece piece = new TracePiece(
                TraceSplitter.key("limited", traceId),
                "limited",
                Signal.SPANS,
                "standard",
                1,
                "",
                payload,
                spans,
                spans,
                1_764_000_000_000L,
                null);
        return new RateLimitedTrace(
                "limited/checkout",
                "limited",
                "ten-spans-a-second",
                10,
                spans,
                RateLimitedTrace.encode(List.of(piece)));
    }

    private <T> List<T> side(OutputTag<T> tag) {
        var queue = harness.getSideOutput(tag);
        return queue == null
                ? List.of()
                : queue.stream().map(StreamRecord::getValue).toList();
    }
}
