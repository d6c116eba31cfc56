package io.otlpgovernor.job.operators;

import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.DeadLetter;
import io.otlpgovernor.rules.pipeline.model.Report;
import io.otlpgovernor.rules.pipeline.model.TracePiece;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import org.apache.flink.util.OutputTag;

/** The side outputs operators share: usage and audit contributions, rule-change events, dead letters. */
public final class Outputs {

    public static final OutputTag<UsageDelta> USAGE = new OutputTag<>("usage") {};
    public static final OutputTag<AuditDelta> AUDIT = new OutputTag<>("audit") {};
    /** Audit events that are not aggregated: rule-set changes. */
    public static final OutputTag<Report> AUDIT_EVENTS = new OutputTag<>("audit-events") {};
    /** Spans and traced log records of tenants with tail sampling, on their way to their trace's decision. */
    public static final OutputTag<TracePiece> TRACE_PIECES = new OutputTag<>("trace-pieces") {};

    public static final OutputTag<DeadLetter> DEAD_LETTERS = DecodeFunction.DEAD_LETTERS;

    private Outputs() {}
}
