package io.otlpgovernor.rules.pipeline.reports;

/**
 * Running sums of one report line: integer counts (exact) and one fractional sum (the represented count).
 *
 * @param counts      counts, in the order the report kind defines
 * @param represented a sum of adjusted counts, where the kind has one
 */
public record Bucket(long[] counts, double represented) {

    /**
     * This bucket plus {@code other}. A kind may append counts in a later version; a bucket restored from before
     * has fewer, and the missing ones count as 0.
     */
    public Bucket plus(Bucket other) {
        long[] sum = java.util.Arrays.copyOf(counts, Math.max(counts.length, other.counts.length));
        for (int i = 0; i < other.counts.length; i++) {
            sum[i] += other.counts[i];
        }
        return new Bucket(sum, represented + other.represented);
    }
}
