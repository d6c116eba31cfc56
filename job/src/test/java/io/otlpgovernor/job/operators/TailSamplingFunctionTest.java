package io.otlpgovernor.job.operators;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.types.TracePieceSerializer;
import io.otlpgovernor.rules.pipeline.TraceSplitter;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.RateLimitedTrace;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.pipeline.model.TracePiece;
import io.otlpgovernor.rules.pipeline.model.TraceState;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.protection.Pseudonyms;
import io.otlpgovernor.rules.sampling.tail.TailEvaluator;
import io.otlpgovernor.rules.sampling.tail.TraceSummary;
import io.otlpgovernor.rules.subjects.SubjectEntry;
import io.otlpgovernor.rules.subjects.SubjectIdentifiers;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tail sampling per trace, with the test tenants {@code tailed} (decision-wait 2 s, at most 20 spans, cache 5 s;
 * keeps errors and one trace in ten) and {@code limited} (decision-wait 1 s; keeps errors, rate-limits the rest).
 */
class TailSamplingFunctionTest {

    /** Randomness below T(0.1): the probabilistic policy does not keep such a trace. */
    private static final long LOW = 0x10_0000_0000_0000L;
    /** Randomness above T(0.1): kept by the probabilistic policy. */
    private static final long HIGH = 0xf0_0000_0000_0000L;

    private KeyedBroadcastOperatorTestHarness<String, TracePiece, RuleUpdate, GovernedRecord> harness;
    private long spanSequence = 1;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void decidesOnceAfterTheWaitSinceTheTraceLastPieceAndWritesItWhole() throws Exception {
        harness = open(null);
        ByteString trace = traceId(1, LOW);
        harness.setProcessingTime(10_000);
        harness.processElement(spans("tailed", trace, 2, false), 0);
        harness.setProcessingTime(11_500);
        harness.processElement(spans("tailed", trace, 1, true), 0); // the error arrives later
        harness.setProcessingTime(13_000); // 2 s after the first piece: not yet
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.setProcessingTime(14_000); // 11.5 s + 2 s, rounded up to the second
        assertThat(harness.extractOutputValues()).singleElement().satisfies(record -> {
            assertThat(record.items()).isEqualTo(3);
            assertThat(record.tier()).isEqualTo("standard");
            assertThat(spansOf(record)).hasSize(3);
        });
        assertThat(side(Outputs.AUDIT)).singleElement().satisfies(audit -> {
            assertThat(audit.action()).isEqualTo("tail-keep");
            assertThat(audit.rule()).isEqualTo("errors");
            assertThat(audit.count()).isEqualTo(3);
        });
        assertThat(side(Outputs.USAGE)).singleElement().satisfies(usage -> {
            assertThat(usage.accepted()).isEqualTo(3);
            assertThat(usage.represented()).isEqualTo(3.0);
        });

        harness.setProcessingTime(60_000);
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(stateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aTraceNoPolicyKeepsIsDroppedAndCounted() throws Exception {
        harness = open(null);
        harness.setProcessingTime(0);
        harness.processElement(spans("tailed", traceId(2, LOW), 4, false), 0);
        harness.setProcessingTime(2_000);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(side(Outputs.USAGE))
                .singleElement()
                .satisfies(usage -> assertThat(usage.droppedTail()).isEqualTo(4));
        assertThat(side(Outputs.AUDIT)).singleElement().satisfies(audit -> {
            assertThat(audit.action()).isEqualTo("tail-drop");
            assertThat(audit.count()).isEqualTo(4);
        });
    }

    @Test
    void aProbabilisticKeepRaisesThresholdAndCountsWhatItRepresents() throws Exception {
        harness = open(null);
        harness.setProcessingTime(0);
        harness.processElement(spans("tailed", traceId(3, HIGH), 2, false), 0);
        harness.processElement(logs("tailed", traceId(3, HIGH), 1), 0);
        harness.setProcessingTime(2_000);

        assertThat(harness.extractOutputValues())
                .filteredOn(r -> r.signal() == Signal.SPANS)
                .singleElement()
                .satisfies(record -> assertThat(spansOf(record))
                        .allSatisfy(span -> assertThat(span.getTraceState()).startsWith("ot=th:e66")));
        assertThat(harness.extractOutputValues())
                .filteredOn(r -> r.signal() == Signal.LOGS)
                .singleElement()
                .satisfies(record -> assertThat(ExportLogsServiceRequest.parseFrom(record.payload())
                                .getResourceLogs(0)
                                .getScopeLogs(0)
                                .getLogRecords(0)
                                .getAttributesList())
                        .anySatisfy(attribute -> {
                            assertThat(attribute.getKey()).isEqualTo("sampling.threshold");
                            assertThat(attribute.getValue().getStringValue()).startsWith("e66");
                        }));
        assertThat(side(Outputs.USAGE))
                .filteredOn(u -> u.signal() == Signal.SPANS)
                .singleElement()
                .satisfies(usage ->
                        assertThat(usage.represented()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(0.01)));
        assertThat(side(Outputs.AUDIT)).extracting(AuditDelta::rule).containsOnly("one-in-ten");
    }

    @Test
    void theSpanCapDecidesAtOnce() throws Exception {
        harness = open(null);
        harness.setProcessingTime(0);
        ByteString trace = traceId(4, LOW);
        harness.processElement(spans("tailed", trace, 15, true), 0);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processElement(spans("tailed", trace, 5, false), 0); // 20 spans: the cap

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(record -> assertThat(record.items()).isEqualTo(20));
    }

    @Test
    void lateSpansAndLogsFollowTheCachedDecisionAndStateIsGoneAfterItsTtl() throws Exception {
        harness = open(null);
        harness.setProcessingTime(0);
        ByteString kept = traceId(5, LOW);
        ByteString dropped = traceId(6, LOW);
        harness.processElement(spans("tailed", kept, 1, true), 0);
        harness.processElement(logs("tailed", kept, 2), 0);
        harness.processElement(spans("tailed", dropped, 1, false), 0);
        harness.processElement(logs("tailed", dropped, 3), 0);
        harness.setProcessingTime(2_000);
        assertThat(harness.extractOutputValues())
                .extracting(GovernedRecord::signal, GovernedRecord::items)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(Signal.SPANS, 1L),
                        org.assertj.core.groups.Tuple.tuple(Signal.LOGS, 2L));

        harness.setProcessingTime(4_000);
        harness.processElement(spans("tailed", kept, 1, false), 0); // late: kept at once
        harness.processElement(spans("tailed", dropped, 1, true), 0); // late: dropped at once, error or not
        assertThat(harness.extractOutputValues()).hasSize(3);
        assertThat(side(Outputs.USAGE)).extracting(UsageDelta::droppedTail).contains(1L, 3L);

        harness.setProcessingTime(7_000); // the cache entries (5 s) expire
        assertThat(stateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void logsWhoseSpansNeverCameAreWrittenButTheSpansThatComeLaterAreStillSampled() throws Exception {
        harness = open(null);
        harness.setProcessingTime(0);
        ByteString trace = traceId(11, LOW);
        harness.processElement(logs("tailed", trace, 2), 0);
        harness.setProcessingTime(2_000);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(record -> assertThat(record.signal()).isEqualTo(Signal.LOGS));
        assertThat(stateEntries())
                .as("no verdict remembered for a trace decided without spans")
                .isZero();

        // The spans, late (a logs topic read ahead of the spans topic): decided on their own, and not kept.
        harness.processElement(spans("tailed", trace, 3, false), 0);
        harness.setProcessingTime(4_000);
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(side(Outputs.USAGE))
                .anySatisfy(usage -> assertThat(usage.droppedTail()).isEqualTo(3));
    }

    @Test
    void aTraceInFlightSurvivesASnapshotAndIsDecidedOnceWhole() throws Exception {
        harness = open(null);
        harness.setProcessingTime(0);
        ByteString trace = traceId(7, LOW);
        harness.processElement(spans("tailed", trace, 2, false), 0);
        assertThat(stateEntries()).isPositive();
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = open(snapshot);
        harness.setProcessingTime(1_000);
        harness.processElement(spans("tailed", trace, 1, true), 0);
        harness.setProcessingTime(3_000);

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(record -> assertThat(record.items()).isEqualTo(3));
        harness.setProcessingTime(10_000);
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(stateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aTraceThatHingesOnARateLimitGoesWholeToItsServiceLimiter() throws Exception {
        harness = open(null);
        harness.setProcessingTime(0);
        harness.processElement(spans("limited", traceId(8, LOW), 3, false), 0);
        harness.processElement(logs("limited", traceId(8, LOW), 1), 0);
        harness.setProcessingTime(1_000);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(side(TailSamplingFunction.RATE_LIMITED)).singleElement().satisfies(trace -> {
            assertThat(trace.limiterKey()).isEqualTo("limited/checkout");
            assertThat(trace.spans()).isEqualTo(3);
            assertThat(trace.spansPerSecond()).isEqualTo(10);
            assertThat(RateLimitedTrace.decode(trace.pieces()))
                    .extracting(TracePiece::items)
                    .containsExactly(3L, 1L);
        });
    }

    @Test
    void aPieceIsDecidedByItsOwnSummaryAndOneFromOtherRulesIsSummarizedAgain() throws Exception {
        harness = open(null);
        harness.setProcessingTime(0);
        // The summary came with the piece and is trusted: it says error, and the error policy keeps the trace.
        TracePiece plain = spans("tailed", traceId(9, LOW), 2, false);
        TraceSummary claimsError = new TraceSummary(
                2,
                plain.summary().bytes(),
                plain.summary().earliestStartNanos(),
                plain.summary().latestEndNanos(),
                true,
                plain.summary().matched(),
                plain.summary().conditionsFingerprint(),
                plain.summary().anchorIsRoot(),
                plain.summary().anchorStartNanos(),
                plain.summary().service(),
                plain.summary().randomness(),
                plain.summary().threshold());
        harness.processElement(withSummary(plain, claimsError), 0);
        // A summary built by other tail conditions is not trusted: the spans (no error) are summarized again.
        TracePiece other = spans("tailed", traceId(10, LOW), 2, false);
        TraceSummary foreign = new TraceSummary(2, 1, 0, 0, true, new long[] {1}, 42, true, 0, "checkout", LOW, -1);
        harness.processElement(withSummary(other, foreign), 0);
        harness.setProcessingTime(2_000);

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(record ->
                        assertThat(spansOf(record)).extracting(Span::getTraceId).containsOnly(traceId(9, LOW)));
        assertThat(side(Outputs.USAGE))
                .anySatisfy(usage -> assertThat(usage.droppedTail()).isEqualTo(2));
    }

    private static TracePiece withSummary(TracePiece piece, TraceSummary summary) {
        return new TracePiece(
                piece.key(),
                piece.tenant(),
                piece.signal(),
                piece.tier(),
                piece.ruleSetVersion(),
                piece.labels(),
                piece.payload(),
                piece.items(),
                piece.represented(),
                piece.arrivalMillis(),
                summary);
    }

    @Test
    void aSavepointOfTheReflectiveSerializersIsRestoredOnRocksDbAndItsTracesAreDecided() throws Exception {
        // State as releases before the hand-written serializers wrote it: same names, POJO-serialized, on RocksDB.
        harness = open(new PojoTailState(), null, true);
        harness.setProcessingTime(0);
        harness.processElement(spans("tailed", traceId(11, LOW), 2, true), 0);
        harness.processElement(logs("tailed", traceId(11, LOW), 1), 0);
        OperatorSubtaskState savepoint = harness.snapshot(1, 1);
        harness.close();

        harness = open(newFunction(), savepoint, true);
        harness.setProcessingTime(PojoTailState.DECISION_AT);

        assertThat(harness.extractOutputValues())
                .extracting(GovernedRecord::signal, GovernedRecord::items)
                .containsExactlyInAnyOrder(tuple(Signal.SPANS, 2L), tuple(Signal.LOGS, 1L));
        assertThat(side(Outputs.AUDIT))
                .extracting(AuditDelta::action, AuditDelta::rule, AuditDelta::target, AuditDelta::count)
                .containsExactlyInAnyOrder(
                        tuple("tail-keep", "errors", "spans", 2L), tuple("tail-keep", "errors", "logs", 1L));
    }

    @Test
    void theTailStateUsesTheHandWrittenSerializersOnTheWireAndInState() throws Exception {
        assertThat(Outputs.TRACE_PIECES.getTypeInfo()).isEqualTo(TracePieceSerializer.TYPE);
        harness = open(newFunction(), null, true);
        harness.setProcessingTime(0);
        harness.processElement(spans("tailed", traceId(12, LOW), 1, false), 0);
        var backend = harness.getOperator().getKeyedStateBackend();
        assertThat(backend.getKeys("pieces", VoidNamespace.INSTANCE))
                .containsExactly(TraceSplitter.key("tailed", traceId(12, LOW)));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();
        // Restoring its own snapshot needs no migration: the trace is still pending and is decided.
        harness = open(newFunction(), snapshot, true);
        harness.setProcessingTime(10_000);
        assertThat(side(Outputs.USAGE))
                .anySatisfy(usage -> assertThat(usage.droppedTail()).isEqualTo(1));
    }

    /**
     * Writes the tail operator's two states as the reflective POJO serializer did, with a pending decision at
     * {@link #DECISION_AT}: what a savepoint of an earlier release holds.
     */
    private static final class PojoTailState
            extends KeyedBroadcastProcessFunction<String, TracePiece, RuleUpdate, GovernedRecord> {

        static final long DECISION_AT = 2_000;
        private transient ListState<TracePiece> pieces;
        private transient ValueState<TraceState> traces;

        @Override
        public void open(OpenContext context) {
            pieces = getRuntimeContext()
                    .getListState(new ListStateDescriptor<>("pieces", TypeInformation.of(TracePiece.class)));
            traces = getRuntimeContext()
                    .getState(new ValueStateDescriptor<>("trace", TypeInformation.of(TraceState.class)));
        }

        @Override
        public void processElement(TracePiece piece, ReadOnlyContext context, Collector<GovernedRecord> out)
                throws Exception {
            pieces.add(piece.withoutSummary());
            TraceState state = traces.value();
            TraceSummary summary = state == null ? null : state.summary();
            if (piece.summary() != null) {
                summary = summary == null
                        ? piece.summary()
                        : evaluator(piece.tenant()).merge(summary, piece.summary());
            }
            traces.update(TraceState.pending(summary, DECISION_AT));
            context.timerService().registerProcessingTimeTimer(DECISION_AT);
        }

        @Override
        public void processBroadcastElement(RuleUpdate update, Context context, Collector<GovernedRecord> out) {}
    }

    @Test
    void everyStateAndEdgeTypeHasASerializerWithoutKryo() {
        for (Class<?> type : List.of(
                TracePiece.class,
                io.otlpgovernor.rules.pipeline.model.TraceState.class,
                io.otlpgovernor.rules.sampling.tail.TraceSummary.class,
                io.otlpgovernor.rules.pipeline.model.TailVerdict.class,
                RateLimitedTrace.class,
                io.otlpgovernor.rules.sampling.tail.ServiceRateLimiter.class)) {
            assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(type))
                    .as(type.getSimpleName())
                    .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
        }
    }

    private KeyedBroadcastOperatorTestHarness<String, TracePiece, RuleUpdate, GovernedRecord> open(
            OperatorSubtaskState state) throws Exception {
        return open(newFunction(), state, false);
    }

    @Test
    void aSubjectSuppressedWhileItsTraceWaitsIsNotWrittenWhenTheTraceIsKept() throws Exception {
        Path keys = Files.createDirectories(Path.of("target/tail-subjects")).resolve("hmac-keys.yaml");
        Files.writeString(
                keys,
                "tenants:\n  tailed:\n    current: k1\n    keys:\n      k1: \""
                        + java.util.Base64.getEncoder().encodeToString(SUBJECT_KEY) + "\"\n");
        harness = open(
                new TailSamplingFunction(
                        RuleBootstrap.load(Path.of("src/test/resources/it-rules"), keys),
                        JobSettings.Kafka.DEFAULT_MAX_RECORD_BYTES),
                null,
                false);
        HmacKeyring keyring = new HmacKeyring("k1", java.util.Map.of("k1", SUBJECT_KEY));
        String pseudonym = Pseudonyms.of(Pseudonyms.mac(SUBJECT_KEY), "k1", "alice@example.com");
        ByteString trace = traceId(30, LOW);
        harness.setProcessingTime(0);
        // Governed before the suppression: the address is already a pseudonym in the buffered pieces.
        harness.processElement(withAttribute(spans("tailed", trace, 3, true), 2, "enduser.email", pseudonym), 0);
        harness.processElement(logs("tailed", trace, 1, "checkout by " + pseudonym), 0);
        harness.processElement(logs("tailed", trace, 2), 0);

        SubjectEntry alice = SubjectIdentifiers.entry(
                "tailed",
                SubjectIdentifiers.email("alice@example.com"),
                keyring,
                SubjectEntry.DROP_RECORD,
                "2026-12-07T00:00:00Z");
        harness.processBroadcastElement(new RuleUpdate(alice.key(), alice.toJson(), 1, RuleUpdate.Kind.SUBJECT), 0);
        harness.setProcessingTime(2_000);

        assertThat(harness.extractOutputValues())
                .extracting(GovernedRecord::signal, GovernedRecord::items)
                .containsExactlyInAnyOrder(tuple(Signal.SPANS, 2L), tuple(Signal.LOGS, 2L));
        for (GovernedRecord record : harness.extractOutputValues()) {
            assertThat(new String(record.payload(), java.nio.charset.StandardCharsets.UTF_8))
                    .doesNotContain(pseudonym);
        }
        assertThat(side(Outputs.USAGE).stream()
                        .mapToLong(UsageDelta::droppedPolicy)
                        .sum())
                .isEqualTo(2);
        assertThat(side(Outputs.USAGE).stream().mapToLong(UsageDelta::accepted).sum())
                .isEqualTo(4);
        assertThat(side(Outputs.AUDIT))
                .filteredOn(audit -> audit.action().equals("subject-suppressed"))
                .extracting(AuditDelta::rule, AuditDelta::target, AuditDelta::count)
                .containsExactlyInAnyOrder(
                        tuple(alice.id(), "span.attributes[enduser.email]", 1L), tuple(alice.id(), "log.body", 1L));
        assertThat(side(Outputs.AUDIT))
                .filteredOn(audit -> audit.action().equals("tail-keep"))
                .extracting(AuditDelta::count)
                .containsExactlyInAnyOrder(2L, 2L);
    }

    private static final byte[] SUBJECT_KEY =
            "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** {@code piece} with {@code key=value} on its span at {@code index}. */
    private static TracePiece withAttribute(TracePiece piece, int index, String key, String value) throws Exception {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.parseFrom(piece.payload()).toBuilder();
        request.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(index)
                .addAttributes(KeyValue.newBuilder()
                        .setKey(key)
                        .setValue(AnyValue.newBuilder().setStringValue(value)));
        return piece.withPayload(request.build().toByteArray(), piece.items(), piece.represented());
    }

    private static TailSamplingFunction newFunction() {
        return new TailSamplingFunction(QuotaFunctionTest.RULES, JobSettings.Kafka.DEFAULT_MAX_RECORD_BYTES);
    }

    /** The operator of {@code function} in a harness, its keyed state on the heap or in RocksDB. */
    private static KeyedBroadcastOperatorTestHarness<String, TracePiece, RuleUpdate, GovernedRecord> open(
            KeyedBroadcastProcessFunction<String, TracePiece, RuleUpdate, GovernedRecord> function,
            OperatorSubtaskState state,
            boolean rocksDb)
            throws Exception {
        KeyedBroadcastOperatorTestHarness<String, TracePiece, RuleUpdate, GovernedRecord> opened =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                function, List.of(RulesBroadcast.RULE_SETS, RulesBroadcast.SUBJECTS)),
                        TracePiece::key,
                        Types.STRING,
                        1,
                        1,
                        0);
        if (rocksDb) {
            opened.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (state != null) {
            opened.initializeState(state);
        }
        opened.open();
        return opened;
    }

    private <T> List<T> side(OutputTag<T> tag) {
        var queue = harness.getSideOutput(tag);
        return queue == null
                ? List.of()
                : queue.stream().map(StreamRecord::getValue).toList();
    }

    /** Keyed state entries left, over every key (the harness keeps state on the heap). */
    private int stateEntries() {
        return ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>)
                        harness.getOperator().getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    static ByteString traceId(long n, long randomness) {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        buffer.putLong(0, 0x5a5a5a5a00000000L | n);
        buffer.putLong(8, randomness);
        return ByteString.copyFrom(buffer.array());
    }

    private TracePiece spans(String tenant, ByteString trace, int count, boolean error) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < count; i++) {
            Span.Builder span = Span.newBuilder()
                    .setTraceId(trace)
                    .setSpanId(ByteString.copyFrom(
                            ByteBuffer.allocate(8).putLong(0, spanSequence++).array()))
                    .setName("op")
                    .setStartTimeUnixNano(1_000_000)
                    .setEndTimeUnixNano(2_000_000);
            if (i > 0) {
                span.setParentSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
            }
            if (error && i == 0) {
                span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
            }
            scope.addSpans(span);
        }
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(
                        ResourceSpans.newBuilder().setResource(resource()).addScopeSpans(scope))
                .build();
        // As the governing step sends it: with the spans' summary by the tenant's tail rules.
        return new TracePiece(
                TraceSplitter.key(tenant, trace),
                tenant,
                Signal.SPANS,
                "standard",
                1,
                "",
                request.toByteArray(),
                count,
                count,
                1_764_000_000_000L,
                evaluator(tenant).summarize(request));
    }

    private static TracePiece logs(String tenant, ByteString trace, int count) {
        return logs(tenant, trace, count, "log");
    }

    private static TracePiece logs(String tenant, ByteString trace, int count, String body) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (int i = 0; i < count; i++) {
            scope.addLogRecords(LogRecord.newBuilder()
                    .setTraceId(trace)
                    .setBody(AnyValue.newBuilder().setStringValue(body)));
        }
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(
                        ResourceLogs.newBuilder().setResource(resource()).addScopeLogs(scope))
                .build();
        return new TracePiece(
                TraceSplitter.key(tenant, trace),
                tenant,
                Signal.LOGS,
                "standard",
                1,
                "",
                request.toByteArray(),
                count,
                count,
                1_764_000_000_000L,
                null);
    }

    private static TailEvaluator evaluator(String tenant) {
        try {
            return QuotaFunctionTest.RULES
                    .newRegistry()
                    .rules(tenant, t -> null)
                    .orElseThrow()
                    .tail();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Resource resource() {
        return Resource.newBuilder()
                .addAttributes(KeyValue.newBuilder()
                        .setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("checkout")))
                .build();
    }

    static List<Span> spansOf(GovernedRecord record) throws Exception {
        List<Span> spans = new ArrayList<>();
        for (ResourceSpans resource :
                ExportTraceServiceRequest.parseFrom(record.payload()).getResourceSpansList()) {
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                spans.addAll(scope.getSpansList());
            }
        }
        return spans;
    }
}
