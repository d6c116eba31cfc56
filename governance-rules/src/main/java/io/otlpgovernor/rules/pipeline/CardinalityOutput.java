package io.otlpgovernor.rules.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.RequestSplitter;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.rules.cardinality.CardinalityRules;
import io.otlpgovernor.rules.cardinality.SeriesLimiter;
import io.otlpgovernor.rules.cardinality.SeriesStore;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.MetricPiece;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;

/**
 * Passes a {@link MetricPiece} through its tenant's cardinality limits and says what came of it: the governed
 * records of its tier (several if larger than the record size limit), counted as accepted; the data points dropped
 * over a limit, counted as {@code dropped.cardinality}; and per metric one audit line of what the over-limit action
 * did ({@code cardinality-drop}, {@code cardinality-strip} or {@code cardinality-tag}, target the metric name, count
 * the data points). Plain Java.
 */
public final class CardinalityOutput {

    /** The audit rule id of cardinality actions. */
    public static final String RULE = "cardinality";

    private CardinalityOutput() {}

    /** What a piece produced: as {@link RequestGovernor.Outcome} without pieces. */
    public record Result(
            List<GovernedRecord> records,
            List<UsageDelta> usage,
            List<AuditDelta> audit,
            SeriesLimiter.Limited limited) {}

    /**
     * Limits {@code piece} by {@code limiter} against {@code store} at {@code nowMillis}; with {@code limiter} null
     * (its tenant has no limits any more) writes it as it is.
     */
    public static Result apply(
            MetricPiece piece, SeriesLimiter limiter, SeriesStore store, long nowMillis, int maxRecordBytes) {
        ExportMetricsServiceRequest request;
        try {
            request = ExportMetricsServiceRequest.parseFrom(piece.payload());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a governed metric piece no longer parses", e);
        }
        List<GovernedRecord> records = new ArrayList<>();
        List<UsageDelta> usage = new ArrayList<>();
        List<AuditDelta> audit = new ArrayList<>();
        SeriesLimiter.Limited limited = limiter == null
                ? new SeriesLimiter.Limited(request, piece.items(), Map.of(), CardinalityRules.OverLimit.TAG_ONLY)
                : limiter.limit(request, store, nowMillis);
        if (limited.request() != null) {
            write(
                    piece,
                    limited.request() == request ? piece.payload() : null,
                    limited.request(),
                    maxRecordBytes,
                    records,
                    usage);
        }
        if (limited.dropped() > 0) {
            usage.add(UsageDelta.droppedByCardinality(piece.tenant(), piece.arrivalMillis(), limited.dropped()));
        }
        String action = switch (limited.action()) {
            case DROP_NEW_SERIES -> "cardinality-drop";
            case STRIP_ATTRIBUTES -> "cardinality-strip";
            case TAG_ONLY -> "cardinality-tag";
        };
        limited.overLimit()
                .forEach((metric, points) -> audit.add(new AuditDelta(
                        piece.tenant(),
                        piece.arrivalMillis(),
                        piece.ruleSetVersion(),
                        RULE,
                        "",
                        action,
                        metric,
                        points)));
        return new Result(records, usage, audit, limited);
    }

    /** {@code request} as governed records of the piece's tier; {@code payload} is its encoding when known. */
    private static void write(
            MetricPiece piece,
            byte[] payload,
            ExportMetricsServiceRequest request,
            int maxRecordBytes,
            List<GovernedRecord> records,
            List<UsageDelta> usage) {
        byte[] bytes = payload != null ? payload : request.toByteArray();
        List<RequestSplitter.Chunk<ExportMetricsServiceRequest>> chunks = bytes.length <= maxRecordBytes
                ? List.of(new RequestSplitter.Chunk<>(request, OtlpTree.count(request)))
                : RequestSplitter.split(request, maxRecordBytes);
        for (RequestSplitter.Chunk<ExportMetricsServiceRequest> chunk : chunks) {
            byte[] chunkBytes = chunks.size() == 1 ? bytes : chunk.request().toByteArray();
            records.add(new GovernedRecord(
                    piece.tenant(),
                    Signal.METRICS,
                    piece.tier(),
                    piece.ruleSetVersion(),
                    piece.labels(),
                    chunkBytes,
                    chunk.items()));
            usage.add(UsageDelta.accepted(
                    piece.tenant(),
                    Signal.METRICS,
                    piece.arrivalMillis(),
                    piece.tier(),
                    chunk.items(),
                    chunkBytes.length,
                    chunk.items()));
        }
    }
}
