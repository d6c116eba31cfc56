package io.otlpgovernor.rules.otlp.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

/**
 * The OTLP/JSON request examples of the OpenTelemetry protocol repository, parsed as they are.
 *
 * <p>Source: github.com/open-telemetry/opentelemetry-proto (Apache License 2.0), the files referenced by its
 * {@code docs/specification.md} as "OTLP JSON request examples":
 * <ul>
 *   <li>{@code examples/trace.json} at commit ca6170ef02a5c2561ab0f5c9da274f6b713dd3ea,</li>
 *   <li>{@code examples/metrics.json} at commit c8ab5d6722f2f2c1e342d27d73bbd64c2706b4dd,</li>
 *   <li>{@code examples/logs.json} at commit 36ea555013eacfbe68fc479014d3532e4650af8e.</li>
 * </ul>
 * Copies (unchanged but for a final newline) are in {@code src/test/resources/otlp-json/}. They use uppercase hex ids and 64-bit
 * timestamps as JSON numbers, two of the encodings a receiver must accept.
 */
class OtlpJsonExamplesTest {

    private static final ByteString TRACE_ID = ByteString.fromHex("5b8efff798038103d269b633813fc60c");
    private static final ByteString SPAN_ID = ByteString.fromHex("eee19b7ec3c1b174");

    @Test
    void parsesTheTraceExample() throws Exception {
        ExportTraceServiceRequest request = OtlpJson.parseTraces(resource("trace.json"));

        assertThat(request.getResourceSpansCount()).isEqualTo(1);
        assertThat(request.getResourceSpans(0).getResource()).isEqualTo(myService());
        assertThat(request.getResourceSpans(0).getScopeSpansCount()).isEqualTo(1);
        assertThat(request.getResourceSpans(0).getScopeSpans(0).getScope()).isEqualTo(myLibrary());
        assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpansList()).containsExactly(Span.newBuilder()
                .setTraceId(TRACE_ID)
                .setSpanId(SPAN_ID)
                .setParentSpanId(ByteString.fromHex("eee19b7ec3c1b173"))
                .setName("I'm a server span")
                .setStartTimeUnixNano(1_544_712_660_000_000_000L)
                .setEndTimeUnixNano(1_544_712_661_000_000_000L)
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .addAttributes(string("my.span.attr", "some value"))
                .build());
        assertThat(OtlpJson.parseTraces(OtlpJson.print(request))).isEqualTo(request);
        assertThat(OtlpJson.print(request)).contains("\"traceId\":\"5b8efff798038103d269b633813fc60c\"",
                "\"startTimeUnixNano\":\"1544712660000000000\"", "\"kind\":2");
    }

    @Test
    void parsesTheMetricsExample() throws Exception {
        ExportMetricsServiceRequest request = OtlpJson.parseMetrics(resource("metrics.json"));

        assertThat(request.getResourceMetricsCount()).isEqualTo(1);
        assertThat(request.getResourceMetrics(0).getResource()).isEqualTo(myService());
        assertThat(request.getResourceMetrics(0).getScopeMetrics(0).getScope()).isEqualTo(myLibrary());
        var metrics = request.getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
        assertThat(metrics).extracting(Metric::getName).containsExactly("my.counter", "my.gauge", "my.histogram");
        assertThat(metrics).extracting(Metric::getDataCase)
                .containsExactly(Metric.DataCase.SUM, Metric.DataCase.GAUGE, Metric.DataCase.HISTOGRAM);

        Metric counter = metrics.get(0);
        assertThat(counter.getUnit()).isEqualTo("1");
        assertThat(counter.getDescription()).isEqualTo("I am a Counter");
        assertThat(counter.getSum().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        assertThat(counter.getSum().getIsMonotonic()).isTrue();
        assertThat(counter.getSum().getDataPointsList()).containsExactly(NumberDataPoint.newBuilder()
                .setAsDouble(5)
                .setStartTimeUnixNano(1_544_712_660_300_000_000L)
                .setTimeUnixNano(1_544_712_660_300_000_000L)
                .addAttributes(string("my.counter.attr", "some value"))
                .build());

        assertThat(metrics.get(1).getGauge().getDataPointsList()).containsExactly(NumberDataPoint.newBuilder()
                .setAsDouble(10)
                .setTimeUnixNano(1_544_712_660_300_000_000L)
                .addAttributes(string("my.gauge.attr", "some value"))
                .build());

        assertThat(metrics.get(2).getHistogram().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        HistogramDataPoint point = metrics.get(2).getHistogram().getDataPoints(0);
        assertThat(point).isEqualTo(HistogramDataPoint.newBuilder()
                .setStartTimeUnixNano(1_544_712_660_300_000_000L)
                .setTimeUnixNano(1_544_712_660_300_000_000L)
                .setCount(2)
                .setSum(2)
                .addBucketCounts(1).addBucketCounts(1)
                .addExplicitBounds(1)
                .setMin(0)
                .setMax(2)
                .addAttributes(string("my.histogram.attr", "some value"))
                .build());
        assertThat(point.hasMin()).as("\"min\": 0 is present").isTrue();
        assertThat(OtlpJson.parseMetrics(OtlpJson.print(request))).isEqualTo(request);
    }

    @Test
    void parsesTheLogsExample() throws Exception {
        ExportLogsServiceRequest request = OtlpJson.parseLogs(resource("logs.json"));

        assertThat(request.getResourceLogsCount()).isEqualTo(1);
        assertThat(request.getResourceLogs(0).getResource()).isEqualTo(myService());
        assertThat(request.getResourceLogs(0).getScopeLogs(0).getScope()).isEqualTo(myLibrary());
        LogRecord record = request.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
        assertThat(record.getTimeUnixNano()).isEqualTo(1_544_712_660_300_000_000L);
        assertThat(record.getObservedTimeUnixNano()).isEqualTo(1_544_712_660_300_000_000L);
        assertThat(record.getSeverityText()).isEqualTo("Information");
        assertThat(record.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(record.getSpanId()).isEqualTo(SPAN_ID);
        assertThat(record.getBody().getStringValue()).isEqualTo("Example log record");
        assertThat(record.getAttributesList()).extracting(KeyValue::getKey).containsExactly("string.attribute",
                "boolean.attribute", "int.attribute", "double.attribute", "array.attribute", "map.attribute");
        assertThat(record.getAttributes(0).getValue().getStringValue()).isEqualTo("some string");
        assertThat(record.getAttributes(1).getValue().getBoolValue()).isTrue();
        assertThat(record.getAttributes(2).getValue().getIntValue()).isEqualTo(10);
        assertThat(record.getAttributes(3).getValue().getDoubleValue()).isEqualTo(637.704);
        assertThat(record.getAttributes(4).getValue().getArrayValue().getValuesList())
                .extracting(AnyValue::getStringValue).containsExactly("many", "values");
        assertThat(record.getAttributes(5).getValue().getKvlistValue().getValuesList())
                .containsExactly(string("some.map.key", "some value"));
        assertThat(OtlpJson.parseLogs(OtlpJson.print(request))).isEqualTo(request);
    }

    private static Resource myService() {
        return Resource.newBuilder().addAttributes(string("service.name", "my.service")).build();
    }

    private static InstrumentationScope myLibrary() {
        return InstrumentationScope.newBuilder()
                .setName("my.library")
                .setVersion("1.0.0")
                .addAttributes(string("my.scope.attribute", "some scope attribute"))
                .build();
    }

    private static KeyValue string(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static byte[] resource(String name) {
        try (InputStream in = OtlpJsonExamplesTest.class.getResourceAsStream("/otlp-json/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
