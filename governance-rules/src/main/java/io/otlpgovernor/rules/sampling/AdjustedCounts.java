package io.otlpgovernor.rules.sampling;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;

/**
 * How many items the items of a request stand for: the sum of their adjusted counts, {@code 2^56 / (2^56 − T)}
 * for an item whose threshold T is known, 1 for one whose is not. This is the count reported for billing and
 * usage after downsampling: a tenant sampled at 25 % is billed for (about) what it sent, not for a quarter.
 *
 * <p>T is the {@code th} of a span's tracestate, or a log record's {@code sampling.threshold} attribute. What
 * counts as known is what a {@link ConsistentSampler} at 100 % reports — the sum is defined as the sum of its
 * {@link ConsistentDecision#adjustedCount()}, so billing and sampling cannot disagree: a malformed sampling
 * state counts 1, and so does a threshold the item's own randomness contradicts (R &lt; T: the item could not
 * have been kept with it, so it does not describe the item).
 */
public final class AdjustedCounts {

    private static final ConsistentSampler EVERYTHING = ConsistentSampler.withThreshold(Threshold.ALWAYS);

    private AdjustedCounts() {}

    /** The sum of the spans' adjusted counts. */
    public static double spans(ExportTraceServiceRequest request) {
        double[] sum = {0};
        OtlpTree.forEach(request, (span, at) -> sum[0] += of(span));
        return sum[0];
    }

    /** The sum of the log records' adjusted counts. */
    public static double logs(ExportLogsServiceRequest request) {
        double[] sum = {0};
        OtlpTree.forEach(request, (record, at) -> sum[0] += of(record));
        return sum[0];
    }

    /** One span's adjusted count. */
    static double of(Span span) {
        if (span.getTraceState().isEmpty()) {
            return 1;
        }
        return EVERYTHING
                .decide(ItemRandomness.state(span), ItemRandomness.samplerTraceId(span.getTraceId()))
                .adjustedCount();
    }

    /** One log record's adjusted count. */
    static double of(LogRecord record) {
        OtelTraceState state = ItemRandomness.state(record);
        if (state == OtelTraceState.EMPTY) {
            return 1;
        }
        return EVERYTHING
                .decide(state, ItemRandomness.samplerTraceId(record.getTraceId()))
                .adjustedCount();
    }
}
