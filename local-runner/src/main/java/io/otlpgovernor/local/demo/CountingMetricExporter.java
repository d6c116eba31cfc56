package io.otlpgovernor.local.demo;

import java.util.Collection;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;

/**
 * Exports through a real OTLP exporter and counts the data points the bridge acknowledged. Shared by a tenant's
 * services: {@link #shutdown} only flushes, the owner closes the delegate.
 */
final class CountingMetricExporter implements MetricExporter {

    private final MetricExporter delegate;
    private final DemoTruth.Tally tally;

    CountingMetricExporter(MetricExporter delegate, DemoTruth.Tally tally) {
        this.delegate = delegate;
        this.tally = tally;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
        long points = metrics.stream()
                .mapToLong(metric -> metric.getData().getPoints().size())
                .sum();
        CompletableResultCode result = delegate.export(metrics);
        result.whenComplete(() -> (result.isSuccess() ? tally.dataPoints : tally.failedDataPoints).add(points));
        return result;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return delegate.getAggregationTemporality(instrumentType);
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
        return delegate.getDefaultAggregation(instrumentType);
    }

    @Override
    public MemoryMode getMemoryMode() {
        return delegate.getMemoryMode();
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.flush();
    }
}
