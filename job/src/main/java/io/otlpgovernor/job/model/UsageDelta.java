package io.otlpgovernor.job.model;

import io.otlpgovernor.rules.signal.Signal;

/**
 * A contribution to one tenant's usage of one minute, signal and (for output counts) tier. Usage reports are the
 * sums of these. Counts are items (spans, data points, log records) unless named otherwise.
 *
 * @param tenant           the tenant
 * @param minuteMillis     start of the minute (epoch milliseconds) of the data's arrival in Kafka
 * @param signal           its signal
 * @param tier             the retention tier for {@code accepted}, {@code bytesOut} and {@code represented}; "" otherwise
 * @param received         items in valid requests
 * @param accepted         items written to the tier
 * @param droppedQuota     items over quota
 * @param droppedPolicy    items removed by drop rules
 * @param droppedAge       items older than their tier keeps data
 * @param invalidRequests  requests dead-lettered as invalid (their items cannot be counted)
 * @param bytesIn          request bytes received (valid and invalid)
 * @param bytesOut         governed bytes written to the tier
 * @param represented      the count the accepted items stand for: the sum of their adjusted counts
 */
public record UsageDelta(String tenant, long minuteMillis, Signal signal, String tier, long received, long accepted,
                         long droppedQuota, long droppedPolicy, long droppedAge, long invalidRequests, long bytesIn,
                         long bytesOut, double represented) {

    private static final long MINUTE = 60_000;

    /** The start of the minute holding {@code millis}. */
    public static long minuteOf(long millis) {
        return Math.floorDiv(millis, MINUTE) * MINUTE;
    }

    /** What arrived, before anything was decided. */
    public static UsageDelta received(String tenant, Signal signal, long arrivalMillis, long items, long bytes) {
        return new UsageDelta(tenant, minuteOf(arrivalMillis), signal, "", items, 0, 0, 0, 0, 0, bytes, 0, 0);
    }
}
