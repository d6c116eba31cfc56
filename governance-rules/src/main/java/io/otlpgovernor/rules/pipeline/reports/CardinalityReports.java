package io.otlpgovernor.rules.pipeline.reports;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otlpgovernor.rules.cardinality.CardinalityWindow;

/**
 * The cardinality documents of the usage topic ({@code "type": "cardinality"}): per cardinality key and minute, the
 * active series and limits, and per metric with data points in that minute what the limits did. A tenant with a
 * tenant-wide limit has one key (its documents cover all its metrics); a tenant with per-metric limits has one key per
 * metric, so its documents of one minute are disjoint by metric. Counts and metric names only.
 */
public final class CardinalityReports {

    private CardinalityReports() {}

    public static byte[] write(String tenant, String key, long minuteStart, CardinalityWindow window) {
        ObjectNode root = Json.object();
        root.put("type", "cardinality");
        root.put("tenant", tenant);
        root.put("minute", Instant.ofEpochMilli(minuteStart).toString());
        root.put("key", key);
        root.put("active_series", window.activeSeries());
        limit(root, "max_series", window.maxSeries());
        ObjectNode metrics = root.putObject("metrics");
        for (Map.Entry<String, CardinalityWindow.MetricWindow> entry :
                window.metrics().entrySet()) {
            CardinalityWindow.MetricWindow metric = entry.getValue();
            ObjectNode node = metrics.putObject(entry.getKey());
            node.put("active_series", metric.activeSeries());
            limit(node, "limit", metric.limit());
            node.put("data_points", metric.points());
            node.put("new_series", metric.newSeries());
            node.put("rejected_points", metric.dropped());
            node.put("stripped_points", metric.stripped());
            node.put("tagged_points", metric.tagged());
            node.put("over_limit_series_estimate", metric.overLimitSeries());
            if (!metric.attributeLimits().isEmpty()) {
                ObjectNode attributes = node.putObject("attributes");
                metric.attributeLimits().forEach((attribute, limit) -> {
                    ObjectNode values = attributes.putObject(attribute);
                    values.put("values", metric.attributeValues().getOrDefault(attribute, 0L));
                    values.put("limit", limit);
                });
            }
        }
        return Json.bytes(root);
    }

    private static void limit(ObjectNode node, String field, OptionalLong limit) {
        if (limit.isPresent()) {
            node.put(field, limit.getAsLong());
        } else {
            node.putNull(field);
        }
    }
}
