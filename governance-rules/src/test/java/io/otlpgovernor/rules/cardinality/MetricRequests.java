package io.otlpgovernor.rules.cardinality;

import java.util.ArrayList;
import java.util.List;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;

/** Metric requests for the cardinality tests: one resource (a service), one scope, gauges and histograms. */
final class MetricRequests {

    private MetricRequests() {}

    static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    /** Alternating keys and values. */
    static List<KeyValue> attributes(String... keysAndValues) {
        List<KeyValue> attributes = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            attributes.add(attribute(keysAndValues[i], keysAndValues[i + 1]));
        }
        return attributes;
    }

    static NumberDataPoint point(List<KeyValue> attributes) {
        return NumberDataPoint.newBuilder()
                .addAllAttributes(attributes)
                .setTimeUnixNano(1)
                .setAsDouble(1)
                .build();
    }

    static Metric gauge(String name, NumberDataPoint... points) {
        return Metric.newBuilder()
                .setName(name)
                .setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points)))
                .build();
    }

    static Metric histogram(String name, List<KeyValue> attributes) {
        return Metric.newBuilder()
                .setName(name)
                .setHistogram(Histogram.newBuilder()
                        .addDataPoints(HistogramDataPoint.newBuilder()
                                .addAllAttributes(attributes)
                                .setCount(1)
                                .setTimeUnixNano(1)))
                .build();
    }

    static ExportMetricsServiceRequest request(String service, Metric... metrics) {
        return request(attributes("service.name", service), metrics);
    }

    static ExportMetricsServiceRequest request(List<KeyValue> resource, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder().addAllAttributes(resource))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("demo"))
                                .addAllMetrics(List.of(metrics))))
                .build();
    }

    /** A request with one gauge data point of metric {@code name} per attribute list. */
    static ExportMetricsServiceRequest points(String service, String name, List<List<KeyValue>> perPoint) {
        NumberDataPoint[] points = perPoint.stream().map(MetricRequests::point).toArray(NumberDataPoint[]::new);
        return request(service, gauge(name, points));
    }
}
