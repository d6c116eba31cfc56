package io.otlpgovernor.job.operators;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.contract.testing.Telemetry;
import io.otlpgovernor.rules.pipeline.model.AdmittedRecord;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.DecodedRecord;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.pipeline.model.SourcePosition;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.ruleset.RuleSetMessage;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GovernFunctionTest {

    /** The arrival time of every test record: a fixed instant, so no test depends on the wall clock. */
    private static final long NOW = 1_780_000_000_000L;

    /** Small, so that a test request can be larger. */
    private static final int MAX_RECORD_BYTES = 64 * 1024;

    private BroadcastOperatorTestHarness<AdmittedRecord, RuleUpdate, GovernedRecord> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                new GovernFunction(QuotaFunctionTest.RULES, MAX_RECORD_BYTES),
                RulesBroadcast.RULE_SETS,
                RulesBroadcast.SUBJECTS);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void governsSplitsByTierAndReportsWhatItDid() throws Exception {
        long now = NOW;
        harness.processElement(
                admitted("shop", spans(now, "user.email", "ana@example.com", "card", "4111 1111 1111 1111")), 0);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(governed -> {
            assertThat(governed.tier()).isEqualTo("compliance");
            assertThat(governed.ruleSetVersion()).isEqualTo(1);
            assertThat(governed.labels()).isEqualTo("pci,pii");
            assertThat(new String(governed.payload(), StandardCharsets.ISO_8859_1))
                    .doesNotContain("ana@example.com")
                    .doesNotContain("4111")
                    .contains("[REDACTED:email]");
        });
        assertThat(side(Outputs.USAGE)).singleElement().satisfies(usage -> {
            assertThat(usage.tier()).isEqualTo("compliance");
            assertThat(usage.accepted()).isEqualTo(1);
            assertThat(usage.represented()).isEqualTo(1.0);
        });
        assertThat(side(Outputs.AUDIT))
                .extracting(AuditDelta::rule, AuditDelta::action, AuditDelta::target)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("email", "redact", "span.attributes[user.email]"),
                        org.assertj.core.groups.Tuple.tuple("payment-card", "redact", "span.attributes[card]"),
                        org.assertj.core.groups.Tuple.tuple("cards-kept-long", "route", "compliance"));
    }

    @Test
    void anUntouchedRequestKeepsItsBytes() throws Exception {
        // Valid but not in protobuf's canonical field order: re-encoding it would change the bytes.
        ResourceSpans canonical = spans(NOW, "http.method", "GET").getResourceSpans(0);
        ByteArrayOutputStream resourceSpans = new ByteArrayOutputStream();
        canonical.toBuilder().clearResource().build().writeTo(resourceSpans);
        ResourceSpans.newBuilder().setResource(canonical.getResource()).build().writeTo(resourceSpans);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(request);
        out.writeByteArray(1, resourceSpans.toByteArray());
        out.flush();
        byte[] payload = request.toByteArray();
        assertThat(ExportTraceServiceRequest.parseFrom(payload).toByteArray()).isNotEqualTo(payload);

        harness.processElement(new AdmittedRecord(decoded("shop", payload, 1), 0, 1), 0);

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(g -> assertThat(g.payload()).isEqualTo(payload));
    }

    @Test
    void aGovernedRequestLargerThanARecordIsWrittenInRecordsThatFitEachSpanOnce() throws Exception {
        long now = NOW;
        ExportTraceServiceRequest request = Telemetry.spans("large", 300, now, "note", "n".repeat(1_000));
        assertThat(request.getSerializedSize()).isGreaterThan(4 * MAX_RECORD_BYTES);

        harness.processElement(admitted("shop", request), 0);

        List<GovernedRecord> records = harness.extractOutputValues();
        assertThat(records).hasSizeGreaterThan(4);
        List<String> names = new java.util.ArrayList<>();
        for (GovernedRecord record : records) {
            assertThat(record.payload().length).isLessThanOrEqualTo(MAX_RECORD_BYTES);
            ExportTraceServiceRequest part = ExportTraceServiceRequest.parseFrom(record.payload());
            part.getResourceSpans(0).getScopeSpans(0).getSpansList().forEach(span -> names.add(span.getName()));
            assertThat(record.items())
                    .isEqualTo(part.getResourceSpans(0).getScopeSpans(0).getSpansCount());
            assertThat(part.getResourceSpans(0).getResource())
                    .isEqualTo(request.getResourceSpans(0).getResource());
        }
        assertThat(names)
                .containsExactlyElementsOf(request.getResourceSpans(0).getScopeSpans(0).getSpansList().stream()
                        .map(io.opentelemetry.proto.trace.v1.Span::getName)
                        .toList());
        assertThat(side(Outputs.USAGE))
                .hasSize(records.size())
                .allSatisfy(usage -> assertThat(usage.represented()).isEqualTo(usage.accepted()))
                .extracting(UsageDelta::accepted)
                .containsExactlyElementsOf(
                        records.stream().map(GovernedRecord::items).toList());
    }

    @Test
    void dataOlderThanItsTierIsDroppedAndCounted() throws Exception {
        long longAgo = NOW - java.time.Duration.ofDays(31).toMillis();
        harness.processElement(admitted("shop", spans(longAgo, "http.method", "GET")), 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(side(Outputs.USAGE))
                .singleElement()
                .satisfies(u -> assertThat(u.droppedAge()).isEqualTo(1));
        assertThat(side(Outputs.AUDIT)).extracting(AuditDelta::action).contains("expire");
    }

    @Test
    void ruleChangesAreReportedAndApplied() throws Exception {
        RuleSetMessage v2 = new RuleSetMessage("shop", 2, Map.of("tenants/shop.yaml", "tenant: shop\nversion: 2\n"));
        harness.processBroadcastElement(new RuleUpdate("shop", v2.toJson(), 3), 0);
        harness.processBroadcastElement(new RuleUpdate("shop", "nonsense".getBytes(StandardCharsets.UTF_8), 4), 0);
        harness.processElement(admitted("shop", spans(NOW, "user.email", "ana@example.com")), 0);

        assertThat(side(Outputs.AUDIT_EVENTS))
                .extracting(r -> new String(r.json(), StandardCharsets.UTF_8))
                .satisfiesExactly(
                        accepted -> assertThat(accepted)
                                .contains("\"outcome\":\"accepted\"", "\"version\":2", "\"previous_version\":1"),
                        rejected ->
                                assertThat(rejected).contains("\"outcome\":\"rejected\"", "not a rule set message"));
        // Version 2 has no classification: the address passes, and the record says which rules governed it.
        assertThat(harness.extractOutputValues()).singleElement().satisfies(g -> {
            assertThat(g.ruleSetVersion()).isEqualTo(2);
            assertThat(g.tier()).isEqualTo("standard");
        });
    }

    @Test
    void headSamplingKeepsAConsistentShareWithItsThresholdAndCountsTheRest() throws Exception {
        RuleSetMessage quarter = new RuleSetMessage(
                "shop",
                2,
                Map.of(
                        "tenants/shop.yaml",
                        "tenant: shop\nversion: 2\nsampling:\n  head:\n    default-probability: 0.25\n"));
        harness.processBroadcastElement(new RuleUpdate("shop", quarter.toJson(), 3), 0);
        long now = NOW;
        List<io.opentelemetry.proto.trace.v1.Span> spans = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            spans.add(Telemetry.span(i, "op", now));
        }
        harness.processElement(
                new AdmittedRecord(decoded("shop", Telemetry.spans(spans).toByteArray(), 400), 0, 2), 0);

        List<io.opentelemetry.proto.trace.v1.Span> kept = ExportTraceServiceRequest.parseFrom(
                        harness.extractOutputValues().get(0).payload())
                .getResourceSpans(0)
                .getScopeSpans(0)
                .getSpansList();
        // 100 expected; 3σ = 3 × √(400 × 0.25 × 0.75) ≈ 26.
        assertThat(kept.size()).isBetween(74, 126);
        assertThat(kept).allSatisfy(span -> assertThat(span.getTraceState()).isEqualTo("ot=th:c"));
        assertThat(side(Outputs.USAGE))
                .filteredOn(u -> u.droppedSampling() > 0)
                .singleElement()
                .satisfies(u -> assertThat(u.droppedSampling()).isEqualTo(400 - kept.size()));
        assertThat(side(Outputs.USAGE))
                .filteredOn(u -> u.accepted() > 0)
                .singleElement()
                .satisfies(u -> assertThat(u.represented()).isEqualTo(kept.size() * 4.0));
        assertThat(side(Outputs.AUDIT))
                .filteredOn(a -> a.action().equals("head-sample-drop"))
                .singleElement()
                .satisfies(a -> assertThat(a.count()).isEqualTo(400 - kept.size()));
    }

    @Test
    void aTailSampledTenantsSpansAndTracedLogsWaitPerTraceAndOthersPassStraightThrough() throws Exception {
        long now = NOW;
        ExportTraceServiceRequest twoTraces = Telemetry.spans(
                List.of(Telemetry.span(901, "a", now), Telemetry.span(902, "b", now), Telemetry.span(901, "c", now)));
        harness.processElement(admitted("tailed", twoTraces), 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(side(Outputs.USAGE)).isEmpty();
        assertThat(side(Outputs.TRACE_PIECES))
                .extracting(
                        io.otlpgovernor.rules.pipeline.model.TracePiece::key,
                        io.otlpgovernor.rules.pipeline.model.TracePiece::items)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                io.otlpgovernor.rules.pipeline.TraceSplitter.key("tailed", Telemetry.traceId(901)), 2L),
                        org.assertj.core.groups.Tuple.tuple(
                                io.otlpgovernor.rules.pipeline.TraceSplitter.key("tailed", Telemetry.traceId(902)),
                                1L));

        var logs = Telemetry.logs("hello", 2, now).toBuilder();
        logs.getResourceLogsBuilder(0)
                .getScopeLogsBuilder(0)
                .getLogRecordsBuilder(0)
                .setTraceId(Telemetry.traceId(901));
        byte[] payload = logs.build().toByteArray();
        harness.processElement(
                new AdmittedRecord(
                        new DecodedRecord(
                                "tailed",
                                Signal.LOGS,
                                payload,
                                2,
                                now,
                                new char[2],
                                new SourcePosition("otlp_logs", 0, 2)),
                        0,
                        1),
                0);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(record -> {
            assertThat(record.signal()).isEqualTo(Signal.LOGS);
            assertThat(record.items()).isEqualTo(1);
        });
        assertThat(side(Outputs.TRACE_PIECES)).hasSize(3).last().satisfies(piece -> {
            assertThat(piece.signal()).isEqualTo(Signal.LOGS);
            assertThat(piece.key())
                    .isEqualTo(io.otlpgovernor.rules.pipeline.TraceSplitter.key("tailed", Telemetry.traceId(901)));
            assertThat(piece.items()).isEqualTo(1);
        });
        assertThat(side(Outputs.USAGE))
                .singleElement()
                .satisfies(usage -> assertThat(usage.accepted()).isEqualTo(1));
    }

    private <T> List<T> side(OutputTag<T> tag) {
        var queue = harness.getSideOutput(tag);
        return queue == null
                ? List.of()
                : queue.stream().map(StreamRecord::getValue).toList();
    }

    private static AdmittedRecord admitted(String tenant, ExportTraceServiceRequest request) {
        return new AdmittedRecord(decoded(tenant, request.toByteArray(), 1), 0, 1);
    }

    private static DecodedRecord decoded(String tenant, byte[] payload, long items) {
        return new DecodedRecord(
                tenant,
                Signal.SPANS,
                payload,
                items,
                NOW,
                new char[(int) items],
                new SourcePosition("otlp_spans", 0, 1));
    }

    /** One span ended at {@code endMillis} with string attributes given as pairs. */
    private static ExportTraceServiceRequest spans(long endMillis, String... attributes) {
        ExportTraceServiceRequest.Builder request = OtlpFixtures.spans("op", 1).toBuilder();
        var span = request.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(0)
                .setEndTimeUnixNano(endMillis * 1_000_000)
                .setStartTimeUnixNano(endMillis * 1_000_000 - 1000);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            span.addAttributes(KeyValue.newBuilder()
                    .setKey(attributes[i])
                    .setValue(AnyValue.newBuilder().setStringValue(attributes[i + 1])));
        }
        return request.build();
    }
}
