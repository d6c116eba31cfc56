package io.otlpgovernor.rules.pipeline.model;

/**
 * What tail sampling decided for a trace, as its items are written (and as the decision cache remembers it).
 *
 * @param keep      whether the trace's items are written
 * @param threshold for kept items: the {@code th} (56-bit T) their sampling state is raised to; {@link #ERASE}
 *                  to remove {@code th} (a rate-limited keep: probability unknown); {@link #UNCHANGED} to leave
 *                  it as it arrived
 * @param policyId  the policy that decided, "" when none did
 */
public record TailVerdict(boolean keep, long threshold, String policyId) {

    public static final long ERASE = -1;
    public static final long UNCHANGED = -2;
}
