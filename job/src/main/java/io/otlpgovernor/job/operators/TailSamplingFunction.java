package io.otlpgovernor.job.operators;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.job.types.TracePieceSerializer;
import io.otlpgovernor.job.types.TraceStateSerializer;
import io.otlpgovernor.rules.pipeline.TailOutput;
import io.otlpgovernor.rules.pipeline.TailSuppression;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.RateLimitedTrace;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.pipeline.model.TailVerdict;
import io.otlpgovernor.rules.pipeline.model.TracePiece;
import io.otlpgovernor.rules.pipeline.model.TraceState;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import io.otlpgovernor.rules.pipeline.registry.RuleRegistry;
import io.otlpgovernor.rules.pipeline.registry.TenantRules;
import io.otlpgovernor.rules.sampling.tail.TailDecision;
import io.otlpgovernor.rules.sampling.tail.TailEvaluator;
import io.otlpgovernor.rules.sampling.tail.TraceSummary;
import io.otlpgovernor.rules.subjects.SubjectList;
import io.otlpgovernor.rules.subjects.SubjectRegistry;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Tail sampling, keyed by trace ({@code tenant/hex(trace id)}): buffers a trace's pieces (its spans, and its log
 * records that carry the trace id) in keyed state with a {@link TraceSummary} merged from each new piece's own
 * summary (computed by the governing step, which has the spans parsed; the buffer never parses a piece unless the
 * tail rules changed in between), and decides the trace once, whole:
 * <ul>
 *   <li>when {@code decision-wait} has passed since its last piece arrived (processing time): ONE timer per trace,
 *       rounded up to the second, moved to the new time on each piece (the old one is deleted);</li>
 *   <li>at once, when the trace reaches {@code max-spans-per-trace} or {@code max-bytes-per-trace}.</li>
 * </ul>
 * A kept trace is written per signal and tier with its {@code th} raised to the decision's threshold; a trace
 * that hinges on a rate-limit policy goes, whole, to {@link TailRateLimitFunction} (side output
 * {@link #RATE_LIMITED}). Then every per-trace state is cleared and only the verdict is remembered for
 * {@code decision-cache-ttl} (a second timer), so late pieces follow it at once; a trace that was rate-limited is
 * remembered as dropped (the limiter's answer is not known here). When the cache entry expires, the key holds no
 * state at all.
 *
 * <p>Per trace there are two state entries: the pieces (a list that is only appended to until the decision reads
 * it once) and a {@link TraceState} (summary and timer, later the verdict): a piece costs one read and two writes.</p>
 *
 * <p>A trace with log records but no spans (its spans never came) is written as it is. A trace whose tenant no
 * longer has tail rules when it is decided is written as it is.
 *
 * <p>Data subjects suppressed while a trace waited are suppressed in its pieces when it is decided, before the
 * verdict is carried out ({@link TailSuppression}); this operator keeps the subjects' broadcast state as the
 * governing step does, and reports nothing of it (the governing step does).
 */
public final class TailSamplingFunction
        extends KeyedBroadcastProcessFunction<String, TracePiece, RuleUpdate, GovernedRecord> {

    private static final long SECOND = 1000;
    /** A pending timer's time when the trace has none yet. */
    private static final long NO_TIMER = Long.MIN_VALUE;

    private final RuleBootstrap bootstrap;
    private final int maxRecordBytes;
    private transient RuleRegistry registry;
    private transient SubjectRegistry subjects;
    private transient Metrics metrics;
    private transient ListState<TracePiece> pieces;
    private transient ValueState<TraceState> traces;

    /** @param maxRecordBytes a kept trace larger than this is written as several records */
    public TailSamplingFunction(RuleBootstrap bootstrap, int maxRecordBytes) {
        this.bootstrap = bootstrap;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Decided traces whose fate hinges on a per-service rate limit. */
    public static final OutputTag<RateLimitedTrace> RATE_LIMITED = new OutputTag<>("rate-limited-traces") {};

    @Override
    public void open(OpenContext context) throws Exception {
        registry = bootstrap.newRegistry();
        subjects = new SubjectRegistry(registry.keyrings());
        metrics = new Metrics(getRuntimeContext().getMetricGroup());
        pieces = getRuntimeContext().getListState(new ListStateDescriptor<>("pieces", TracePieceSerializer.TYPE));
        traces = getRuntimeContext().getState(new ValueStateDescriptor<>("trace", TraceStateSerializer.TYPE));
    }

    @Override
    public void processElement(TracePiece piece, ReadOnlyContext context, Collector<GovernedRecord> out)
            throws Exception {
        TraceState state = traces.value();
        if (state != null && state.isDecided()) {
            metrics.counter(
                            Metrics.TAIL_LATE_ITEMS,
                            piece.tenant(),
                            Metrics.SIGNAL,
                            piece.signal().id())
                    .inc(piece.items());
            List<TracePiece> late = suppress(piece.tenant(), List.of(piece), context);
            emit(TailOutput.apply(late, state.verdict(), maxRecordBytes), context, out);
            return;
        }
        TailEvaluator evaluator = evaluator(piece.tenant(), context);
        // Appending is a blind write: the buffered pieces are read once, when the trace is decided.
        pieces.add(piece.withoutSummary());
        TraceSummary summary = state == null ? null : state.summary();
        long pendingTimer = state == null ? NO_TIMER : state.decisionAt();
        if (piece.signal() == Signal.SPANS && evaluator != null) {
            summary = evaluator.merge(summary == null ? evaluator.start() : summary, summaryOf(piece, evaluator));
            if (evaluator.capReached(summary)) {
                metrics.counter(Metrics.TAIL_CAP_DECISIONS, piece.tenant()).inc();
                if (pendingTimer != NO_TIMER) {
                    context.timerService().deleteProcessingTimeTimer(pendingTimer);
                }
                decide(piece.tenant(), evaluator, summary, context, out);
                return;
            }
        }
        long wait = evaluator == null ? 0 : evaluator.decisionWait().toMillis();
        long at = roundUp(context.timerService().currentProcessingTime() + wait);
        if (pendingTimer != at) {
            if (pendingTimer != NO_TIMER) {
                context.timerService().deleteProcessingTimeTimer(pendingTimer);
            }
            context.timerService().registerProcessingTimeTimer(at);
        }
        traces.update(TraceState.pending(summary, at));
    }

    /**
     * The piece's summary as the governing step computed it, or, when the tail rules changed in between (their
     * conditions differ), computed again from its spans by the rules in force now.
     */
    private static TraceSummary summaryOf(TracePiece piece, TailEvaluator evaluator) throws Exception {
        if (piece.summary() != null && evaluator.conditionsMatch(piece.summary())) {
            return piece.summary();
        }
        return evaluator.summarize(ExportTraceServiceRequest.parseFrom(piece.payload()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<GovernedRecord> out) throws Exception {
        TraceState state = traces.value();
        if (state == null) {
            return;
        }
        if (!state.isDecided() && state.decisionAt() == timestamp) {
            String tenant =
                    context.getCurrentKey().substring(0, context.getCurrentKey().lastIndexOf('/'));
            decide(tenant, evaluator(tenant, context), state.summary(), context, out);
        } else if (state.isDecided() && state.expiresAt() == timestamp) {
            traces.clear();
        }
    }

    /** Decides the trace from its summary, writes or drops its buffered pieces, and remembers the verdict. */
    private void decide(
            String tenant,
            TailEvaluator evaluator,
            TraceSummary summary,
            ReadOnlyContext context,
            Collector<GovernedRecord> out)
            throws Exception {
        List<TracePiece> buffered = new ArrayList<>();
        for (TracePiece piece : pieces.get()) {
            buffered.add(piece);
        }
        pieces.clear();
        buffered = suppress(tenant, buffered, context);
        TailVerdict verdict;
        boolean spansDecided = evaluator != null && summary != null && summary.spans() > 0;
        if (!spansDecided) {
            verdict = new TailVerdict(true, TailVerdict.UNCHANGED, "");
        } else {
            TailDecision decision = evaluator.decide(summary);
            if (decision.rateLimited()) {
                context.output(
                        RATE_LIMITED,
                        new RateLimitedTrace(
                                tenant + "/" + summary.service(),
                                tenant,
                                decision.rateLimitPolicyId(),
                                decision.rateLimitSpansPerSecond(),
                                summary.spans(),
                                RateLimitedTrace.encode(buffered)));
                verdict = new TailVerdict(false, TailVerdict.ERASE, decision.rateLimitPolicyId());
                buffered = List.of();
            } else if (decision.keep()) {
                verdict = new TailVerdict(true, decision.threshold().value(), decision.policyId());
            } else {
                verdict = new TailVerdict(false, TailVerdict.ERASE, decision.policyId());
            }
        }
        if (!buffered.isEmpty()) {
            metrics.counter(Metrics.TAIL_DECISIONS, tenant, Metrics.OUTCOME, verdict.keep() ? "keep" : "drop")
                    .inc();
        }
        emit(TailOutput.apply(buffered, verdict, maxRecordBytes), context, out);
        // Only a decision on spans is remembered: log records written because no span came must not make the
        // trace's spans, should they still come, bypass sampling — those are decided on their own.
        long ttl = spansDecided ? evaluator.decisionCacheTtl().toMillis() : 0;
        if (ttl > 0) {
            long expiry = roundUp(context.timerService().currentProcessingTime() + ttl);
            traces.update(TraceState.decided(verdict, expiry));
            context.timerService().registerProcessingTimeTimer(expiry);
        } else {
            traces.clear();
        }
    }

    /** The pieces without the tenant's suppressed subjects; what was removed is counted and audited. */
    private List<TracePiece> suppress(String tenant, List<TracePiece> found, ReadOnlyContext context) {
        SubjectList suppressed =
                subjects.list(tenant, RulesBroadcast.entries(context.getBroadcastState(RulesBroadcast.SUBJECTS)));
        TailSuppression.Result result = TailSuppression.apply(found, suppressed);
        for (UsageDelta usage : result.usage()) {
            metrics.counter(Metrics.ITEMS_DROPPED, tenant, Metrics.REASON, Metrics.REASON_POLICY)
                    .inc(usage.droppedPolicy());
            context.output(Outputs.USAGE, usage);
        }
        for (AuditDelta audit : result.audit()) {
            metrics.counter(Metrics.SUBJECT_SUPPRESSED_ITEMS, tenant).inc(audit.count());
            context.output(Outputs.AUDIT, audit);
        }
        return result.pieces();
    }

    private TailEvaluator evaluator(String tenant, ReadOnlyContext context) {
        Optional<TenantRules> rules =
                registry.rules(tenant, RulesBroadcast.view(context.getBroadcastState(RulesBroadcast.RULE_SETS)));
        return rules.map(TenantRules::tail).orElse(null);
    }

    private void emit(TailOutput.Result result, ReadOnlyContext context, Collector<GovernedRecord> out) {
        TailResults.emit(
                result,
                metrics,
                out,
                usage -> context.output(Outputs.USAGE, usage),
                audit -> context.output(Outputs.AUDIT, audit));
    }

    private static long roundUp(long millis) {
        return Math.floorDiv(millis + SECOND - 1, SECOND) * SECOND;
    }

    @Override
    public void processBroadcastElement(RuleUpdate update, Context context, Collector<GovernedRecord> out)
            throws Exception {
        if (update.isSubject()) {
            RulesBroadcast.applySubject(subjects, update, context.getBroadcastState(RulesBroadcast.SUBJECTS));
            return;
        }
        RulesBroadcast.apply(registry, update, context.getBroadcastState(RulesBroadcast.RULE_SETS));
    }
}
