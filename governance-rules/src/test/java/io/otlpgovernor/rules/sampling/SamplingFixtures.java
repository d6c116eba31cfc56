package io.otlpgovernor.rules.sampling;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.condition.Match;

/** Spans, log records, resources and conditions for the head and tail sampling tests. */
public final class SamplingFixtures {

    private SamplingFixtures() {}

    /** A 16-byte trace id whose low 56 bits are {@code randomness} (byte 0 is non-zero, so it is never all zeros). */
    public static ByteString traceId(long randomness) {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        buffer.put(0, (byte) 0x4b);
        buffer.putLong(8, randomness);
        return ByteString.copyFrom(buffer.array());
    }

    /** An 8-byte span id ending in {@code n}. */
    public static ByteString spanId(long n) {
        return ByteString.copyFrom(
                ByteBuffer.allocate(8).putLong(0, n | 1L << 62).array());
    }

    public static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    public static KeyValue attribute(String key, long value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setIntValue(value))
                .build();
    }

    public static KeyValue attribute(String key, double value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setDoubleValue(value))
                .build();
    }

    public static KeyValue attribute(String key, boolean value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setBoolValue(value))
                .build();
    }

    /** A resource with {@code service.name} (none when null) and more attributes. */
    public static Resource resource(String service, KeyValue... attributes) {
        Resource.Builder resource = Resource.newBuilder();
        if (service != null) {
            resource.addAttributes(attribute("service.name", service));
        }
        return resource.addAllAttributes(List.of(attributes)).build();
    }

    /** A server span of the trace with randomness {@code randomness}. */
    public static Span span(String name, long randomness, KeyValue... attributes) {
        return Span.newBuilder()
                .setTraceId(traceId(randomness))
                .setSpanId(spanId(name.hashCode()))
                .setName(name)
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .addAllAttributes(List.of(attributes))
                .build();
    }

    /** A log record of the trace with randomness {@code randomness} (no trace id when negative). */
    public static LogRecord log(String body, long randomness, KeyValue... attributes) {
        LogRecord.Builder record = LogRecord.newBuilder()
                .setBody(AnyValue.newBuilder().setStringValue(body))
                .addAllAttributes(List.of(attributes));
        if (randomness >= 0) {
            record.setTraceId(traceId(randomness)).setSpanId(spanId(body.hashCode()));
        }
        return record.build();
    }

    /** The string value of the first attribute {@code key}, or null. */
    public static String stringAttribute(List<KeyValue> attributes, String key) {
        return attributes.stream()
                .filter(a -> a.getKey().equals(key))
                .findFirst()
                .map(a -> a.getValue().getStringValue())
                .orElse(null);
    }

    public static Match any() {
        return new Match(Set.of(), Set.of(), Set.of(), Map.of());
    }

    public static Match services(String... services) {
        return new Match(Set.of(), Set.of(), Set.of(services), Map.of());
    }

    public static Match attributes(Map<String, String> attributes) {
        return new Match(Set.of(), Set.of(), Set.of(), attributes);
    }

    public static Match labels(String... labels) {
        return new Match(Set.of(), Set.of(labels), Set.of(), Map.of());
    }

    public static Match signals(Signal... signals) {
        return new Match(Set.of(signals), Set.of(), Set.of(), Map.of());
    }
}
