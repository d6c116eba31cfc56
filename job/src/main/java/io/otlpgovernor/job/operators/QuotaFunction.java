package io.otlpgovernor.job.operators;

import java.util.Optional;

import io.otlpgovernor.rules.pipeline.model.AdmittedRecord;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.DeadLetter;
import io.otlpgovernor.rules.pipeline.model.DecodedRecord;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import io.otlpgovernor.rules.pipeline.registry.RuleRegistry;
import io.otlpgovernor.rules.pipeline.registry.TenantRules;
import io.otlpgovernor.rules.quota.QuotaGate;
import io.otlpgovernor.rules.quota.QuotaRules;
import io.otlpgovernor.rules.quota.QuotaState;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The tenant's quota, exact across the whole job: keyed by tenant, so one instance sequences every request of a
 * tenant against its ledger (a token bucket and a daily counter in keyed RocksDB state). It is deliberately cheap —
 * no parsing, integer arithmetic on sizes and per-item randomness that decode computed — because it is the one
 * serial point per tenant; everything expensive happens after it, spread over all instances.
 *
 * <p>Time is the record's arrival in Kafka, not the machine clock, so a replay after a failure takes exactly the
 * same decisions. Over quota, the tenant's rule drops the request or downsamples it by a consistent-sampling
 * threshold that the governing step applies.
 */
public final class QuotaFunction
        extends KeyedBroadcastProcessFunction<String, DecodedRecord, RuleUpdate, AdmittedRecord> {

    static final ValueStateDescriptor<QuotaState> QUOTA = new ValueStateDescriptor<>("quota", QuotaState.class);
    private static final long NANOS_PER_MILLI = 1_000_000;

    private final RuleBootstrap bootstrap;
    private transient RuleRegistry registry;
    private transient ValueState<QuotaState> quota;
    private transient Metrics metrics;

    public QuotaFunction(RuleBootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        registry = bootstrap.newRegistry();
        quota = getRuntimeContext().getState(QUOTA);
        metrics = new Metrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(DecodedRecord record, ReadOnlyContext context, Collector<AdmittedRecord> out)
            throws Exception {
        Optional<TenantRules> rules = registry.rules(
                record.tenant(), RulesBroadcast.view(context.getBroadcastState(RulesBroadcast.RULE_SETS)));
        if (rules.isEmpty()) {
            metrics.counter(Metrics.REQUESTS_WITHOUT_RULES, record.tenant()).inc();
            context.output(Outputs.DEAD_LETTERS, DeadLetter.of(record, registry.whyUnusable(record.tenant())));
            return;
        }
        context.output(
                Outputs.USAGE,
                UsageDelta.received(
                        record.tenant(),
                        record.signal(),
                        record.arrivalMillis(),
                        record.items(),
                        record.payload().length));
        metrics.counter(
                        Metrics.ITEMS_RECEIVED,
                        record.tenant(),
                        Metrics.SIGNAL,
                        record.signal().id())
                .inc(record.items());
        QuotaGate.Verdict verdict = decide(rules.get().ruleSet().quotas(), record);
        long version = rules.get().version();
        if (verdict.droppedItems() > 0) {
            overQuota(record, verdict, version, context);
        }
        if (verdict.outcome() != QuotaGate.Outcome.DROP) {
            out.collect(new AdmittedRecord(record, verdict.threshold().value(), version));
        }
    }

    private QuotaGate.Verdict decide(QuotaRules rules, DecodedRecord record) throws Exception {
        long now = record.arrivalMillis() * NANOS_PER_MILLI;
        QuotaState state = quota.value();
        QuotaGate.Result result = QuotaGate.decide(
                rules,
                state == null ? QuotaGate.start(rules, now) : state,
                new QuotaGate.Request(record.items(), record.payload().length, record.randomness16()),
                now);
        quota.update(result.state());
        return result.verdict();
    }

    private void overQuota(DecodedRecord record, QuotaGate.Verdict verdict, long version, ReadOnlyContext context) {
        String action = verdict.outcome() == QuotaGate.Outcome.DROP ? "quota-drop" : "downsample";
        context.output(
                Outputs.USAGE,
                UsageDelta.overQuota(record.tenant(), record.signal(), record.arrivalMillis(), verdict.droppedItems()));
        context.output(
                Outputs.AUDIT,
                new AuditDelta(
                        record.tenant(),
                        record.arrivalMillis(),
                        version,
                        "quota",
                        "",
                        action,
                        String.valueOf(verdict.reason()),
                        verdict.droppedItems()));
        metrics.counter(Metrics.ITEMS_DROPPED, record.tenant(), Metrics.REASON, Metrics.REASON_QUOTA)
                .inc(verdict.droppedItems());
    }

    @Override
    public void processBroadcastElement(RuleUpdate update, Context context, Collector<AdmittedRecord> out)
            throws Exception {
        // Ledgers carry over an update: a new rate applies from the next request on, with the tokens already earned.
        // The governing operator reports the change; this one only keeps its copy of the rules in step.
        RulesBroadcast.apply(registry, update, context.getBroadcastState(RulesBroadcast.RULE_SETS));
    }
}
