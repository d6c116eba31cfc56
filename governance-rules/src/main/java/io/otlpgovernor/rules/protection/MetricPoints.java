package io.otlpgovernor.rules.protection;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.otlpgovernor.rules.classification.FieldSite;

/**
 * Governs the data-point attributes of one metric, whatever its type. A data point whose attributes hit a
 * drop-record rule is removed; a metric left without data points is removed too. Exemplars' filtered
 * attributes are not classified.
 */
final class MetricPoints {

    private MetricPoints() {}

    /** The governed metric, the same instance when unchanged, or null when no data point is left. */
    static Metric govern(AttributeWalker walker, CompiledRules rules, Metric metric, Decisions decisions) {
        return switch (metric.getDataCase()) {
            case GAUGE -> {
                List<NumberDataPoint> points = points(
                        walker,
                        rules,
                        metric.getGauge().getDataPointsList(),
                        decisions,
                        NumberDataPoint::getAttributesList,
                        (p, a) -> p.toBuilder()
                                .clearAttributes()
                                .addAllAttributes(a)
                                .build());
                yield points == metric.getGauge().getDataPointsList()
                        ? metric
                        : points.isEmpty()
                                ? null
                                : metric.toBuilder()
                                        .setGauge(metric.getGauge().toBuilder()
                                                .clearDataPoints()
                                                .addAllDataPoints(points))
                                        .build();
            }
            case SUM -> {
                List<NumberDataPoint> points = points(
                        walker,
                        rules,
                        metric.getSum().getDataPointsList(),
                        decisions,
                        NumberDataPoint::getAttributesList,
                        (p, a) -> p.toBuilder()
                                .clearAttributes()
                                .addAllAttributes(a)
                                .build());
                yield points == metric.getSum().getDataPointsList()
                        ? metric
                        : points.isEmpty()
                                ? null
                                : metric.toBuilder()
                                        .setSum(metric.getSum().toBuilder()
                                                .clearDataPoints()
                                                .addAllDataPoints(points))
                                        .build();
            }
            case HISTOGRAM -> {
                List<HistogramDataPoint> points = points(
                        walker,
                        rules,
                        metric.getHistogram().getDataPointsList(),
                        decisions,
                        HistogramDataPoint::getAttributesList,
                        (p, a) -> p.toBuilder()
                                .clearAttributes()
                                .addAllAttributes(a)
                                .build());
                yield points == metric.getHistogram().getDataPointsList()
                        ? metric
                        : points.isEmpty()
                                ? null
                                : metric.toBuilder()
                                        .setHistogram(metric.getHistogram().toBuilder()
                                                .clearDataPoints()
                                                .addAllDataPoints(points))
                                        .build();
            }
            case EXPONENTIAL_HISTOGRAM -> {
                List<ExponentialHistogramDataPoint> points = points(
                        walker,
                        rules,
                        metric.getExponentialHistogram().getDataPointsList(),
                        decisions,
                        ExponentialHistogramDataPoint::getAttributesList,
                        (p, a) -> p.toBuilder()
                                .clearAttributes()
                                .addAllAttributes(a)
                                .build());
                yield points == metric.getExponentialHistogram().getDataPointsList()
                        ? metric
                        : points.isEmpty()
                                ? null
                                : metric.toBuilder()
                                        .setExponentialHistogram(metric.getExponentialHistogram().toBuilder()
                                                .clearDataPoints()
                                                .addAllDataPoints(points))
                                        .build();
            }
            case SUMMARY -> {
                List<SummaryDataPoint> points = points(
                        walker,
                        rules,
                        metric.getSummary().getDataPointsList(),
                        decisions,
                        SummaryDataPoint::getAttributesList,
                        (p, a) -> p.toBuilder()
                                .clearAttributes()
                                .addAllAttributes(a)
                                .build());
                yield points == metric.getSummary().getDataPointsList()
                        ? metric
                        : points.isEmpty()
                                ? null
                                : metric.toBuilder()
                                        .setSummary(metric.getSummary().toBuilder()
                                                .clearDataPoints()
                                                .addAllDataPoints(points))
                                        .build();
            }
            case DATA_NOT_SET -> metric;
        };
    }

    private static <P> List<P> points(
            AttributeWalker walker,
            CompiledRules rules,
            List<P> points,
            Decisions decisions,
            Function<P, List<KeyValue>> attributesOf,
            BiFunction<P, List<KeyValue>, P> withAttributes) {
        List<P> result = null;
        for (int i = 0; i < points.size(); i++) {
            P point = points.get(i);
            List<KeyValue> attributes =
                    walker.attributes(rules, FieldSite.DATA_POINT, attributesOf.apply(point), decisions);
            P governed = attributes == AttributeWalker.DROP_RECORD
                    ? null
                    : attributes == attributesOf.apply(point) ? point : withAttributes.apply(point, attributes);
            result = GovernanceEngine.collect(result, points, i, point, decisions.itemWalked(governed));
        }
        return result == null ? points : result;
    }
}
