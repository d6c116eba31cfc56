package io.otlpgovernor.local.demo;

import java.util.Collection;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;

/**
 * Exports through a real OTLP exporter and counts the log records the bridge acknowledged. Shared by a tenant's
 * services: {@link #shutdown} only flushes, the owner closes the delegate.
 */
final class CountingLogRecordExporter implements LogRecordExporter {

    private final LogRecordExporter delegate;
    private final DemoTruth.Tally tally;

    CountingLogRecordExporter(LogRecordExporter delegate, DemoTruth.Tally tally) {
        this.delegate = delegate;
        this.tally = tally;
    }

    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
        CompletableResultCode result = delegate.export(logs);
        result.whenComplete(() -> (result.isSuccess() ? tally.logRecords : tally.failedLogRecords).add(logs.size()));
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
