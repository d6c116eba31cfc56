package io.otlpgovernor.rules.sampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;

/**
 * The per-item sampling plumbing of this package, for samplers built on it in other packages (head and tail
 * sampling): how an item's sampling state is read, which trace id a {@link ConsistentSampler} may be given, and
 * how a kept log record carries its decision — all exactly as {@link ThresholdFilter} does it, so every stage
 * reads and writes the same thing.
 */
public final class SamplingItems {

    private SamplingItems() {}

    /** A span's parsed tracestate; {@link OtelTraceState#EMPTY} without one. Never throws. */
    public static OtelTraceState state(Span span) {
        return ItemRandomness.state(span);
    }

    /** A log record's sampling state, from its {@code sampling.threshold} / {@code sampling.randomness} attributes. */
    public static OtelTraceState state(LogRecord record) {
        return ItemRandomness.state(record);
    }

    /**
     * The trace id to hand a {@link ConsistentSampler}: itself when it is 16 bytes, else empty (the sampler would
     * throw on another length, which valid OTLP never has).
     */
    public static ByteString samplerTraceId(ByteString traceId) {
        return ItemRandomness.samplerTraceId(traceId);
    }

    /**
     * Whether an item with this sampling state and trace id has randomness to be sampled by: an explicit
     * {@code rv} / {@code sampling.randomness}, or a usable (16-byte, not all-zero) trace id.
     */
    public static boolean hasRandomness(OtelTraceState state, ByteString traceId) {
        return !ItemRandomness.isHashed(state, traceId);
    }

    /**
     * A kept log record carrying {@code decision}: its {@code sampling.threshold} and {@code sampling.randomness}
     * attributes set to what the decision says (absent when it says nothing), as {@link ThresholdFilter} writes
     * them; the record itself when it already carries exactly that.
     */
    public static LogRecord withDecision(LogRecord record, ConsistentDecision decision) {
        return ThresholdFilter.withSamplingAttributes(
                record, decision.samplingThresholdAttribute(), decision.samplingRandomnessAttribute());
    }

    /**
     * A span's randomness R given its parsed tracestate: the explicit {@code rv}, else the trace id's low 56 bits,
     * else the hash {@link ItemRandomness} describes — what {@link ItemRandomness#of(Span)} returns, without
     * parsing the tracestate again.
     */
    public static long randomness(Span span, OtelTraceState state) {
        return ItemRandomness.value(span, state);
    }

    /** The {@code th} of a sampling state as T, or -1 without one; allocation-free. */
    public static long thresholdValue(OtelTraceState state) {
        return state.thresholdValue();
    }

    /** Spans in a request. */
    public static long count(ExportTraceServiceRequest request) {
        return OtlpTree.count(request);
    }

    /** Log records in a request. */
    public static long count(ExportLogsServiceRequest request) {
        return OtlpTree.count(request);
    }
}
