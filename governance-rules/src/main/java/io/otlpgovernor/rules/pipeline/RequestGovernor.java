package io.otlpgovernor.rules.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.contract.otlp.RequestSplitter;
import io.otlpgovernor.contract.otlp.encode.CopyingEncoder;
import io.otlpgovernor.contract.otlp.encode.OriginalRequest;
import io.otlpgovernor.contract.otlp.tree.ItemOrigins;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.rules.pipeline.model.AdmittedRecord;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.DecodedRecord;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.MetricPiece;
import io.otlpgovernor.rules.pipeline.model.TracePiece;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.pipeline.registry.TenantRules;
import io.otlpgovernor.rules.protection.Decisions;
import io.otlpgovernor.rules.protection.Finding;
import io.otlpgovernor.rules.protection.GovernanceEngine;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.retention.TierRouter;
import io.otlpgovernor.rules.sampling.AdjustedCounts;
import io.otlpgovernor.rules.sampling.SamplingItems;
import io.otlpgovernor.rules.sampling.Threshold;
import io.otlpgovernor.rules.sampling.ThresholdFilter;
import io.otlpgovernor.rules.sampling.head.HeadSampler;
import io.otlpgovernor.rules.subjects.SubjectFilter;
import io.otlpgovernor.rules.subjects.SubjectList;

/**
 * Governs one admitted request with its tenant's rules: applies the quota's downsampling threshold and the head
 * sampling rules (before classifying, so what is not kept is never looked at), classifies and protects (the
 * engine), splits it by retention tier and drops what is past its tier's retention, and says what was
 * done — governed records per tier, usage and audit contributions. Plain Java, so it is tested without Flink; one
 * instance per task (the engine it holds is not thread-safe).
 */
public final class RequestGovernor {

    private static final long NANOS_PER_MILLI = 1_000_000;

    /** The audit action of items dropped, and values redacted, because they carry a suppressed data subject. */
    public static final String SUBJECT_SUPPRESSED = "subject-suppressed";

    /** The label of those audit records. */
    public static final String SUBJECT_LABEL = "subject";

    private final GovernanceEngine engine;
    private final int maxRecordBytes;

    /** @param maxRecordBytes a governed request larger than this is written as several records ({@link RequestSplitter}) */
    public RequestGovernor(Map<String, HmacKeyring> keyrings, int maxRecordBytes) {
        this.engine = new GovernanceEngine(keyrings);
        this.maxRecordBytes = maxRecordBytes;
    }

    /**
     * What governing one request produced.
     *
     * @param records governed records, one per retention tier that kept items (several for a tier whose share is
     *                larger than the record size limit)
     * @param usage   usage contributions (output counts per tier, policy and age drops)
     * @param audit   audit contributions
     * @param pieces  for a tenant with tail sampling: its spans, and its log records that carry a trace id, per
     *                trace and tier, to wait for their trace's decision (neither in {@code records} nor counted
     *                as accepted in {@code usage}: tail sampling does that once it decides)
     * @param metricPieces for a tenant with cardinality limits: its data points per cardinality key and tier, to
     *                pass their limits (neither in {@code records} nor counted as accepted: the limit does that)
     */
    public record Outcome(
            List<GovernedRecord> records,
            List<UsageDelta> usage,
            List<AuditDelta> audit,
            List<TracePiece> pieces,
            List<MetricPiece> metricPieces) {}

    /** Governs {@code admitted} for a tenant that suppresses no data subject. */
    public Outcome govern(AdmittedRecord admitted, TenantRules rules) {
        return govern(admitted, rules, SubjectList.NONE);
    }

    /**
     * Governs {@code admitted}; its payload was checked by decode, so it parses. Items that carry a suppressed
     * subject are dropped or redacted before classification, so nothing after this step sees them.
     */
    public Outcome govern(AdmittedRecord admitted, TenantRules rules, SubjectList subjects) {
        DecodedRecord record = admitted.record();
        Threshold threshold = new Threshold(admitted.sampleThreshold());
        long arrivalNanos = record.arrivalMillis() * NANOS_PER_MILLI;
        try {
            return switch (record.signal()) {
                case SPANS -> {
                    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(record.payload());
                    HeadSampler.Filtered<ExportTraceServiceRequest> sampled = rules.head()
                            .spans(ThresholdFilter.spans(request, threshold).request());
                    SubjectFilter.Suppressed<ExportTraceServiceRequest> suppressed =
                            SubjectFilter.spans(subjects, sampled.request());
                    ItemOrigins origins = suppressed.request() == request ? new ItemOrigins() : null;
                    GovernanceEngine.Governed<ExportTraceServiceRequest> governed =
                            engine.governSpans(rules.compiled(), suppressed.request(), origins);
                    TierRouter.Routed<ExportTraceServiceRequest> routed = rules.router()
                            .routeSpans(governed.request(), governed.decisions().itemLabels(), arrivalNanos);
                    yield outcome(
                            record,
                            rules,
                            request,
                            sampled,
                            suppressed,
                            governed.decisions(),
                            routed,
                            AdjustedCounts::spans,
                            origins == null ? Message::toByteArray : copying(record, request, origins));
                }
                case LOGS -> {
                    ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(record.payload());
                    HeadSampler.Filtered<ExportLogsServiceRequest> sampled = rules.head()
                            .logs(ThresholdFilter.logs(request, threshold).request());
                    SubjectFilter.Suppressed<ExportLogsServiceRequest> suppressed =
                            SubjectFilter.logs(subjects, sampled.request());
                    ItemOrigins origins = suppressed.request() == request ? new ItemOrigins() : null;
                    GovernanceEngine.Governed<ExportLogsServiceRequest> governed =
                            engine.governLogs(rules.compiled(), suppressed.request(), origins);
                    TierRouter.Routed<ExportLogsServiceRequest> routed = rules.router()
                            .routeLogs(governed.request(), governed.decisions().itemLabels(), arrivalNanos);
                    yield outcome(
                            record,
                            rules,
                            request,
                            sampled,
                            suppressed,
                            governed.decisions(),
                            routed,
                            AdjustedCounts::logs,
                            origins == null ? Message::toByteArray : copying(record, request, origins));
                }
                case METRICS -> {
                    // Metrics are never downsampled: the quota drops data points it cannot admit whole.
                    ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(record.payload());
                    SubjectFilter.Suppressed<ExportMetricsServiceRequest> suppressed =
                            SubjectFilter.metrics(subjects, request);
                    GovernanceEngine.Governed<ExportMetricsServiceRequest> governed =
                            engine.governMetrics(rules.compiled(), suppressed.request());
                    TierRouter.Routed<ExportMetricsServiceRequest> routed = rules.router()
                            .routeMetrics(
                                    governed.request(), governed.decisions().itemLabels(), arrivalNanos);
                    yield outcome(
                            record,
                            rules,
                            request,
                            null,
                            suppressed,
                            governed.decisions(),
                            routed,
                            null,
                            Message::toByteArray);
                }
            };
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a decoded record no longer parses", e);
        }
    }

    /** Sums the adjusted counts of a request's items. */
    private interface Represented<T> {
        double of(T request);
    }

    /** Serializes a governed part (or tail-sampling piece) of a request. */
    private interface PartEncoder<T> {
        byte[] encode(T part);
    }

    /**
     * Parts of a span request governed straight from its parse: whatever governing did not change is copied from
     * the bytes it arrived in ({@link CopyingEncoder}), which is most of every item — attributes kept, ids, times.
     */
    private static PartEncoder<ExportTraceServiceRequest> copying(
            DecodedRecord record, ExportTraceServiceRequest request, ItemOrigins origins) {
        OriginalRequest original = OriginalRequest.spans(record.payload(), request);
        return part -> CopyingEncoder.spans(part, original, origins);
    }

    /** As {@link #copying(DecodedRecord, ExportTraceServiceRequest, ItemOrigins)}, for log records. */
    private static PartEncoder<ExportLogsServiceRequest> copying(
            DecodedRecord record, ExportLogsServiceRequest request, ItemOrigins origins) {
        OriginalRequest original = OriginalRequest.logs(record.payload(), request);
        return part -> CopyingEncoder.logs(part, original, origins);
    }

    /** {@code sampled} is null for metrics, which are never head-sampled. */
    private <T extends Message> Outcome outcome(
            DecodedRecord record,
            TenantRules rules,
            T original,
            HeadSampler.Filtered<T> sampled,
            SubjectFilter.Suppressed<T> suppressed,
            Decisions decisions,
            TierRouter.Routed<T> routed,
            Represented<T> represented,
            PartEncoder<T> encoder) {
        String tenant = record.tenant();
        long version = rules.version();
        List<GovernedRecord> records = new ArrayList<>(routed.parts().size());
        List<UsageDelta> usage = new ArrayList<>(routed.parts().size() + 1);
        List<TracePiece> pieces = new ArrayList<>();
        List<MetricPiece> metricPieces = new ArrayList<>();
        for (TierRouter.Part<T> routedPart : routed.parts()) {
            TierRouter.Part<T> part = routedPart;
            String tier = part.tier();
            // The labels found in this tier's items: a consumer filtering on them sees only what the record holds.
            String labels = String.join(",", part.labels());
            if (rules.tail() != null && part.request() instanceof ExportTraceServiceRequest spans) {
                TraceSplitter.spans(spans)
                        .forEach((trace, piece) -> pieces.add(new TracePiece(
                                TraceSplitter.key(tenant, trace),
                                tenant,
                                record.signal(),
                                tier,
                                version,
                                labels,
                                encoder.encode(asPart(piece)),
                                SamplingItems.count(piece),
                                AdjustedCounts.spans(piece),
                                record.arrivalMillis(),
                                rules.tail().summarize(piece))));
                continue;
            }
            if (rules.cardinality() != null && part.request() instanceof ExportMetricsServiceRequest metrics) {
                metricPieces(record, version, tier, labels, metrics, rules, part.request() == original, metricPieces);
                continue;
            }
            if (rules.tail() != null && part.request() instanceof ExportLogsServiceRequest logs) {
                T untraced = null;
                for (Map.Entry<ByteString, ExportLogsServiceRequest> trace :
                        TraceSplitter.logs(logs).entrySet()) {
                    if (trace.getKey().isEmpty()) {
                        @SuppressWarnings("unchecked")
                        T alone = (T) trace.getValue();
                        untraced = alone;
                    } else {
                        pieces.add(new TracePiece(
                                TraceSplitter.key(tenant, trace.getKey()),
                                tenant,
                                record.signal(),
                                part.tier(),
                                version,
                                labels,
                                encoder.encode(asPart(trace.getValue())),
                                SamplingItems.count(trace.getValue()),
                                AdjustedCounts.logs(trace.getValue()),
                                record.arrivalMillis(),
                                null));
                    }
                }
                if (untraced == null) {
                    continue;
                }
                part = new TierRouter.Part<>(
                        part.tier(), untraced, SamplingItems.count((ExportLogsServiceRequest) untraced), part.labels());
            }
            // Unchanged requests keep the bytes they arrived with: nothing to re-encode, and byte-identical output.
            byte[] payload = part.request() == original ? record.payload() : encoder.encode(part.request());
            List<RequestSplitter.Chunk<T>> chunks = payload.length <= maxRecordBytes
                    ? List.of(new RequestSplitter.Chunk<>(part.request(), part.items()))
                    : RequestSplitter.split(part.request(), maxRecordBytes);
            for (RequestSplitter.Chunk<T> chunk : chunks) {
                byte[] bytes = chunks.size() == 1 ? payload : chunk.request().toByteArray();
                records.add(new GovernedRecord(
                        tenant, record.signal(), part.tier(), version, labels, bytes, chunk.items()));
                double count = represented == null ? chunk.items() : represented.of(chunk.request());
                usage.add(UsageDelta.accepted(
                        tenant,
                        record.signal(),
                        record.arrivalMillis(),
                        part.tier(),
                        chunk.items(),
                        bytes.length,
                        count));
            }
        }
        long sampledOut = sampled == null ? 0 : sampled.dropped();
        long policyDrops = decisions.droppedItems() + suppressed.dropped();
        if (sampledOut > 0 || policyDrops > 0 || routed.expiredItems() > 0) {
            usage.add(UsageDelta.removed(
                    tenant, record.signal(), record.arrivalMillis(), sampledOut, policyDrops, routed.expiredItems()));
        }
        List<AuditDelta> audit = audit(record, version, decisions, routed);
        audit.addAll(suppressionAudit(tenant, record.arrivalMillis(), version, suppressed.found()));
        if (sampled != null) {
            sampled.byRule().forEach((rule, count) -> {
                if (count.dropped() > 0) {
                    audit.add(new AuditDelta(
                            tenant,
                            record.arrivalMillis(),
                            version,
                            rule,
                            "",
                            "head-sample-drop",
                            "",
                            count.dropped()));
                }
            });
        }
        return new Outcome(records, usage, audit, pieces, metricPieces);
    }

    /** A piece of a part, as the part's own type (pieces are requests of the same signal). */
    @SuppressWarnings("unchecked")
    private static <T> T asPart(Message piece) {
        return (T) piece;
    }

    /** The audit lines of suppressed subjects: one per entry and field path, under the entry's id. */
    static List<AuditDelta> suppressionAudit(
            String tenant, long arrivalMillis, long version, Map<SubjectFilter.Found, Long> found) {
        List<AuditDelta> audit = new ArrayList<>(found.size());
        found.forEach((where, count) -> audit.add(new AuditDelta(
                tenant,
                arrivalMillis,
                version,
                where.entryId(),
                SUBJECT_LABEL,
                SUBJECT_SUPPRESSED,
                where.fieldPath(),
                count)));
        return audit;
    }

    /** A tier's data points as pieces for their cardinality keys: the whole part, or one piece per metric name. */
    private static void metricPieces(
            DecodedRecord record,
            long version,
            String tier,
            String labels,
            ExportMetricsServiceRequest metrics,
            TenantRules rules,
            boolean unchanged,
            List<MetricPiece> out) {
        String tenant = record.tenant();
        if (!rules.cardinality().rules().keyedByMetric()) {
            byte[] payload = unchanged ? record.payload() : metrics.toByteArray();
            out.add(new MetricPiece(
                    MetricPiece.key(tenant, null),
                    tenant,
                    tier,
                    version,
                    labels,
                    payload,
                    OtlpTree.count(metrics),
                    record.arrivalMillis()));
            return;
        }
        for (OtlpTree.Part<String, ExportMetricsServiceRequest> part :
                OtlpTree.partition(metrics, (point, at) -> at.metric().getName())) {
            out.add(new MetricPiece(
                    MetricPiece.key(tenant, part.key()),
                    tenant,
                    tier,
                    version,
                    labels,
                    unchanged && part.request() == metrics
                            ? record.payload()
                            : part.request().toByteArray(),
                    part.items(),
                    record.arrivalMillis()));
        }
    }

    private static <T> List<AuditDelta> audit(
            DecodedRecord record, long version, Decisions decisions, TierRouter.Routed<T> routed) {
        List<AuditDelta> audit = new ArrayList<>();
        String tenant = record.tenant();
        long at = record.arrivalMillis();
        for (Map.Entry<Finding, Long> entry : decisions.counts().entrySet()) {
            Finding finding = entry.getKey();
            audit.add(new AuditDelta(
                    tenant,
                    at,
                    version,
                    finding.rule(),
                    finding.label(),
                    finding.action().id(),
                    finding.fieldPath(),
                    entry.getValue()));
        }
        routed.chosenBy()
                .forEach((choice, items) -> audit.add(
                        new AuditDelta(tenant, at, version, choice.ruleId(), "", "route", choice.tier(), items)));
        routed.expired()
                .forEach((tier, items) ->
                        audit.add(new AuditDelta(tenant, at, version, "retention", "", "expire", tier, items)));
        return audit;
    }
}
