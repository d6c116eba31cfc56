package io.otlpgovernor.rules.pipeline.model;

import io.otlpgovernor.contract.Signal;

/**
 * A contribution to one tenant's usage of one minute, signal and (for output counts) tier. Usage reports are the
 * sums of these. Counts are items (spans, data points, log records) unless named otherwise. Made by the factories
 * below, which say what each kind of contribution holds.
 *
 * @param tenant           the tenant
 * @param minuteMillis     start of the minute (epoch milliseconds) of the data's arrival in Kafka
 * @param signal           its signal
 * @param tier             the retention tier for {@code accepted}, {@code bytesOut} and {@code represented}; "" otherwise
 * @param received         items in valid requests
 * @param accepted         items written to the tier
 * @param droppedQuota     items over quota (dropped, or sampled out by quota downsampling)
 * @param droppedSampling  items not kept by head sampling
 * @param droppedPolicy    items removed by drop rules
 * @param droppedAge       items older than their tier keeps data
 * @param droppedTail      items of traces tail sampling did not keep (spans, and log records that waited with them)
 * @param droppedCardinality data points of new metric series dropped over a cardinality limit
 * @param invalidRequests  requests dead-lettered as invalid (their items cannot be counted)
 * @param bytesIn          request bytes received (valid and invalid)
 * @param bytesOut         governed bytes written to the tier
 * @param represented      the count the accepted items stand for: the sum of their adjusted counts
 */
public record UsageDelta(
        String tenant,
        long minuteMillis,
        Signal signal,
        String tier,
        long received,
        long accepted,
        long droppedQuota,
        long droppedSampling,
        long droppedPolicy,
        long droppedAge,
        long droppedTail,
        long droppedCardinality,
        long invalidRequests,
        long bytesIn,
        long bytesOut,
        double represented) {

    private static final long MINUTE = 60_000;

    /** The start of the minute holding {@code millis}. */
    public static long minuteOf(long millis) {
        return Math.floorDiv(millis, MINUTE) * MINUTE;
    }

    /** What arrived in a valid request, before anything was decided. */
    public static UsageDelta received(String tenant, Signal signal, long arrivalMillis, long items, long bytes) {
        return new UsageDelta(tenant, minuteOf(arrivalMillis), signal, "", items, 0, 0, 0, 0, 0, 0, 0, 0, bytes, 0, 0);
    }

    /** An invalid request of a known tenant. */
    public static UsageDelta invalid(String tenant, Signal signal, long arrivalMillis, long bytes) {
        return new UsageDelta(tenant, minuteOf(arrivalMillis), signal, "", 0, 0, 0, 0, 0, 0, 0, 0, 1, bytes, 0, 0);
    }

    /** Items the quota dropped or sampled out. */
    public static UsageDelta overQuota(String tenant, Signal signal, long arrivalMillis, long items) {
        return new UsageDelta(tenant, minuteOf(arrivalMillis), signal, "", 0, 0, items, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Items removed while governing: by head sampling, by drop rules, for their age. */
    public static UsageDelta removed(
            String tenant, Signal signal, long arrivalMillis, long sampling, long policy, long age) {
        return new UsageDelta(
                tenant, minuteOf(arrivalMillis), signal, "", 0, 0, 0, sampling, policy, age, 0, 0, 0, 0, 0, 0);
    }

    /** Items written to a tier, their bytes and what they represent. */
    public static UsageDelta accepted(
            String tenant, Signal signal, long arrivalMillis, String tier, long items, long bytes, double represented) {
        return new UsageDelta(
                tenant, minuteOf(arrivalMillis), signal, tier, 0, items, 0, 0, 0, 0, 0, 0, 0, 0, bytes, represented);
    }

    /** Items of a trace tail sampling did not keep. */
    public static UsageDelta droppedByTail(String tenant, Signal signal, long arrivalMillis, long items) {
        return new UsageDelta(tenant, minuteOf(arrivalMillis), signal, "", 0, 0, 0, 0, 0, 0, items, 0, 0, 0, 0, 0);
    }

    /** Data points of new series a cardinality limit dropped. */
    public static UsageDelta droppedByCardinality(String tenant, long arrivalMillis, long points) {
        return new UsageDelta(
                tenant, minuteOf(arrivalMillis), Signal.METRICS, "", 0, 0, 0, 0, 0, 0, 0, points, 0, 0, 0, 0);
    }
}
