package io.otlpgovernor.rules.pipeline.reports;

import java.io.Serializable;
import java.time.Duration;
import java.util.SortedMap;

/**
 * How one kind of per-tenant report (usage, audit) is aggregated and written. Pure, so the reports are tested
 * without Flink; {@code TenantReportFunction} holds the buckets in keyed state and decides when to write.
 *
 * @param <D> the contributions it sums
 */
public interface ReportKind<D> extends Serializable {

    /** The report window's length. */
    Duration window();

    /** When the contribution happened (epoch milliseconds): decides its window. */
    long timeOf(D contribution);

    /** The line within a window that the contribution adds to: a stable text key. */
    String line(D contribution);

    /** The amounts it adds. */
    Bucket amounts(D contribution);

    /**
     * What makes contributions summable before they reach their tenant's report: two contributions with equal
     * keys belong to the same tenant, window and line, so {@link #plus} may replace them by one.
     */
    Object sumKey(D contribution);

    /**
     * One contribution adding what {@code a} and {@code b} add (they have equal {@link #sumKey}s): same tenant,
     * window and line, amounts summed.
     */
    D plus(D a, D b);

    /** The JSON document for one tenant's lines of one window, sorted by line key. */
    byte[] write(String tenant, long windowStart, SortedMap<String, Bucket> lines);
}
