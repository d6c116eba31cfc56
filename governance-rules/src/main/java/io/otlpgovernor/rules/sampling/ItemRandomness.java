package io.otlpgovernor.rules.sampling;

import java.util.List;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.otlp.ItemBounds;
import io.otlpgovernor.contract.otlp.WireCheck;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;

/**
 * The sampling randomness R of each item of an export request, for a quota gate that must decide exactly how
 * many items a threshold keeps without parsing the request itself. The parallel decode step calls {@link
 * #spans} or {@link #logs} once per request and hands the gate the high 16 bits of every item's R; a threshold of
 * four hex digits ({@code T = t16 << 40}) then keeps an item iff {@code r16 >= t16}, which is exactly what {@link
 * ThresholdFilter} (and a {@link ConsistentSampler}) decides for it. Both sides use {@link #of(Span)} and {@link
 * #of(LogRecord)}, so they cannot disagree.
 *
 * <p>R is what a {@link ConsistentSampler} reads: the explicit randomness ({@code rv} in a span's tracestate, the
 * {@code sampling.randomness} attribute of a log record) when it is present and the sampling state it belongs to
 * is well formed, otherwise the least significant 56 bits of the trace id.
 *
 * <p><b>Items without randomness.</b> A log record without trace context (no trace id, or an invalid one: all
 * zeros or not 16 bytes) and without explicit randomness has nothing to draw from, and a sampler would have to
 * drop it whenever it samples. Instead R is 56 bits of the XXH64 hash of the record's serialized bytes: a
 * deterministic pseudo-randomness, so a replay of the same data decides the same way, and spread evenly, so
 * such records are sampled at the threshold's probability like any others. Spans with an invalid trace id
 * (which valid OTLP never has) are treated the same way. {@link ThresholdFilter} writes that R onto every such
 * item it keeps ({@code rv}, {@code sampling.randomness}), so later stages read it as explicit randomness and do
 * not need the hash, which a changed item would no longer reproduce. Identical records draw the same R and are
 * kept or dropped together.
 *
 * <p>Log attributes are read when their value is a string (the Collector's convention); another value type
 * counts as absent, and only the first attribute with a key is read.
 */
public final class ItemRandomness {

    /** The hash seed: fixed, so every deployment and every replay draws the same randomness. */
    private static final long HASH_SEED = 0;

    private ItemRandomness() {}

    /**
     * The high 16 bits of R for every span, in flattened order (resource, scope, span): {@code (char) (R >>> 40)}.
     */
    public static char[] spans(ExportTraceServiceRequest request) {
        char[] out = new char[(int) OtlpTree.count(request)];
        OtlpTree.forEach(request, (span, at) -> out[at.itemIndex()] = high16(value(span, state(span))));
        return out;
    }

    /**
     * The high 16 bits of R for every log record, in flattened order (resource, scope, record):
     * {@code (char) (R >>> 40)}.
     */
    public static char[] logs(ExportLogsServiceRequest request) {
        char[] out = new char[(int) OtlpTree.count(request)];
        OtlpTree.forEach(request, (record, at) -> out[at.itemIndex()] = high16(value(record, state(record))));
        return out;
    }

    /**
     * As {@link #spans(ExportTraceServiceRequest)}, on the request's bytes as {@link WireCheck#locate} located
     * them: no parse (see {@link WireRandomness}).
     */
    public static char[] spans(byte[] payload, ItemBounds items) {
        return WireRandomness.spans(payload, items);
    }

    /** As {@link #logs(ExportLogsServiceRequest)}, on the request's bytes as {@link WireCheck#locate} located them. */
    public static char[] logs(byte[] payload, ItemBounds items) {
        return WireRandomness.logs(payload, items);
    }

    /** A span's R: its tracestate's {@code rv}, else its trace id's low 56 bits, else the hash (see above). */
    public static Randomness of(Span span) {
        return new Randomness(value(span, state(span)));
    }

    /**
     * A log record's R: its {@code sampling.randomness} attribute, else its trace id's low 56 bits, else the hash
     * of its serialized bytes (see above).
     */
    public static Randomness of(LogRecord record) {
        return new Randomness(value(record, state(record)));
    }

    static char high16(long randomness) {
        return (char) (randomness >>> 40);
    }

    /** The span's parsed tracestate; {@link OtelTraceState#EMPTY} without one. */
    static OtelTraceState state(Span span) {
        String traceState = span.getTraceState();
        return traceState.isEmpty() ? OtelTraceState.EMPTY : OtelTraceState.parse(traceState);
    }

    /** The log record's sampling state, from its {@code sampling.*} attributes. */
    static OtelTraceState state(LogRecord record) {
        if (record.getAttributesCount() == 0) {
            return OtelTraceState.EMPTY;
        }
        return OtelTraceState.ofLogAttributes(
                stringAttribute(record.getAttributesList(), ConsistentDecision.SAMPLING_THRESHOLD_ATTRIBUTE),
                stringAttribute(record.getAttributesList(), ConsistentDecision.SAMPLING_RANDOMNESS_ATTRIBUTE));
    }

    /** R of a span whose tracestate parses to {@code state}. */
    static long value(Span span, OtelTraceState state) {
        long explicit = state.randomnessValue();
        if (explicit >= 0) {
            return explicit;
        }
        long fromTraceId = traceIdValue(span.getTraceId());
        return fromTraceId >= 0 ? fromTraceId : hashed(span.toByteArray());
    }

    /** R of a log record whose sampling attributes parse to {@code state}. */
    static long value(LogRecord record, OtelTraceState state) {
        long explicit = state.randomnessValue();
        if (explicit >= 0) {
            return explicit;
        }
        long fromTraceId = traceIdValue(record.getTraceId());
        return fromTraceId >= 0 ? fromTraceId : hashed(record.toByteArray());
    }

    /** Whether an item's R comes from the hash: no explicit randomness in {@code state} and no usable trace id. */
    static boolean isHashed(OtelTraceState state, ByteString traceId) {
        return state.randomnessValue() < 0 && traceIdValue(traceId) < 0;
    }

    /**
     * R in a trace id, or {@link Randomness#MISSING} when it is empty, all zeros, or not 16 bytes — never an
     * exception: the decode step must not fail on one bad item.
     */
    static long traceIdValue(ByteString traceId) {
        int size = traceId.size();
        return size == Randomness.TRACE_ID_BYTES ? Randomness.traceIdValue(traceId) : Randomness.MISSING;
    }

    /** The trace id to give a {@link ConsistentSampler}: itself when 16 bytes, else empty (it would throw). */
    static ByteString samplerTraceId(ByteString traceId) {
        return traceId.size() == Randomness.TRACE_ID_BYTES ? traceId : ByteString.EMPTY;
    }

    /** The string value of the first attribute named {@code key}, or {@code ""}. */
    static String stringAttribute(List<KeyValue> attributes, String key) {
        for (KeyValue attribute : attributes) {
            if (attribute.getKey().equals(key)) {
                return attribute.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE
                        ? attribute.getValue().getStringValue()
                        : "";
            }
        }
        return "";
    }

    /** 56 bits of the XXH64 of {@code bytes}: the high ones. */
    static long hashed(byte[] bytes) {
        return Xxh64.hash(bytes, HASH_SEED) >>> 8;
    }
}
