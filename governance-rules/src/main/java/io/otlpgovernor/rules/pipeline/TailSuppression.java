package io.otlpgovernor.rules.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.TracePiece;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.sampling.AdjustedCounts;
import io.otlpgovernor.rules.sampling.SamplingItems;
import io.otlpgovernor.rules.subjects.SubjectFilter;
import io.otlpgovernor.rules.subjects.SubjectList;

/**
 * Suppresses data subjects in a tail-sampled trace's buffered pieces when the trace is decided. The governing step
 * suppresses every item it governs, but a trace's pieces can wait in tail-sampling state for the decision wait; a
 * subject suppressed in between must not be written when they are. The pieces are already governed, so a subject is
 * found there as its pseudonym (or raw, where the rules keep it). Plain Java.
 */
public final class TailSuppression {

    private TailSuppression() {}

    /**
     * The pieces without the subjects' items (pieces left empty are gone), with the usage (policy drops) and audit
     * ({@code subject-suppressed}) of what was removed or redacted.
     */
    public record Result(List<TracePiece> pieces, List<UsageDelta> usage, List<AuditDelta> audit) {}

    public static Result apply(List<TracePiece> pieces, SubjectList subjects) {
        if (subjects.isEmpty() || pieces.isEmpty()) {
            return new Result(pieces, List.of(), List.of());
        }
        List<TracePiece> kept = new ArrayList<>(pieces.size());
        List<UsageDelta> usage = new ArrayList<>();
        List<AuditDelta> audit = new ArrayList<>();
        for (TracePiece piece : pieces) {
            TracePiece suppressed = suppress(piece, subjects, usage, audit);
            if (suppressed.items() > 0) {
                kept.add(suppressed);
            }
        }
        return new Result(kept, usage, audit);
    }

    private static TracePiece suppress(
            TracePiece piece, SubjectList subjects, List<UsageDelta> usage, List<AuditDelta> audit) {
        try {
            if (piece.signal() == Signal.SPANS) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(piece.payload());
                SubjectFilter.Suppressed<ExportTraceServiceRequest> result = SubjectFilter.spans(subjects, request);
                if (result.request() == request) {
                    return piece;
                }
                account(piece, result.dropped(), result.found(), usage, audit);
                return piece.withPayload(
                        result.request().toByteArray(),
                        SamplingItems.count(result.request()),
                        AdjustedCounts.spans(result.request()));
            }
            ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(piece.payload());
            SubjectFilter.Suppressed<ExportLogsServiceRequest> result = SubjectFilter.logs(subjects, request);
            if (result.request() == request) {
                return piece;
            }
            account(piece, result.dropped(), result.found(), usage, audit);
            return piece.withPayload(
                    result.request().toByteArray(),
                    SamplingItems.count(result.request()),
                    AdjustedCounts.logs(result.request()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a buffered trace piece no longer parses", e);
        }
    }

    private static void account(
            TracePiece piece,
            long dropped,
            Map<SubjectFilter.Found, Long> found,
            List<UsageDelta> usage,
            List<AuditDelta> audit) {
        if (dropped > 0) {
            usage.add(UsageDelta.removed(piece.tenant(), piece.signal(), piece.arrivalMillis(), 0, dropped, 0));
        }
        audit.addAll(
                RequestGovernor.suppressionAudit(piece.tenant(), piece.arrivalMillis(), piece.ruleSetVersion(), found));
    }
}
