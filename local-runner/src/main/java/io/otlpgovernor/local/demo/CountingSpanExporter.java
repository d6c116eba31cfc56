package io.otlpgovernor.local.demo;

import java.util.Collection;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Exports through a real OTLP exporter and counts what the bridge acknowledged (a root span counts as a trace). Shared
 * by the span processors of a tenant's services: {@link #shutdown} only flushes, the owner closes the delegate.
 */
final class CountingSpanExporter implements SpanExporter {

    private final SpanExporter delegate;
    private final DemoTruth.Tally tally;

    CountingSpanExporter(SpanExporter delegate, DemoTruth.Tally tally) {
        this.delegate = delegate;
        this.tally = tally;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        long roots = spans.stream()
                .filter(span -> !span.getParentSpanContext().isValid())
                .count();
        CompletableResultCode result = delegate.export(spans);
        result.whenComplete(() -> {
            if (result.isSuccess()) {
                tally.spans.add(spans.size());
                tally.traces.add(roots);
            } else {
                tally.failedSpans.add(spans.size());
            }
        });
        return result;
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
