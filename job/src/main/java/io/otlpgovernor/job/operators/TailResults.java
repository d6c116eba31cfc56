package io.otlpgovernor.job.operators;

import java.util.function.Consumer;

import io.otlpgovernor.rules.pipeline.TailOutput;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import org.apache.flink.util.Collector;

/**
 * Writes what a tail verdict produced, for both operators that apply one (the trace buffer and the per-service rate
 * limiter): records downstream, usage and audit to their side outputs, and the job's metrics.
 */
final class TailResults {

    private TailResults() {}

    /** Writes {@code result}, counting written items as accepted and dropped ones as dropped by tail sampling. */
    static void emit(
            TailOutput.Result result,
            Metrics metrics,
            Collector<GovernedRecord> out,
            Consumer<UsageDelta> usageOut,
            Consumer<AuditDelta> auditOut) {
        for (GovernedRecord record : result.records()) {
            metrics.counter(Metrics.ITEMS_ACCEPTED, record.tenant(), Metrics.TIER, record.tier())
                    .inc(record.items());
            out.collect(record);
        }
        for (UsageDelta usage : result.usage()) {
            if (usage.droppedTail() > 0) {
                metrics.counter(Metrics.ITEMS_DROPPED, usage.tenant(), Metrics.REASON, Metrics.REASON_TAIL)
                        .inc(usage.droppedTail());
            }
            usageOut.accept(usage);
        }
        result.audit().forEach(auditOut);
    }
}
