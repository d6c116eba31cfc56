package io.otlpgovernor.rules.cardinality;

import java.util.Map;
import java.util.OptionalLong;

/**
 * One key's cardinality in one report window: the active series when the window was taken, the limits, and per
 * metric that had data points in the window what happened to them. Counts only: never an attribute value.
 *
 * @param activeSeries active series of the key (a tenant, or one metric of a tenant)
 * @param maxSeries    the tenant-wide limit, if any
 * @param metrics      per metric with data points in the window
 */
public record CardinalityWindow(long activeSeries, OptionalLong maxSeries, Map<String, MetricWindow> metrics) {

    /**
     * @param activeSeries       the metric's active series
     * @param limit              its limit, if any
     * @param points             data points seen in the window
     * @param newSeries          series admitted in the window
     * @param dropped            data points of new series dropped over a limit
     * @param stripped           data points of new series written without their high-cardinality attributes
     * @param tagged             data points of new series over a limit written unchanged (tag-only)
     * @param overLimitSeries    estimated distinct series over a limit in the window (HyperLogLog, about 3 %)
     * @param attributeValues    per limited attribute key: its active values
     * @param attributeLimits    per limited attribute key: its limit
     */
    public record MetricWindow(
            long activeSeries,
            OptionalLong limit,
            long points,
            long newSeries,
            long dropped,
            long stripped,
            long tagged,
            long overLimitSeries,
            Map<String, Long> attributeValues,
            Map<String, Long> attributeLimits) {}
}
