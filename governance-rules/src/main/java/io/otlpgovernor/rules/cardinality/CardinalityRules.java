package io.otlpgovernor.rules.cardinality;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import io.otlpgovernor.rules.yaml.Fields;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The {@code cardinality} section: how many metric series a tenant may have active, and what happens to a new series
 * beyond that.
 *
 * <p>A series is a metric name with one combination of resource, scope and data-point attributes; it is active from
 * its first data point until {@code seriesTtl} passes without one.
 *
 * @param maxSeries          active series of the whole tenant; empty = no tenant-wide limit
 * @param maxSeriesPerMetric active series of each metric that {@code metrics} does not name; empty = none
 * @param metrics            active series of the named metrics (exact names)
 * @param attributeValues    distinct values, per metric, of the named data-point attribute keys
 * @param overLimit          what happens to a data point of a new series beyond a limit
 * @param stripAttributes    for {@link OverLimit#STRIP_ATTRIBUTES}: the data-point attributes to remove; empty = all
 * @param seriesTtl          inactivity after which a series (and an attribute value) frees its slot
 */
public record CardinalityRules(
        OptionalLong maxSeries,
        OptionalLong maxSeriesPerMetric,
        Map<String, Long> metrics,
        Map<String, Long> attributeValues,
        OverLimit overLimit,
        List<String> stripAttributes,
        Duration seriesTtl) {

    /** The attribute the OpenTelemetry SDKs set on a data point that went over a cardinality limit. */
    public static final String OVERFLOW_ATTRIBUTE = "otel.metric.overflow";

    private static final Duration DEFAULT_TTL = Duration.ofHours(1);

    /** What happens to a data point of a new series that a limit has no room for. */
    public enum OverLimit {
        /** Dropped; series already active keep flowing. */
        DROP_NEW_SERIES("drop-new-series"),
        /** Written without the high-cardinality attributes, marked {@code otel.metric.overflow=true}. */
        STRIP_ATTRIBUTES("strip-attributes"),
        /** Written unchanged; only counted and audited (to try a limit before enforcing it). */
        TAG_ONLY("tag-only");

        private final String id;

        OverLimit(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * Whether the limits can be kept exactly with one key per tenant and metric: they can when no tenant-wide limit
     * is set, since each limit then concerns one metric only. A tenant-wide limit needs all of the tenant's series
     * in one place.
     */
    public boolean keyedByMetric() {
        return maxSeries.isEmpty();
    }

    /** The active-series limit of metric {@code name}, or empty when it has none. */
    public OptionalLong limitOf(String name) {
        Long named = metrics.get(name);
        return named != null ? OptionalLong.of(named) : maxSeriesPerMetric;
    }

    public static CardinalityRules read(Fields section) {
        OptionalLong maxSeries = optional(section.integer("max-series", 1, Integer.MAX_VALUE));
        OptionalLong perMetric = optional(section.integer("max-series-per-metric", 1, Integer.MAX_VALUE));
        Map<String, Long> metrics = limits(section, "metrics", "max-series");
        Map<String, Long> attributes = limits(section, "attributes", "max-values");
        OverLimit overLimit = section.oneOf("over-limit", List.of("drop-new-series", "strip-attributes", "tag-only"))
                .map(id -> switch (id) {
                    case "strip-attributes" -> OverLimit.STRIP_ATTRIBUTES;
                    case "tag-only" -> OverLimit.TAG_ONLY;
                    default -> OverLimit.DROP_NEW_SERIES;
                })
                .orElse(OverLimit.DROP_NEW_SERIES);
        List<String> strip = section.strings("strip-attributes");
        if (!strip.isEmpty() && overLimit != OverLimit.STRIP_ATTRIBUTES) {
            section.problem("strip-attributes", "applies only with over-limit: strip-attributes");
        }
        Duration ttl = section.duration("series-ttl", Duration.ofMinutes(1), Duration.ofDays(7))
                .orElse(DEFAULT_TTL);
        if (List.of("max-series", "max-series-per-metric", "metrics", "attributes").stream()
                .noneMatch(section::has)) {
            section.problems()
                    .add(
                            section.file(),
                            section.node(),
                            section.path(),
                            "name at least one limit: max-series, max-series-per-metric, metrics or attributes");
        }
        section.finish();
        return new CardinalityRules(
                maxSeries, perMetric, Map.copyOf(metrics), Map.copyOf(attributes), overLimit, List.copyOf(strip), ttl);
    }

    /** A mapping of user-chosen names (metric names, attribute keys) to {@code {<field>: n}}. */
    private static Map<String, Long> limits(Fields section, String key, String field) {
        Map<String, Long> limits = new LinkedHashMap<>();
        for (Map.Entry<String, Node> entry : section.entries(key).entrySet()) {
            Fields limit = Fields.of(
                    section.file(), section.child(key) + "." + entry.getKey(), entry.getValue(), section.problems());
            limit.require(field);
            limit.integer(field, 1, Integer.MAX_VALUE).ifPresent(n -> limits.put(entry.getKey(), n));
            limit.finish();
        }
        return limits;
    }

    private static OptionalLong optional(Optional<Long> value) {
        return value.map(OptionalLong::of).orElse(OptionalLong.empty());
    }
}
