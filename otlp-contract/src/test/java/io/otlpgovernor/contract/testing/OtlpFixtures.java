package io.otlpgovernor.contract.testing;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * OTLP export requests for tests. Every span, data point and log record gets a distinct name or id drawn from a
 * counter, so tests can check that each item arrives exactly once.
 */
public final class OtlpFixtures {

    private static final AtomicLong SEQUENCE = new AtomicLong(1);

    private OtlpFixtures() {}

    /** A trace request with {@code count} spans named {@code <prefix>-<n>}, each in its own trace. */
    public static ExportTraceServiceRequest spans(String prefix, int count) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < count; i++) {
            long n = SEQUENCE.getAndIncrement();
            scope.addSpans(Span.newBuilder()
                    .setTraceId(id(16, n))
                    .setSpanId(id(8, n))
                    .setName(prefix + "-" + n)
                    .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                    .setStartTimeUnixNano(1_700_000_000_000_000_000L)
                    .setEndTimeUnixNano(1_700_000_000_500_000_000L));
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource("checkout"))
                        .addScopeSpans(scope))
                .build();
    }

    /** A metrics request with one gauge of {@code points} data points. */
    public static ExportMetricsServiceRequest gaugePoints(String name, int points) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int i = 0; i < points; i++) {
            gauge.addDataPoints(
                    NumberDataPoint.newBuilder().setAsDouble(i).setTimeUnixNano(1_700_000_000_000_000_000L + i));
        }
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource("checkout"))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(Metric.newBuilder().setName(name).setGauge(gauge))))
                .build();
    }

    /** A logs request with {@code count} records whose bodies are {@code <prefix>-<n>}. */
    public static ExportLogsServiceRequest logs(String prefix, int count) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (int i = 0; i < count; i++) {
            scope.addLogRecords(LogRecord.newBuilder()
                    .setBody(AnyValue.newBuilder().setStringValue(prefix + "-" + SEQUENCE.getAndIncrement()))
                    .setTimeUnixNano(1_700_000_000_000_000_000L));
        }
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(resource("checkout"))
                        .addScopeLogs(scope))
                .build();
    }

    private static Resource resource(String service) {
        return Resource.newBuilder()
                .addAttributes(KeyValue.newBuilder()
                        .setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service)))
                .build();
    }

    /** A non-zero id of {@code length} bytes ending in {@code n}. */
    public static ByteString id(int length, long n) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        buffer.put(0, (byte) 0x5a);
        buffer.putLong(length - Long.BYTES, n);
        return ByteString.copyFrom(buffer.array());
    }
}
