package io.otlpgovernor.rules.sampling.tail;

import io.otlpgovernor.rules.sampling.Threshold;

/**
 * What tail sampling decided for a trace.
 *
 * @param keep                    whether the trace is kept. When {@code rateLimited}, only if the per-service
 *                                limiter admits it.
 * @param policyId                the policy that decided: the {@code drop} policy that dropped it, the first
 *                                policy in file order that keeps it, the rate-limit policy it hinges on; {@code ""}
 *                                when no policy kept it (dropped for want of a keeping policy)
 * @param threshold               for a kept trace that is not rate-limited, the {@code th} to give its spans (and
 *                                its log records' {@code sampling.threshold}) so adjusted counts stay right —
 *                                never lower than a {@code th} the spans arrived with. Null when the trace is
 *                                dropped, and when it is rate-limited: a rate limit makes the probability unknown,
 *                                so a trace the limiter admits must have its {@code th} erased.
 * @param rateLimited             whether the trace's fate hinges on a rate-limit policy: no other policy keeps it
 *                                and none drops it; the job asks the limiter of the trace's service
 *                                ({@link TraceSummary#service()}) for its {@link TraceSummary#spans()} spans
 * @param rateLimitPolicyId       that rate-limit policy's id (the first in file order), or {@code ""}
 * @param rateLimitSpansPerSecond its {@code spans-per-second}, or 0
 */
public record TailDecision(
        boolean keep,
        String policyId,
        Threshold threshold,
        boolean rateLimited,
        String rateLimitPolicyId,
        long rateLimitSpansPerSecond) {

    /** Dropped because no policy keeps the trace. */
    public static final TailDecision NOT_KEPT = new TailDecision(false, "", null, false, "", 0);

    static TailDecision dropped(String policyId) {
        return new TailDecision(false, policyId, null, false, "", 0);
    }

    static TailDecision kept(String policyId, Threshold threshold) {
        return new TailDecision(true, policyId, threshold, false, "", 0);
    }

    static TailDecision rateLimited(String policyId, long spansPerSecond) {
        return new TailDecision(true, policyId, null, true, policyId, spansPerSecond);
    }

    /**
     * How many traces this one stands for once kept: {@code 1/p} of {@link #threshold()}; 1 for a rate-limited
     * trace (probability unknown, counted as itself); 0 for a dropped one.
     */
    public double adjustedCount() {
        if (!keep) {
            return 0;
        }
        return threshold == null ? 1 : threshold.adjustedCount();
    }
}
