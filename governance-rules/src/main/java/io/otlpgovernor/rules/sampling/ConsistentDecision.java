package io.otlpgovernor.rules.sampling;

import java.util.Optional;

/**
 * What a {@link ConsistentSampler} decided for one item: keep or drop, the threshold it applied, the
 * {@code tracestate} to send on, and the adjusted count for estimates and usage metering. Immutable; decisions
 * for items without a {@code tracestate} are shared constants, so deciding them allocates nothing.
 */
public final class ConsistentDecision {

    /** The log-record attribute carrying the threshold, in the {@code th} form (the Collector's convention). */
    public static final String SAMPLING_THRESHOLD_ATTRIBUTE = "sampling.threshold";
    /** The log-record attribute carrying explicit randomness, in the {@code rv} form (the Collector's convention). */
    public static final String SAMPLING_RANDOMNESS_ATTRIBUTE = "sampling.randomness";

    /** Where the randomness R of a decision came from. */
    public enum RandomnessSource {
        /** The {@code rv} sub-key (or the {@code sampling.randomness} attribute of a log record). */
        EXPLICIT,
        /** The least significant 56 bits of the trace id. */
        TRACE_ID,
        /** Neither: no usable {@code rv}, and the trace id is empty or all zeros. */
        MISSING
    }

    static final ConsistentDecision DROPPED_EXPLICIT = dropped(RandomnessSource.EXPLICIT);
    static final ConsistentDecision DROPPED_TRACE_ID = dropped(RandomnessSource.TRACE_ID);
    static final ConsistentDecision DROPPED_MISSING = dropped(RandomnessSource.MISSING);

    private final boolean kept;
    private final RandomnessSource randomnessSource;
    /** T_eff for a kept item whose probability is known; -1 when dropped or unknown. */
    private final long appliedThreshold;
    /** The {@code th} the outgoing tracestate carries; -1 when none. */
    private final long outgoingThreshold;
    /** The explicit R, or -1. */
    private final long explicitRandomness;

    private final String traceState;
    private final boolean traceStateChanged;
    private final boolean inconsistentThresholdErased;
    private final String traceStateProblem;

    ConsistentDecision(
            boolean kept,
            RandomnessSource randomnessSource,
            long appliedThreshold,
            long outgoingThreshold,
            long explicitRandomness,
            String traceState,
            boolean traceStateChanged,
            boolean inconsistentThresholdErased,
            String traceStateProblem) {
        this.kept = kept;
        this.randomnessSource = randomnessSource;
        this.appliedThreshold = appliedThreshold;
        this.outgoingThreshold = outgoingThreshold;
        this.explicitRandomness = explicitRandomness;
        this.traceState = traceState;
        this.traceStateChanged = traceStateChanged;
        this.inconsistentThresholdErased = inconsistentThresholdErased;
        this.traceStateProblem = traceStateProblem;
    }

    private static ConsistentDecision dropped(RandomnessSource source) {
        return new ConsistentDecision(false, source, -1, -1, -1, "", false, false, null);
    }

    /** Whether the item is kept. */
    public boolean kept() {
        return kept;
    }

    /** Where R came from. */
    public RandomnessSource randomnessSource() {
        return randomnessSource;
    }

    /**
     * For a kept item, the effective threshold T_eff the stage applied: the stricter of the item's incoming
     * {@code th} (none counts as T = 0) and the stage's own. Empty for a dropped item and for a stage whose
     * probability is unknown.
     */
    public Optional<Threshold> threshold() {
        return appliedThreshold < 0 ? Optional.empty() : Optional.of(new Threshold(appliedThreshold));
    }

    /**
     * How many items this one stands for: 0 for a dropped item; {@code 1/p} of {@link #threshold()} for a kept
     * item; 1 for an item kept by a stage of unknown probability — the specification leaves its adjusted count
     * undefined, and a meter counts it as itself.
     */
    public double adjustedCount() {
        if (!kept) {
            return 0;
        }
        return appliedThreshold < 0 ? 1 : Threshold.adjustedCount(appliedThreshold);
    }

    /**
     * The {@code tracestate} to send on with a kept item: the incoming header itself when {@link
     * #traceStateChanged()} is false. {@code ""} for a dropped item.
     */
    public String traceState() {
        return traceState;
    }

    /** Whether {@link #traceState()} differs from the incoming header. */
    public boolean traceStateChanged() {
        return traceStateChanged;
    }

    /**
     * Whether the incoming {@code th} was erased because the item's randomness is below it — the item could not
     * have been kept with that threshold, so the threshold does not describe it.
     */
    public boolean inconsistentThresholdErased() {
        return inconsistentThresholdErased;
    }

    /**
     * Why the incoming tracestate (or log attributes) could not be used, or empty. Its shape only, never its
     * content: safe for logs and metrics.
     */
    public Optional<String> traceStateProblem() {
        return Optional.ofNullable(traceStateProblem);
    }

    /**
     * The value of the {@value #SAMPLING_THRESHOLD_ATTRIBUTE} attribute for a kept log record: the {@code th} the
     * outgoing state carries. Empty means the attribute must be absent (removed if the record had one).
     */
    public Optional<String> samplingThresholdAttribute() {
        return outgoingThreshold < 0 ? Optional.empty() : Optional.of(Hex56.trimmed(outgoingThreshold));
    }

    /**
     * The value of the {@value #SAMPLING_RANDOMNESS_ATTRIBUTE} attribute for a kept log record: the explicit
     * randomness, when R came from one. Empty when R came from the trace id (which needs no attribute) or there
     * was none; the attribute must then be absent.
     */
    public Optional<String> samplingRandomnessAttribute() {
        return explicitRandomness < 0 ? Optional.empty() : Optional.of(Hex56.full(explicitRandomness));
    }

    @Override
    public String toString() {
        return "ConsistentDecision[" + (kept ? "kept" : "dropped") + ", randomness from " + randomnessSource
                + (appliedThreshold < 0 ? "" : ", th:" + Hex56.trimmed(appliedThreshold))
                + (traceStateChanged ? ", tracestate changed" : "")
                + (inconsistentThresholdErased ? ", inconsistent th erased" : "")
                + (traceStateProblem == null ? "" : ", unusable tracestate: " + traceStateProblem) + "]";
    }
}
