package io.otlpgovernor.contract.otlp.tree;

import java.util.List;

import com.google.protobuf.Message;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;

/**
 * The five OTLP data point messages seen as one: gauge and sum points ({@link NumberDataPoint}), histogram, exponential
 * histogram and summary points. They share their fields by name but no type, so this is the one place that tells
 * them apart.
 */
public final class DataPoints {

    private DataPoints() {}

    /** The data points of {@code metric}, whatever its type; empty for a metric without data. */
    public static List<? extends Message> of(Metric metric) {
        return switch (metric.getDataCase()) {
            case GAUGE -> metric.getGauge().getDataPointsList();
            case SUM -> metric.getSum().getDataPointsList();
            case HISTOGRAM -> metric.getHistogram().getDataPointsList();
            case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsList();
            case SUMMARY -> metric.getSummary().getDataPointsList();
            case DATA_NOT_SET -> List.of();
        };
    }

    /** How many data points {@code metric} has; zero for a metric without data. */
    public static int count(Metric metric) {
        return switch (metric.getDataCase()) {
            case GAUGE -> metric.getGauge().getDataPointsCount();
            case SUM -> metric.getSum().getDataPointsCount();
            case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> metric.getSummary().getDataPointsCount();
            case DATA_NOT_SET -> 0;
        };
    }

    /** {@code metric} with these data points instead of its own (of its own type). */
    @SuppressWarnings("unchecked")
    public static Metric withPoints(Metric metric, List<? extends Message> points) {
        Metric.Builder copy = metric.toBuilder();
        switch (metric.getDataCase()) {
            case GAUGE -> copy.getGaugeBuilder().clearDataPoints().addAllDataPoints((List<NumberDataPoint>) points);
            case SUM -> copy.getSumBuilder().clearDataPoints().addAllDataPoints((List<NumberDataPoint>) points);
            case HISTOGRAM ->
                copy.getHistogramBuilder().clearDataPoints().addAllDataPoints((List<HistogramDataPoint>) points);
            case EXPONENTIAL_HISTOGRAM ->
                copy.getExponentialHistogramBuilder()
                        .clearDataPoints()
                        .addAllDataPoints((List<ExponentialHistogramDataPoint>) points);
            case SUMMARY ->
                copy.getSummaryBuilder().clearDataPoints().addAllDataPoints((List<SummaryDataPoint>) points);
            case DATA_NOT_SET -> {
                return metric;
            }
        }
        return copy.build();
    }

    /** A data point's attributes. */
    public static List<KeyValue> attributes(Message point) {
        if (point instanceof NumberDataPoint p) {
            return p.getAttributesList();
        } else if (point instanceof HistogramDataPoint p) {
            return p.getAttributesList();
        } else if (point instanceof ExponentialHistogramDataPoint p) {
            return p.getAttributesList();
        } else if (point instanceof SummaryDataPoint p) {
            return p.getAttributesList();
        }
        throw notAPoint(point);
    }

    /** A data point's time ({@code time_unix_nano}); 0 when unset. */
    public static long timeUnixNano(Message point) {
        if (point instanceof NumberDataPoint p) {
            return p.getTimeUnixNano();
        } else if (point instanceof HistogramDataPoint p) {
            return p.getTimeUnixNano();
        } else if (point instanceof ExponentialHistogramDataPoint p) {
            return p.getTimeUnixNano();
        } else if (point instanceof SummaryDataPoint p) {
            return p.getTimeUnixNano();
        }
        throw notAPoint(point);
    }

    /** A copy of {@code point} with these attributes instead of its own. */
    public static Message withAttributes(Message point, List<KeyValue> attributes) {
        if (point instanceof NumberDataPoint p) {
            return p.toBuilder().clearAttributes().addAllAttributes(attributes).build();
        } else if (point instanceof HistogramDataPoint p) {
            return p.toBuilder().clearAttributes().addAllAttributes(attributes).build();
        } else if (point instanceof ExponentialHistogramDataPoint p) {
            return p.toBuilder().clearAttributes().addAllAttributes(attributes).build();
        } else if (point instanceof SummaryDataPoint p) {
            return p.toBuilder().clearAttributes().addAllAttributes(attributes).build();
        }
        throw notAPoint(point);
    }

    /** A data point's exemplars; summary points have none. */
    public static List<Exemplar> exemplars(Message point) {
        if (point instanceof NumberDataPoint p) {
            return p.getExemplarsList();
        } else if (point instanceof HistogramDataPoint p) {
            return p.getExemplarsList();
        } else if (point instanceof ExponentialHistogramDataPoint p) {
            return p.getExemplarsList();
        } else if (point instanceof SummaryDataPoint) {
            return List.of();
        }
        throw notAPoint(point);
    }

    /** A copy of {@code point} with these exemplars instead of its own; never called for summary points. */
    static Message withExemplars(Message point, List<Exemplar> exemplars) {
        if (point instanceof NumberDataPoint p) {
            return p.toBuilder().clearExemplars().addAllExemplars(exemplars).build();
        } else if (point instanceof HistogramDataPoint p) {
            return p.toBuilder().clearExemplars().addAllExemplars(exemplars).build();
        } else if (point instanceof ExponentialHistogramDataPoint p) {
            return p.toBuilder().clearExemplars().addAllExemplars(exemplars).build();
        }
        throw notAPoint(point);
    }

    private static IllegalArgumentException notAPoint(Message message) {
        return new IllegalArgumentException(
                "not an OTLP data point: " + message.getDescriptorForType().getFullName());
    }
}
