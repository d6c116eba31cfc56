package io.otlpgovernor.job.operators;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.job.govern.TailOutput;
import io.otlpgovernor.job.model.AuditDelta;
import io.otlpgovernor.job.model.GovernedRecord;
import io.otlpgovernor.job.model.RateLimitedTrace;
import io.otlpgovernor.job.model.RuleUpdate;
import io.otlpgovernor.job.model.TailVerdict;
import io.otlpgovernor.job.model.TracePiece;
import io.otlpgovernor.job.model.UsageDelta;
import io.otlpgovernor.job.rules.RuleBootstrap;
import io.otlpgovernor.job.rules.RuleRegistry;
import io.otlpgovernor.job.rules.TenantRules;
import io.otlpgovernor.rules.sampling.tail.TailDecision;
import io.otlpgovernor.rules.sampling.tail.TailEvaluator;
import io.otlpgovernor.rules.sampling.tail.TraceSummary;
import io.otlpgovernor.rules.signal.Signal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Tail sampling, keyed by trace ({@code tenant/hex(trace id)}): buffers a trace's pieces (its spans, and its log
 * records that carry the trace id) in keyed state with a {@link TraceSummary} updated from each new piece's spans,
 * and decides the trace once, whole:
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
 * <p>A trace with log records but no spans (its spans never came) is written as it is. A trace whose tenant no
 * longer has tail rules when it is decided is written as it is.
 */
public final class TailSamplingFunction extends KeyedBroadcastProcessFunction<String, TracePiece, RuleUpdate, GovernedRecord> {

    private static final long SECOND = 1000;

    private final RuleBootstrap bootstrap;
    private transient RuleRegistry registry;
    private transient Metrics metrics;
    private transient ListState<TracePiece> pieces;
    private transient ValueState<TraceSummary> summary;
    private transient ValueState<Long> decisionTimer;
    private transient ValueState<TailVerdict> decided;
    private transient ValueState<Long> expiryTimer;

    public TailSamplingFunction(RuleBootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Decided traces whose fate hinges on a per-service rate limit. */
    public static final org.apache.flink.util.OutputTag<RateLimitedTrace> RATE_LIMITED =
            new org.apache.flink.util.OutputTag<>("rate-limited-traces") {
            };

    @Override
    public void open(OpenContext context) throws Exception {
        registry = bootstrap.newRegistry();
        metrics = new Metrics(getRuntimeContext().getMetricGroup());
        pieces = getRuntimeContext().getListState(new ListStateDescriptor<>("pieces", TypeInformation.of(TracePiece.class)));
        summary = getRuntimeContext().getState(new ValueStateDescriptor<>("summary", TypeInformation.of(TraceSummary.class)));
        decisionTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("decision-timer", Types.LONG));
        decided = getRuntimeContext().getState(new ValueStateDescriptor<>("decided", TypeInformation.of(TailVerdict.class)));
        expiryTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("decision-expiry-timer", Types.LONG));
    }

    @Override
    public void processElement(TracePiece piece, ReadOnlyContext context, Collector<GovernedRecord> out) throws Exception {
        TailVerdict verdict = decided.value();
        if (verdict != null) {
            metrics.counter("tail_late_items", piece.tenant(), "signal", piece.signal().id()).inc(piece.items());
            emit(TailOutput.apply(List.of(piece), verdict), context, out);
            return;
        }
        TailEvaluator evaluator = evaluator(piece.tenant(), context);
        pieces.add(piece);
        if (piece.signal() == Signal.SPANS && evaluator != null) {
            TraceSummary current = summary.value();
            if (current == null) {
                current = evaluator.start();
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(piece.payload());
            for (ResourceSpans resource : request.getResourceSpansList()) {
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (Span span : scope.getSpansList()) {
                        current = evaluator.observe(current, resource.getResource(), span, span.getSerializedSize());
                    }
                }
            }
            summary.update(current);
            if (evaluator.capReached(current)) {
                metrics.counter("tail_cap_decisions", piece.tenant()).inc();
                decide(evaluator, context, out);
                return;
            }
        }
        long wait = evaluator == null ? 0 : evaluator.decisionWait().toMillis();
        long at = roundUp(context.timerService().currentProcessingTime() + wait);
        Long previous = decisionTimer.value();
        if (previous == null || previous != at) {
            if (previous != null) {
                context.timerService().deleteProcessingTimeTimer(previous);
            }
            context.timerService().registerProcessingTimeTimer(at);
            decisionTimer.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<GovernedRecord> out) throws Exception {
        Long decisionAt = decisionTimer.value();
        if (decisionAt != null && decisionAt == timestamp) {
            String tenant = context.getCurrentKey().substring(0, context.getCurrentKey().lastIndexOf('/'));
            decide(evaluator(tenant, context), context, out);
            return;
        }
        Long expiry = expiryTimer.value();
        if (expiry != null && expiry == timestamp) {
            decided.clear();
            expiryTimer.clear();
        }
    }

    private void decide(TailEvaluator evaluator, ReadOnlyContext context, Collector<GovernedRecord> out) throws Exception {
        List<TracePiece> buffered = new ArrayList<>();
        for (TracePiece piece : pieces.get()) {
            buffered.add(piece);
        }
        TraceSummary current = summary.value();
        TailVerdict verdict;
        long ttl;
        if (evaluator == null || current == null || current.spans() == 0) {
            verdict = new TailVerdict(true, TailVerdict.UNCHANGED, "");
            ttl = evaluator == null ? 0 : evaluator.decisionCacheTtl().toMillis();
        } else {
            ttl = evaluator.decisionCacheTtl().toMillis();
            TailDecision decision = evaluator.decide(current);
            if (decision.rateLimited()) {
                String tenant = buffered.get(0).tenant();
                context.output(RATE_LIMITED, new RateLimitedTrace(tenant + "/" + current.service(), tenant,
                        decision.rateLimitPolicyId(), decision.rateLimitSpansPerSecond(), current.spans(),
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
            metrics.counter("tail_decisions", buffered.get(0).tenant(), "outcome", verdict.keep() ? "keep" : "drop").inc();
        }
        emit(TailOutput.apply(buffered, verdict), context, out);
        Long decisionAt = decisionTimer.value();
        if (decisionAt != null) {
            context.timerService().deleteProcessingTimeTimer(decisionAt);
        }
        pieces.clear();
        summary.clear();
        decisionTimer.clear();
        if (ttl > 0) {
            long expiry = roundUp(context.timerService().currentProcessingTime() + ttl);
            decided.update(verdict);
            expiryTimer.update(expiry);
            context.timerService().registerProcessingTimeTimer(expiry);
        }
    }

    private TailEvaluator evaluator(String tenant, ReadOnlyContext context) {
        Optional<TenantRules> rules = registry.rules(tenant, RulesBroadcast.view(context.getBroadcastState(RulesBroadcast.RULE_SETS)));
        return rules.map(TenantRules::tail).orElse(null);
    }

    static void emit(TailOutput.Result result, ReadOnlyContext context, Collector<GovernedRecord> out) {
        result.records().forEach(out::collect);
        for (UsageDelta usage : result.usage()) {
            context.output(Outputs.USAGE, usage);
        }
        for (AuditDelta audit : result.audit()) {
            context.output(Outputs.AUDIT, audit);
        }
    }

    private static long roundUp(long millis) {
        return Math.floorDiv(millis + SECOND - 1, SECOND) * SECOND;
    }

    @Override
    public void processBroadcastElement(RuleUpdate update, Context context, Collector<GovernedRecord> out) throws Exception {
        RulesBroadcast.apply(registry, update, context.getBroadcastState(RulesBroadcast.RULE_SETS));
    }
}
