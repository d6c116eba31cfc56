package io.otlpgovernor.monitoring;

import java.nio.ByteBuffer;
import java.util.List;
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
import io.opentelemetry.proto.trace.v1.Status;

/**
 * OTLP requests for the traffic of the metrics check, with current timestamps. Trace ids choose their sampling
 * randomness (the low 56 bits), so whether a probabilistic sampler keeps a trace is known in advance.
 */
final class Otlp {

    private static final AtomicLong SPAN_IDS = new AtomicLong(1);

    private Otlp() {}

    /** A trace id whose randomness is the highest (kept by every probabilistic sampler) or the lowest but one (dropped by all below 100 %). */
    static ByteString traceId(long n, boolean kept) {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        buffer.putLong(0, n);
        buffer.putLong(8, kept ? 0x00ff_ffff_ffff_ffffL : 1L);
        return ByteString.copyFrom(buffer.array());
    }

    /** A span of {@code traceId} that ended {@code ageMillis} ago, with string attributes as key/value pairs. */
    static Span span(ByteString traceId, String name, boolean error, long ageMillis, String... attributes) {
        long endNanos = (System.currentTimeMillis() - ageMillis) * 1_000_000;
        Span.Builder span = Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8)
                        .putLong(0, SPAN_IDS.getAndIncrement())
                        .array()))
                .setName(name)
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(endNanos - 5_000_000)
                .setEndTimeUnixNano(endNanos)
                .setStatus(Status.newBuilder()
                        .setCode(error ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_OK));
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            span.addAttributes(attribute(attributes[i], attributes[i + 1]));
        }
        return span.build();
    }

    /** A current span of {@code traceId}. */
    static Span span(ByteString traceId, String name, boolean error, String... attributes) {
        return span(traceId, name, error, 0, attributes);
    }

    static ExportTraceServiceRequest spans(List<Span> spans) {
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource())
                        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans)))
                .build();
    }

    /** Log records without trace context, one per body. */
    static ExportLogsServiceRequest logs(String... bodies) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (String body : bodies) {
            scope.addLogRecords(LogRecord.newBuilder()
                    .setBody(AnyValue.newBuilder().setStringValue(body))
                    .setTimeUnixNano(System.currentTimeMillis() * 1_000_000));
        }
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(
                        ResourceLogs.newBuilder().setResource(resource()).addScopeLogs(scope))
                .build();
    }

    /** A gauge with {@code points} current data points. */
    static ExportMetricsServiceRequest gauge(String name, int points) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int i = 0; i < points; i++) {
            gauge.addDataPoints(NumberDataPoint.newBuilder()
                    .setAsDouble(i)
                    .setTimeUnixNano(System.currentTimeMillis() * 1_000_000)
                    .addAttributes(attribute("route", "/r" + i)));
        }
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource())
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(Metric.newBuilder().setName(name).setGauge(gauge))))
                .build();
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    private static Resource resource() {
        return Resource.newBuilder()
                .addAttributes(attribute("service.name", "checkout"))
                .build();
    }
}
