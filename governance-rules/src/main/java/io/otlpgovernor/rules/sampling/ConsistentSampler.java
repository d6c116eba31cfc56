package io.otlpgovernor.rules.sampling;

import java.util.Optional;

import com.google.protobuf.ByteString;
import io.otlpgovernor.rules.sampling.ConsistentDecision.RandomnessSource;

/**
 * One consistent-probability sampling stage — the head sampler, a tail policy, quota downsampling — as the
 * OpenTelemetry specification's <em>equalizing</em> downstream sampler ({@code trace/tracestate-probability-sampling.md}):
 * it may only raise an item's threshold, never lower it. Immutable and thread-safe.
 *
 * <p>For each item, given its {@code tracestate} and trace id and this stage's threshold T_stage:
 * <ol>
 *   <li>R is the {@code rv} sub-key when there is one, else the trace id's least significant 56 bits.</li>
 *   <li>An incoming {@code th} with R &lt; th is inconsistent — the item could not have been kept with it — and
 *       is erased.</li>
 *   <li>T_in is the incoming {@code th}; an item without one is read as T_in = 0 (kept with certainty so far), as
 *       the OpenTelemetry Collector's samplers do.</li>
 *   <li>T_eff = max(T_in, T_stage); the item is kept iff R ≥ T_eff.</li>
 *   <li>A kept item leaves with {@code th} = T_eff when that raised its threshold; otherwise its tracestate is
 *       passed on unchanged (byte for byte). A stage at 100 % therefore never stamps {@code th:0} on items that
 *       arrived without a threshold: it does not know their probability and does not claim one. {@code rv},
 *       unknown {@code ot} sub-keys and other vendors' entries are kept.</li>
 * </ol>
 *
 * <p>Two stages with T1 ≤ T2 keep nested sets (everything stage 2 keeps, stage 1 keeps), and a stage never
 * writes a smaller {@code th} than it received: a downstream stage cannot retroactively raise an earlier stage's
 * probability.
 *
 * <p><b>Unknown probability.</b> {@link #unknownProbability()} is for stages that keep items for reasons other
 * than chance (tail policies on errors or latency): it keeps every item it is asked about and erases
 * {@code th}, as the specification requires of such stages. The caller decides which items to ask about.
 *
 * <p><b>Unusable tracestate.</b> A malformed header never throws: R comes from the trace id, T_in is absent, and
 * a kept item leaves with a fresh {@code ot} entry (see {@link OtelTraceState}); {@link
 * ConsistentDecision#traceStateProblem()} says why.
 *
 * <p><b>No randomness.</b> With no usable {@code rv} and an empty or all-zero trace id (log records without trace
 * context), nothing can be drawn: the item is kept, unchanged, when this stage would not raise its threshold
 * (T_stage ≤ T_in, e.g. a stage at 100 %), and dropped otherwise — failing closed, like the Collector's default.
 *
 * <p><b>Cost.</b> An item with an empty tracestate is decided with a few comparisons and no allocation; the
 * decisions for it are built once per sampler.
 */
public final class ConsistentSampler {

    private static final ConsistentSampler UNKNOWN_PROBABILITY = new ConsistentSampler(-1);

    /** T_stage, or -1 for a stage of unknown probability. */
    private final long stageThreshold;
    /** The decision for a kept item with an empty tracestate and R from the trace id. */
    private final ConsistentDecision keptWithoutTraceState;
    /** The decision for an item with an empty tracestate and no randomness. */
    private final ConsistentDecision withoutTraceStateOrRandomness;

    private ConsistentSampler(long stageThreshold) {
        this.stageThreshold = stageThreshold;
        if (stageThreshold < 0) {
            keptWithoutTraceState =
                    new ConsistentDecision(true, RandomnessSource.TRACE_ID, -1, -1, -1, "", false, false, null);
            withoutTraceStateOrRandomness =
                    new ConsistentDecision(true, RandomnessSource.MISSING, -1, -1, -1, "", false, false, null);
        } else if (stageThreshold == 0) {
            keptWithoutTraceState =
                    new ConsistentDecision(true, RandomnessSource.TRACE_ID, 0, -1, -1, "", false, false, null);
            withoutTraceStateOrRandomness =
                    new ConsistentDecision(true, RandomnessSource.MISSING, 0, -1, -1, "", false, false, null);
        } else {
            String traceState =
                    OtelTraceState.EMPTY.withThresholdValue(stageThreshold).format();
            keptWithoutTraceState = new ConsistentDecision(
                    true, RandomnessSource.TRACE_ID, stageThreshold, stageThreshold, -1, traceState, true, false, null);
            withoutTraceStateOrRandomness = ConsistentDecision.DROPPED_MISSING;
        }
    }

    /** A stage that applies {@code threshold}. */
    public static ConsistentSampler withThreshold(Threshold threshold) {
        return new ConsistentSampler(threshold.value());
    }

    /**
     * A stage that keeps items with {@code probability}, rounded to {@value Threshold#DEFAULT_PRECISION}
     * significant hex digits (see {@link Threshold#fromProbability(double)}).
     *
     * @throws IllegalArgumentException when {@code probability} is not in (0, 1]
     */
    public static ConsistentSampler withProbability(double probability) {
        return withThreshold(Threshold.fromProbability(probability));
    }

    /** A stage after which the sampling probability is unknown: keeps what it is given, erases {@code th}. */
    public static ConsistentSampler unknownProbability() {
        return UNKNOWN_PROBABILITY;
    }

    /** This stage's threshold T_stage; empty for a stage of unknown probability. */
    public Optional<Threshold> threshold() {
        return stageThreshold < 0 ? Optional.empty() : Optional.of(new Threshold(stageThreshold));
    }

    /**
     * Decides for a span: {@code traceState} is its W3C {@code tracestate} ({@code ""} when none), {@code traceId}
     * its 16-byte trace id.
     *
     * @throws IllegalArgumentException when the trace id is neither empty nor 16 bytes (valid OTLP never has that)
     */
    public ConsistentDecision decide(String traceState, byte[] traceId) {
        long traceRandomness = Randomness.traceIdValue(traceId);
        return traceState.isEmpty()
                ? decideWithoutTraceState(traceRandomness)
                : decide(OtelTraceState.parse(traceState), traceRandomness);
    }

    /** Like {@link #decide(String, byte[])}, for a protobuf trace id, without copying it. */
    public ConsistentDecision decide(String traceState, ByteString traceId) {
        long traceRandomness = Randomness.traceIdValue(traceId);
        return traceState.isEmpty()
                ? decideWithoutTraceState(traceRandomness)
                : decide(OtelTraceState.parse(traceState), traceRandomness);
    }

    /**
     * Decides for an item whose sampling state is already parsed — a log record's, from {@link
     * OtelTraceState#ofLogAttributes}, with its trace id (empty when it has none).
     *
     * @throws IllegalArgumentException when the trace id is neither empty nor 16 bytes
     */
    public ConsistentDecision decide(OtelTraceState state, byte[] traceId) {
        long traceRandomness = Randomness.traceIdValue(traceId);
        return state == OtelTraceState.EMPTY
                ? decideWithoutTraceState(traceRandomness)
                : decide(state, traceRandomness);
    }

    /** Like {@link #decide(OtelTraceState, byte[])}, for a protobuf trace id, without copying it. */
    public ConsistentDecision decide(OtelTraceState state, ByteString traceId) {
        long traceRandomness = Randomness.traceIdValue(traceId);
        return state == OtelTraceState.EMPTY
                ? decideWithoutTraceState(traceRandomness)
                : decide(state, traceRandomness);
    }

    private ConsistentDecision decideWithoutTraceState(long traceRandomness) {
        if (traceRandomness < 0) {
            return withoutTraceStateOrRandomness;
        }
        return traceRandomness >= stageThreshold ? keptWithoutTraceState : ConsistentDecision.DROPPED_TRACE_ID;
    }

    private ConsistentDecision decide(OtelTraceState state, long traceRandomness) {
        String problem = state.problemText();
        long explicitRandomness = state.randomnessValue();
        RandomnessSource source;
        long randomness;
        if (explicitRandomness >= 0) {
            source = RandomnessSource.EXPLICIT;
            randomness = explicitRandomness;
        } else if (traceRandomness >= 0) {
            source = RandomnessSource.TRACE_ID;
            randomness = traceRandomness;
        } else {
            source = RandomnessSource.MISSING;
            randomness = -1;
        }

        OtelTraceState out = state;
        long incoming = state.thresholdValue();
        boolean erased = false;
        if (incoming >= 0 && randomness >= 0 && randomness < incoming) {
            erased = true;
            incoming = -1;
            out = out.withoutThreshold();
        }

        if (stageThreshold < 0) {
            out = out.withoutThreshold();
            return new ConsistentDecision(
                    true, source, -1, -1, explicitRandomness, out.format(), out.modified(), erased, problem);
        }

        long base = Math.max(incoming, 0);
        long effective = Math.max(base, stageThreshold);
        // Without randomness only a stage that leaves the threshold as it is can keep the item.
        boolean keep = randomness >= 0 ? randomness >= effective : effective == base;
        if (!keep) {
            if (!erased && problem == null) {
                return switch (source) {
                    case EXPLICIT -> ConsistentDecision.DROPPED_EXPLICIT;
                    case TRACE_ID -> ConsistentDecision.DROPPED_TRACE_ID;
                    case MISSING -> ConsistentDecision.DROPPED_MISSING;
                };
            }
            return new ConsistentDecision(false, source, -1, -1, explicitRandomness, "", false, erased, problem);
        }
        if (effective > base) {
            out = out.withThresholdValue(effective);
        }
        return new ConsistentDecision(
                true,
                source,
                effective,
                out.thresholdValue(),
                explicitRandomness,
                out.format(),
                out.modified(),
                erased,
                problem);
    }

    @Override
    public String toString() {
        return stageThreshold < 0
                ? "ConsistentSampler[unknown probability]"
                : "ConsistentSampler[th:" + Hex56.trimmed(stageThreshold) + "]";
    }
}
