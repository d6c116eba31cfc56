package io.otlpgovernor.rules.pipeline.model;

/**
 * Governed data points of a tenant with cardinality limits, on their way to the limit that holds their series: a
 * tenant-wide limit takes all of a tenant's data points under one key (the tenant), per-metric limits take each
 * metric's under its own ({@code tenant/metric}), so one hot tenant spreads over every instance.
 *
 * @param key            the cardinality key: {@code tenant} or {@code tenant/metric name}
 * @param tenant         the owning tenant
 * @param tier           the retention tier the data points go to
 * @param ruleSetVersion the version of the rule set that governed them
 * @param labels         classification labels found in them, comma-separated and sorted
 * @param payload        an {@code ExportMetricsServiceRequest} holding them
 * @param items          its data points
 * @param arrivalMillis  when the request reached Kafka
 */
public record MetricPiece(
        String key,
        String tenant,
        String tier,
        long ruleSetVersion,
        String labels,
        byte[] payload,
        long items,
        long arrivalMillis) {

    /** The key of {@code tenant}'s data points: all of them ({@code metric} null), or one metric's. */
    public static String key(String tenant, String metric) {
        return metric == null ? tenant : tenant + "/" + metric;
    }

    /** The tenant of a key (tenant ids hold no '/'). */
    public static String tenantOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash);
    }
}
