package io.otlpgovernor.rules.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;

/**
 * Applies one threshold to a whole export request: the downsampling a quota gate decided on. An item is kept iff
 * its randomness, as {@link ItemRandomness} draws it, is at least the threshold — the very comparison the gate
 * counted when it decided how much to charge, so what passes here is exactly what was paid for.
 *
 * <p>Kept items carry the new sampling state, so later stages and billing ({@link AdjustedCounts}) know what
 * each stands for: the {@code th} of a span's tracestate, or a log record's {@code sampling.threshold}
 * attribute, is raised to the threshold when it was lower, and never lowered (the rewrite is a {@link
 * ConsistentSampler}'s, which also erases a {@code th} the randomness contradicts and keeps {@code rv}, unknown
 * {@code ot} sub-keys and other vendors' tracestate entries). An item whose randomness came from the hash of its
 * bytes gets it written out ({@code rv}, {@code sampling.randomness}), since a changed item no longer hashes to
 * it. Scopes and resources left without items by the filter are removed.
 *
 * <p>At {@link Threshold#ALWAYS} nothing is sampled and the request is returned as it is, the same instance: a
 * stage at 100 % does not claim a probability for items that arrived without one.
 */
public final class ThresholdFilter {

    private ThresholdFilter() {}

    /**
     * A filtered request.
     *
     * @param request what is left (the same instance when nothing was sampled)
     * @param kept    items kept
     * @param dropped items removed
     */
    public record Filtered<T>(T request, long kept, long dropped) {}

    /** Keeps the spans whose randomness passes {@code threshold}; see the class description. */
    public static Filtered<ExportTraceServiceRequest> spans(ExportTraceServiceRequest request, Threshold threshold) {
        if (threshold.value() == 0) {
            return new Filtered<>(request, SamplingItems.count(request), 0);
        }
        ConsistentSampler sampler = ConsistentSampler.withThreshold(threshold);
        return filtered(OtlpTree.filter(request, (span, at) -> filter(span, threshold, sampler)));
    }

    /** Keeps the log records whose randomness passes {@code threshold}; see the class description. */
    public static Filtered<ExportLogsServiceRequest> logs(ExportLogsServiceRequest request, Threshold threshold) {
        if (threshold.value() == 0) {
            return new Filtered<>(request, SamplingItems.count(request), 0);
        }
        ConsistentSampler sampler = ConsistentSampler.withThreshold(threshold);
        return filtered(OtlpTree.filter(request, (record, at) -> filter(record, threshold, sampler)));
    }

    private static <R> Filtered<R> filtered(OtlpTree.Filtered<R> walked) {
        return new Filtered<>(walked.request(), walked.kept(), walked.dropped());
    }

    /** The kept span with its new tracestate, or null when it is dropped. */
    private static Span filter(Span span, Threshold threshold, ConsistentSampler sampler) {
        OtelTraceState state = ItemRandomness.state(span);
        long randomness = ItemRandomness.value(span, state);
        if (randomness < threshold.value()) {
            return null;
        }
        if (ItemRandomness.isHashed(state, span.getTraceId())) {
            state = state.withRandomness(new Randomness(randomness));
        }
        ConsistentDecision decision = decide(sampler, state, span.getTraceId());
        return decision.traceStateChanged()
                ? span.toBuilder().setTraceState(decision.traceState()).build()
                : span;
    }

    /** The kept log record with its new sampling attributes, or null when it is dropped. */
    private static LogRecord filter(LogRecord record, Threshold threshold, ConsistentSampler sampler) {
        OtelTraceState state = ItemRandomness.state(record);
        long randomness = ItemRandomness.value(record, state);
        if (randomness < threshold.value()) {
            return null;
        }
        if (ItemRandomness.isHashed(state, record.getTraceId())) {
            state = state.withRandomness(new Randomness(randomness));
        }
        ConsistentDecision decision = decide(sampler, state, record.getTraceId());
        return withSamplingAttributes(
                record, decision.samplingThresholdAttribute(), decision.samplingRandomnessAttribute());
    }

    /**
     * The sampler's decision for an item this filter keeps. The sampler sees the same R (explicit, else the trace
     * id) and, since an incoming {@code th} above R is erased, keeps an item iff {@code R >= T}: it agrees.
     */
    private static ConsistentDecision decide(ConsistentSampler sampler, OtelTraceState state, ByteString traceId) {
        ConsistentDecision decision = sampler.decide(state, ItemRandomness.samplerTraceId(traceId));
        if (!decision.kept()) {
            throw new IllegalStateException("the sampler dropped an item whose randomness passes its threshold");
        }
        return decision;
    }

    /**
     * The record with exactly these {@code sampling.threshold} and {@code sampling.randomness} attributes (absent
     * when empty); itself when it already has them. An existing attribute is replaced where it stands.
     */
    static LogRecord withSamplingAttributes(LogRecord record, Optional<String> threshold, Optional<String> randomness) {
        String thresholdKey = ConsistentDecision.SAMPLING_THRESHOLD_ATTRIBUTE;
        String randomnessKey = ConsistentDecision.SAMPLING_RANDOMNESS_ATTRIBUTE;
        List<KeyValue> attributes = record.getAttributesList();
        if (hasExactly(attributes, thresholdKey, threshold) && hasExactly(attributes, randomnessKey, randomness)) {
            return record;
        }
        List<KeyValue> out = new ArrayList<>(attributes.size() + 2);
        boolean thresholdPlaced = false;
        boolean randomnessPlaced = false;
        for (KeyValue attribute : attributes) {
            if (attribute.getKey().equals(thresholdKey)) {
                if (!thresholdPlaced && threshold.isPresent()) {
                    out.add(stringAttribute(thresholdKey, threshold.get()));
                }
                thresholdPlaced = true;
            } else if (attribute.getKey().equals(randomnessKey)) {
                if (!randomnessPlaced && randomness.isPresent()) {
                    out.add(stringAttribute(randomnessKey, randomness.get()));
                }
                randomnessPlaced = true;
            } else {
                out.add(attribute);
            }
        }
        if (!thresholdPlaced && threshold.isPresent()) {
            out.add(stringAttribute(thresholdKey, threshold.get()));
        }
        if (!randomnessPlaced && randomness.isPresent()) {
            out.add(stringAttribute(randomnessKey, randomness.get()));
        }
        return record.toBuilder().clearAttributes().addAllAttributes(out).build();
    }

    /** Whether {@code key} appears once with string value {@code value}, or not at all when it is empty. */
    private static boolean hasExactly(List<KeyValue> attributes, String key, Optional<String> value) {
        int seen = 0;
        for (KeyValue attribute : attributes) {
            if (attribute.getKey().equals(key)) {
                seen++;
                AnyValue v = attribute.getValue();
                if (value.isEmpty()
                        || v.getValueCase() != AnyValue.ValueCase.STRING_VALUE
                        || !v.getStringValue().equals(value.get())) {
                    return false;
                }
            }
        }
        return value.isEmpty() ? seen == 0 : seen == 1;
    }

    private static KeyValue stringAttribute(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }
}
