package io.otlpgovernor.job.operators;

import java.util.Optional;

import io.otlpgovernor.rules.pipeline.RequestGovernor;
import io.otlpgovernor.rules.pipeline.model.AdmittedRecord;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.DeadLetter;
import io.otlpgovernor.rules.pipeline.model.DecodedRecord;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.MetricPiece;
import io.otlpgovernor.rules.pipeline.model.Report;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.pipeline.model.TracePiece;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import io.otlpgovernor.rules.pipeline.registry.RuleChange;
import io.otlpgovernor.rules.pipeline.registry.RuleRegistry;
import io.otlpgovernor.rules.pipeline.registry.TenantRules;
import io.otlpgovernor.rules.pipeline.reports.AuditReports;
import io.otlpgovernor.rules.subjects.SubjectList;
import io.otlpgovernor.rules.subjects.SubjectRegistry;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Classifies and protects each admitted request, applies its downsampling threshold and splits it by retention
 * tier — the expensive work, which is why it is not keyed: requests of one tenant, however large that tenant,
 * spread over every instance. Rules arrive as broadcast state; each record is governed by the rule set in force in
 * this instance and carries that version.
 *
 * <p>Rule-set changes are reported to the audit topic once, by instance 0 (every instance sees every change and
 * decides the same).
 */
public final class GovernFunction extends BroadcastProcessFunction<AdmittedRecord, RuleUpdate, GovernedRecord> {

    private final RuleBootstrap bootstrap;
    private final int maxRecordBytes;
    private transient RuleRegistry registry;
    private transient SubjectRegistry subjects;
    private transient RequestGovernor governor;
    private transient Metrics metrics;
    private transient boolean reportsRuleChanges;

    /** @param maxRecordBytes a governed request larger than this is written as several records */
    public GovernFunction(RuleBootstrap bootstrap, int maxRecordBytes) {
        this.bootstrap = bootstrap;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        registry = bootstrap.newRegistry();
        subjects = new SubjectRegistry(registry.keyrings());
        governor = new RequestGovernor(registry.keyrings(), maxRecordBytes);
        metrics = new Metrics(getRuntimeContext().getMetricGroup());
        reportsRuleChanges = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    }

    @Override
    public void processElement(AdmittedRecord admitted, ReadOnlyContext context, Collector<GovernedRecord> out) {
        DecodedRecord record = admitted.record();
        Optional<TenantRules> rules = registry.rules(
                record.tenant(), RulesBroadcast.view(context.getBroadcastState(RulesBroadcast.RULE_SETS)));
        if (rules.isEmpty()) {
            metrics.counter(Metrics.REQUESTS_WITHOUT_RULES, record.tenant()).inc();
            context.output(Outputs.DEAD_LETTERS, DeadLetter.of(record, registry.whyUnusable(record.tenant())));
            return;
        }
        String tenant = record.tenant();
        SubjectList suppressed =
                subjects.list(tenant, RulesBroadcast.entries(context.getBroadcastState(RulesBroadcast.SUBJECTS)));
        RequestGovernor.Outcome outcome = governor.govern(admitted, rules.get(), suppressed);
        metrics.gauge(Metrics.RULE_SET_VERSION, tenant, rules.get().version());
        metrics.gauge(Metrics.SUBJECT_ENTRIES, tenant, suppressed.entries().size());
        for (GovernedRecord governed : outcome.records()) {
            metrics.counter(Metrics.ITEMS_ACCEPTED, tenant, Metrics.TIER, governed.tier())
                    .inc(governed.items());
            out.collect(governed);
        }
        for (TracePiece piece : outcome.pieces()) {
            context.output(Outputs.TRACE_PIECES, piece);
        }
        for (MetricPiece piece : outcome.metricPieces()) {
            context.output(Outputs.METRIC_PIECES, piece);
        }
        for (UsageDelta usage : outcome.usage()) {
            countDrops(usage);
            context.output(Outputs.USAGE, usage);
        }
        for (AuditDelta audit : outcome.audit()) {
            countAction(audit);
            context.output(Outputs.AUDIT, audit);
        }
    }

    private void countDrops(UsageDelta usage) {
        if (usage.droppedSampling() > 0) {
            metrics.counter(Metrics.ITEMS_DROPPED, usage.tenant(), Metrics.REASON, Metrics.REASON_SAMPLING)
                    .inc(usage.droppedSampling());
        }
        if (usage.droppedPolicy() > 0) {
            metrics.counter(Metrics.ITEMS_DROPPED, usage.tenant(), Metrics.REASON, Metrics.REASON_POLICY)
                    .inc(usage.droppedPolicy());
        }
        if (usage.droppedAge() > 0) {
            metrics.counter(Metrics.ITEMS_DROPPED, usage.tenant(), Metrics.REASON, Metrics.REASON_AGE)
                    .inc(usage.droppedAge());
        }
    }

    private void countAction(AuditDelta audit) {
        if (audit.action().equals(RequestGovernor.SUBJECT_SUPPRESSED)) {
            metrics.counter(Metrics.SUBJECT_SUPPRESSED_ITEMS, audit.tenant()).inc(audit.count());
        }
        if (!audit.label().isEmpty()) {
            metrics.counter(Metrics.PROTECTIONS, audit.tenant(), Metrics.LABEL, audit.label())
                    .inc(audit.count());
        }
    }

    @Override
    public void processBroadcastElement(RuleUpdate update, Context context, Collector<GovernedRecord> out)
            throws Exception {
        if (update.isSubject()) {
            applySubject(update, context);
            return;
        }
        RuleChange change = RulesBroadcast.apply(registry, update, context.getBroadcastState(RulesBroadcast.RULE_SETS));
        if (!reportsRuleChanges || change.outcome() == RuleChange.Outcome.UNCHANGED) {
            return;
        }
        metrics.counter(
                        Metrics.RULE_SET_CHANGES,
                        change.tenant(),
                        Metrics.OUTCOME,
                        change.outcome().id())
                .inc();
        context.output(Outputs.AUDIT_EVENTS, new Report(change.tenant(), AuditReports.ruleChange(change)));
    }

    /**
     * Applies a subjects-topic record. Every instance reports what it did to the audit topic, so the audit shows
     * the moment the suppression took effect in each.
     */
    private void applySubject(RuleUpdate update, Context context) throws Exception {
        SubjectRegistry.Change change =
                RulesBroadcast.applySubject(subjects, update, context.getBroadcastState(RulesBroadcast.SUBJECTS));
        if (change.outcome() == SubjectRegistry.Outcome.UNCHANGED) {
            return;
        }
        metrics.counter(
                        Metrics.SUBJECT_CHANGES,
                        change.tenant().isEmpty() ? "(malformed)" : change.tenant(),
                        Metrics.OUTCOME,
                        change.outcome().id())
                .inc();
        int task = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int tasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        context.output(
                Outputs.AUDIT_EVENTS,
                new Report(
                        change.tenant().isEmpty() ? "(malformed)" : change.tenant(),
                        AuditReports.subjectChange(change, System.currentTimeMillis(), task, tasks)));
    }
}
