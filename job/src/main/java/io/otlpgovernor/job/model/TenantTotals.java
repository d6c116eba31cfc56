package io.otlpgovernor.job.model;

/**
 * Running totals of one tenant's accepted data, kept in keyed state.
 *
 * @param requests    export requests
 * @param spans       spans
 * @param dataPoints  metric data points
 * @param logRecords  log records
 * @param bytes       request bytes
 */
public record TenantTotals(long requests, long spans, long dataPoints, long logRecords, long bytes) {

    public static final TenantTotals ZERO = new TenantTotals(0, 0, 0, 0, 0);

    /** These totals plus one governed request. */
    public TenantTotals plus(GovernedRecord record) {
        return switch (record.signal()) {
            case SPANS -> new TenantTotals(requests + 1, spans + record.items(), dataPoints, logRecords, bytes + record.payload().length);
            case METRICS -> new TenantTotals(requests + 1, spans, dataPoints + record.items(), logRecords, bytes + record.payload().length);
            case LOGS -> new TenantTotals(requests + 1, spans, dataPoints, logRecords + record.items(), bytes + record.payload().length);
        };
    }
}
