package io.otlpgovernor.job.reports;

/**
 * Running sums of one report line: integer counts (exact) and one fractional sum (the represented count).
 *
 * @param counts      counts, in the order the report kind defines
 * @param represented a sum of adjusted counts, where the kind has one
 */
public record Bucket(long[] counts, double represented) {

    /** This bucket plus {@code other}, which has as many counts. */
    public Bucket plus(Bucket other) {
        long[] sum = counts.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.counts[i];
        }
        return new Bucket(sum, represented + other.represented);
    }
}
