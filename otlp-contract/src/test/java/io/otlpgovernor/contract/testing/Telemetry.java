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

/** Test telemetry with current timestamps (fixtures from years ago would be past every retention tier). */
public final class Telemetry {

    private static final AtomicLong SEQUENCE = new AtomicLong(1);

    private Telemetry() {}

    /** A span of trace {@code trace} ended at {@code endMillis}, named {@code name}, with string attributes as key/value pairs. */
    public static Span span(long trace, String name, long endMillis, String... attributes) {
        long n = SEQUENCE.getAndIncrement();
        Span.Builder span = Span.newBuilder()
                .setTraceId(traceId(trace))
                .setSpanId(id(8, n))
                .setName(name)
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano((endMillis - 5) * 1_000_000)
                .setEndTimeUnixNano(endMillis * 1_000_000);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            span.addAttributes(attribute(attributes[i], attributes[i + 1]));
        }
        return span.build();
    }

    public static ExportTraceServiceRequest spans(Iterable<Span> spans) {
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource("checkout"))
                        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans)))
                .build();
    }

    /** {@code count} spans, each in a trace of its own, ended at {@code endMillis}, named {@code <prefix>-<n>}. */
    public static ExportTraceServiceRequest spans(String prefix, int count, long endMillis, String... attributes) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < count; i++) {
            long n = SEQUENCE.get();
            scope.addSpans(span(n, prefix + "-" + n, endMillis, attributes));
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource("checkout"))
                        .addScopeSpans(scope))
                .build();
    }

    /** {@code count} log records with body {@code body} at {@code millis}, with string attributes as pairs. */
    public static ExportLogsServiceRequest logs(String body, int count, long millis, String... attributes) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (int i = 0; i < count; i++) {
            LogRecord.Builder log = LogRecord.newBuilder()
                    .setBody(AnyValue.newBuilder().setStringValue(body))
                    .setTimeUnixNano(millis * 1_000_000);
            for (int a = 0; a + 1 < attributes.length; a += 2) {
                log.addAttributes(attribute(attributes[a], attributes[a + 1]));
            }
            scope.addLogRecords(log);
        }
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(resource("checkout"))
                        .addScopeLogs(scope))
                .build();
    }

    /** A gauge with {@code points} data points at {@code millis}, each with string attributes as pairs. */
    public static ExportMetricsServiceRequest gauge(String name, int points, long millis, String... attributes) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int i = 0; i < points; i++) {
            NumberDataPoint.Builder point =
                    NumberDataPoint.newBuilder().setAsDouble(i).setTimeUnixNano(millis * 1_000_000 + i);
            for (int a = 0; a + 1 < attributes.length; a += 2) {
                point.addAttributes(attribute(attributes[a], attributes[a + 1]));
            }
            gauge.addDataPoints(point);
        }
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource("checkout"))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(Metric.newBuilder().setName(name).setGauge(gauge))))
                .build();
    }

    public static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    /** A trace id whose randomness (its low 56 bits) is spread evenly: a mixed {@code n}. */
    public static ByteString traceId(long n) {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        buffer.putLong(0, 0x5a5a5a5a5a5a5a5aL ^ n);
        buffer.putLong(8, mix(n));
        return ByteString.copyFrom(buffer.array());
    }

    private static ByteString id(int length, long n) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        buffer.put(0, (byte) 0x5a);
        buffer.putLong(length - Long.BYTES, n);
        return ByteString.copyFrom(buffer.array());
    }

    private static Resource resource(String service) {
        return Resource.newBuilder()
                .addAttributes(attribute("service.name", service))
                .build();
    }

    /** SplitMix64's finaliser: distinct inputs give evenly spread outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
