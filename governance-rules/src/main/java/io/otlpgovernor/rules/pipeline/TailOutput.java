package io.otlpgovernor.rules.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.RequestSplitter;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.TailVerdict;
import io.otlpgovernor.rules.pipeline.model.TracePiece;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.sampling.AdjustedCounts;
import io.otlpgovernor.rules.sampling.ConsistentDecision;
import io.otlpgovernor.rules.sampling.OtelTraceState;
import io.otlpgovernor.rules.sampling.SamplingItems;
import io.otlpgovernor.rules.sampling.Threshold;

/**
 * Carries out a tail-sampling verdict on a trace's buffered pieces: a kept trace becomes one governed record per
 * signal and tier (its pieces merged, {@code th} set as the verdict says; several if that is larger than the record
 * size limit), counted as accepted with what it
 * represents; a dropped one is counted as dropped by tail sampling. Either way one audit line per signal says so
 * ({@code tail-keep} or {@code tail-drop}, the deciding policy, the item count). Plain Java.
 */
public final class TailOutput {

    private TailOutput() {}

    /** What a verdict produced: as {@link RequestGovernor.Outcome} without pieces. */
    public record Result(List<GovernedRecord> records, List<UsageDelta> usage, List<AuditDelta> audit) {}

    /**
     * @param maxRecordBytes a kept trace larger than this (per signal and tier) is written as several records
     */
    public static Result apply(List<TracePiece> pieces, TailVerdict verdict, int maxRecordBytes) {
        List<GovernedRecord> records = new ArrayList<>();
        List<UsageDelta> usage = new ArrayList<>();
        List<AuditDelta> audit = new ArrayList<>();
        if (pieces.isEmpty()) {
            return new Result(records, usage, audit);
        }
        String tenant = pieces.get(0).tenant();
        Map<String, List<TracePiece>> groups = new LinkedHashMap<>();
        Map<Signal, long[]> perSignal = new LinkedHashMap<>(); // items, earliest arrival, highest version
        for (TracePiece piece : pieces) {
            groups.computeIfAbsent(piece.signal().id() + "/" + piece.tier(), g -> new ArrayList<>())
                    .add(piece);
            long[] sums = perSignal.computeIfAbsent(piece.signal(), s -> new long[] {0, Long.MAX_VALUE, 0});
            sums[0] += piece.items();
            sums[1] = Math.min(sums[1], piece.arrivalMillis());
            sums[2] = Math.max(sums[2], piece.ruleSetVersion());
        }
        String action = verdict.keep() ? "tail-keep" : "tail-drop";
        String rule = verdict.policyId().isEmpty() ? "tail" : verdict.policyId();
        perSignal.forEach((signal, sums) -> {
            audit.add(new AuditDelta(tenant, sums[1], sums[2], rule, "", action, signal.id(), sums[0]));
            if (!verdict.keep()) {
                usage.add(UsageDelta.droppedByTail(tenant, signal, sums[1], sums[0]));
            }
        });
        if (!verdict.keep()) {
            return new Result(records, usage, audit);
        }
        for (List<TracePiece> group : groups.values()) {
            TracePiece first = group.get(0);
            long version = 0;
            long arrival = Long.MAX_VALUE;
            TreeSet<String> labels = new TreeSet<>();
            java.io.ByteArrayOutputStream merged = new java.io.ByteArrayOutputStream();
            for (TracePiece piece : group) {
                version = Math.max(version, piece.ruleSetVersion());
                arrival = Math.min(arrival, piece.arrivalMillis());
                if (!piece.labels().isEmpty()) {
                    labels.addAll(List.of(piece.labels().split(",")));
                }
                // Concatenated messages parse as one message with the repeated fields appended.
                merged.writeBytes(piece.payload());
            }
            byte[] payload;
            long items;
            double represented;
            try {
                if (verdict.threshold() == TailVerdict.UNCHANGED) {
                    // Nothing to rewrite: the pieces, concatenated, are the request; their counts add up.
                    payload = merged.toByteArray();
                    items = group.stream().mapToLong(TracePiece::items).sum();
                    represented =
                            group.stream().mapToDouble(TracePiece::represented).sum();
                } else if (first.signal() == Signal.SPANS) {
                    ExportTraceServiceRequest request = withThreshold(
                            ExportTraceServiceRequest.parseFrom(merged.toByteArray()), verdict.threshold());
                    payload = request.toByteArray();
                    items = SamplingItems.count(request);
                    represented = AdjustedCounts.spans(request);
                } else {
                    ExportLogsServiceRequest request = withThreshold(
                            ExportLogsServiceRequest.parseFrom(merged.toByteArray()), verdict.threshold());
                    payload = request.toByteArray();
                    items = SamplingItems.count(request);
                    represented = AdjustedCounts.logs(request);
                }
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a buffered trace piece no longer parses", e);
            }
            List<Part> parts = payload.length <= maxRecordBytes
                    ? List.of(new Part(payload, items, represented))
                    : parts(first.signal(), payload, maxRecordBytes);
            for (Part part : parts) {
                records.add(new GovernedRecord(
                        tenant,
                        first.signal(),
                        first.tier(),
                        version,
                        String.join(",", labels),
                        part.payload(),
                        part.items()));
                usage.add(UsageDelta.accepted(
                        tenant,
                        first.signal(),
                        arrival,
                        first.tier(),
                        part.items(),
                        part.payload().length,
                        part.represented()));
            }
        }
        return new Result(records, usage, audit);
    }

    /** One governed record of a kept trace: its bytes, items and the items they represent. */
    private record Part(byte[] payload, long items, double represented) {}

    /**
     * A kept trace too large for one record — it gathers every request its items came in — in parts of at most
     * {@code maxRecordBytes}, each span or log record whole.
     */
    private static List<Part> parts(Signal signal, byte[] payload, int maxRecordBytes) {
        List<Part> parts = new ArrayList<>();
        try {
            if (signal == Signal.SPANS) {
                for (RequestSplitter.Chunk<ExportTraceServiceRequest> chunk :
                        RequestSplitter.split(ExportTraceServiceRequest.parseFrom(payload), maxRecordBytes)) {
                    parts.add(new Part(
                            chunk.request().toByteArray(), chunk.items(), AdjustedCounts.spans(chunk.request())));
                }
            } else {
                for (RequestSplitter.Chunk<ExportLogsServiceRequest> chunk :
                        RequestSplitter.split(ExportLogsServiceRequest.parseFrom(payload), maxRecordBytes)) {
                    parts.add(new Part(
                            chunk.request().toByteArray(), chunk.items(), AdjustedCounts.logs(chunk.request())));
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a kept trace no longer parses", e);
        }
        return parts;
    }

    /** Spans with {@code th} raised to {@code threshold} (never lowered), or erased, per {@link TailVerdict}. */
    static ExportTraceServiceRequest withThreshold(ExportTraceServiceRequest request, long threshold) {
        if (threshold == TailVerdict.UNCHANGED) {
            return request;
        }
        ExportTraceServiceRequest.Builder builder = request.toBuilder();
        for (ResourceSpans.Builder resource : builder.getResourceSpansBuilderList()) {
            for (ScopeSpans.Builder scope : resource.getScopeSpansBuilderList()) {
                for (Span.Builder span : scope.getSpansBuilderList()) {
                    OtelTraceState state = SamplingItems.state(span.build());
                    if (!state.usable()) {
                        continue;
                    }
                    OtelTraceState updated;
                    if (threshold == TailVerdict.ERASE) {
                        updated = state.withoutThreshold();
                    } else if (SamplingItems.thresholdValue(state) < threshold) {
                        updated = state.withThreshold(new Threshold(threshold));
                    } else {
                        updated = state;
                    }
                    if (updated != state) {
                        span.setTraceState(updated.format());
                    }
                }
            }
        }
        return builder.build();
    }

    /** Log records with {@code sampling.threshold} raised to {@code threshold} (never lowered), or erased. */
    static ExportLogsServiceRequest withThreshold(ExportLogsServiceRequest request, long threshold) {
        if (threshold == TailVerdict.UNCHANGED) {
            return request;
        }
        String key = ConsistentDecision.SAMPLING_THRESHOLD_ATTRIBUTE;
        ExportLogsServiceRequest.Builder builder = request.toBuilder();
        for (ResourceLogs.Builder resource : builder.getResourceLogsBuilderList()) {
            for (ScopeLogs.Builder scope : resource.getScopeLogsBuilderList()) {
                for (LogRecord.Builder record : scope.getLogRecordsBuilderList()) {
                    long current = SamplingItems.thresholdValue(SamplingItems.state(record.build()));
                    boolean erase = threshold == TailVerdict.ERASE;
                    if (!erase && current >= threshold) {
                        continue;
                    }
                    List<KeyValue> kept = new ArrayList<>(record.getAttributesList());
                    kept.removeIf(attribute -> attribute.getKey().equals(key));
                    if (!erase) {
                        kept.add(KeyValue.newBuilder()
                                .setKey(key)
                                .setValue(AnyValue.newBuilder().setStringValue(new Threshold(threshold).thValue()))
                                .build());
                    }
                    record.clearAttributes().addAllAttributes(kept);
                }
            }
        }
        return builder.build();
    }
}
