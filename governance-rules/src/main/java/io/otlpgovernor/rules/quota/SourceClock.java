package io.otlpgovernor.rules.quota;

import java.util.Arrays;

/**
 * A tenant's clock for quota decisions, made from the arrival times of its records on each input partition.
 *
 * <p>A tenant's records reach the quota from several partitions, each in arrival order but interleaved with the
 * others in whatever order the consumer fetched them — during a catch-up one partition may run seconds ahead.
 * Advancing a token bucket to the newest arrival would then cap it at its burst and lose the tokens that the
 * lagging partitions' records were entitled to. So the clock reads the time every active partition has reached:
 * the least of their latest arrivals. A partition more than the tolerance behind the newest counts as idle for
 * the tenant and is forgotten, so one that stopped carrying the tenant's data cannot hold the clock back.
 *
 * <p>A value (arrays, not maps, so Flink keeps it in state without a generic serializer); sources stay few — the
 * partitions a tenant's data arrives on.
 *
 * @param sources      partition names
 * @param latestMillis the latest arrival seen on each, in the same order
 */
public record SourceClock(String[] sources, long[] latestMillis) {

    public static final SourceClock EMPTY = new SourceClock(new String[0], new long[0]);

    /** The clock after a record from {@code source} that arrived at {@code arrivalMillis}; drops sources that went idle. */
    public SourceClock observe(String source, long arrivalMillis, long toleranceMillis) {
        int index = Arrays.asList(sources).indexOf(source);
        String[] names = index >= 0 ? sources.clone() : Arrays.copyOf(sources, sources.length + 1);
        long[] latest = index >= 0 ? latestMillis.clone() : Arrays.copyOf(latestMillis, latestMillis.length + 1);
        int at = index >= 0 ? index : names.length - 1;
        names[at] = source;
        latest[at] = index >= 0 ? Math.max(latest[at], arrivalMillis) : arrivalMillis;
        long newest = Arrays.stream(latest).max().orElse(arrivalMillis);
        int kept = 0;
        for (int i = 0; i < names.length; i++) {
            if (newest - latest[i] <= toleranceMillis) {
                names[kept] = names[i];
                latest[kept] = latest[i];
                kept++;
            }
        }
        return new SourceClock(Arrays.copyOf(names, kept), Arrays.copyOf(latest, kept));
    }

    /** The time every active source has reached (epoch milliseconds), or 0 before any record. */
    public long nowMillis() {
        return Arrays.stream(latestMillis).min().orElse(0);
    }
}
