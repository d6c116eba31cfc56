package io.otlpgovernor.job.operators;

import io.otlpgovernor.job.types.TracePieceSerializer;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.DeadLetter;
import io.otlpgovernor.rules.pipeline.model.MetricPiece;
import io.otlpgovernor.rules.pipeline.model.Report;
import io.otlpgovernor.rules.pipeline.model.TracePiece;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import org.apache.flink.util.OutputTag;

/** The side outputs of the operators, in one place: usage and audit contributions, rule-change events, trace
 * pieces, dead letters. */
public final class Outputs {

    public static final OutputTag<UsageDelta> USAGE = new OutputTag<>("usage") {};
    public static final OutputTag<AuditDelta> AUDIT = new OutputTag<>("audit") {};
    /** Audit events that are not aggregated: rule-set changes. */
    public static final OutputTag<Report> AUDIT_EVENTS = new OutputTag<>("audit-events") {};
    /** Spans and traced log records of tenants with tail sampling, on their way to their trace's decision. */
    public static final OutputTag<TracePiece> TRACE_PIECES = new OutputTag<>("trace-pieces", TracePieceSerializer.TYPE);

    /** Governed data points of tenants with cardinality limits, on their way to the limit of their series. */
    public static final OutputTag<MetricPiece> METRIC_PIECES = new OutputTag<>("metric-pieces") {};

    /** Records that cannot be governed, with their original bytes and the reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private Outputs() {}
}
