package io.otlpgovernor.contract.otlp.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our OTLP/JSON request examples, one per signal, parsed as they are. They follow the shapes shown in the OTLP
 * specification's "JSON Protobuf Encoding": lowercase hex trace and span ids, integer enums, lowerCamelCase keys and
 * 64-bit integers as decimal strings. The files are in {@code src/test/resources/otlp-json/}: a small parcel-routing
 * service, {@code parcel-router}, handling one request (a server span and a database client span), its metrics (a
 * cumulative sum, a gauge and a delta histogram with an exemplar) and a warning logged inside the server span.
 */
class OtlpJsonExamplesTest {

    private static final ByteString TRACE_ID = ByteString.fromHex("c0ffee00d15ea5e0b0a7c1e5f0e1d2c3");
    private static final ByteString SERVER_SPAN_ID = ByteString.fromHex("1a2b3c4d5e6f7081");
    /** 2026-01-01T00:00:00Z in nanoseconds. */
    private static final long T0 = 1_767_225_600_000_000_000L;

    private static final long MS = 1_000_000L;

    @Test
    void parsesTheTraceExample() throws Exception {
        ExportTraceServiceRequest request = OtlpJson.parseTraces(resource("trace.json"));

        assertThat(request.getResourceSpansCount()).isEqualTo(1);
        assertThat(request.getResourceSpans(0).getResource())
                .isEqualTo(Resource.newBuilder()
                        .addAttributes(string("service.name", "parcel-router"))
                        .addAttributes(string("service.version", "4.2.0"))
                        .addAttributes(string("deployment.environment.name", "staging"))
                        .build());
        assertThat(request.getResourceSpans(0).getScopeSpansCount()).isEqualTo(1);
        assertThat(request.getResourceSpans(0).getScopeSpans(0).getScope())
                .isEqualTo(InstrumentationScope.newBuilder()
                        .setName("parcel-router.http")
                        .setVersion("0.9.3")
                        .addAttributes(string("team", "routing"))
                        .build());
        assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpansList())
                .containsExactly(
                        Span.newBuilder()
                                .setTraceId(TRACE_ID)
                                .setSpanId(SERVER_SPAN_ID)
                                .setName("POST /parcels/{id}/route")
                                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                                .setStartTimeUnixNano(T0)
                                .setEndTimeUnixNano(T0 + 250 * MS)
                                .addAttributes(string("http.request.method", "POST"))
                                .addAttributes(string("http.route", "/parcels/{id}/route"))
                                .addAttributes(integer("http.response.status_code", 201))
                                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK))
                                .build(),
                        Span.newBuilder()
                                .setTraceId(TRACE_ID)
                                .setSpanId(ByteString.fromHex("92a3b4c5d6e7f809"))
                                .setParentSpanId(SERVER_SPAN_ID)
                                .setName("SELECT routes")
                                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                                .setStartTimeUnixNano(T0 + 50 * MS)
                                .setEndTimeUnixNano(T0 + 200 * MS)
                                .addAttributes(string("db.system.name", "postgresql"))
                                .addEvents(Span.Event.newBuilder()
                                        .setTimeUnixNano(T0 + 60 * MS)
                                        .setName("cache.miss")
                                        .addAttributes(string("cache.key", "route:eu-west")))
                                .build());
        assertThat(OtlpJson.parseTraces(OtlpJson.print(request))).isEqualTo(request);
        assertThat(OtlpJson.print(request))
                .contains(
                        "\"traceId\":\"c0ffee00d15ea5e0b0a7c1e5f0e1d2c3\"",
                        "\"parentSpanId\":\"1a2b3c4d5e6f7081\"",
                        "\"startTimeUnixNano\":\"1767225600000000000\"",
                        "\"kind\":2",
                        "\"intValue\":\"201\"");
    }

    @Test
    void parsesTheMetricsExample() throws Exception {
        ExportMetricsServiceRequest request = OtlpJson.parseMetrics(resource("metrics.json"));

        assertThat(request.getResourceMetricsCount()).isEqualTo(1);
        assertThat(request.getResourceMetrics(0).getResource()).isEqualTo(parcelRouter());
        assertThat(request.getResourceMetrics(0).getScopeMetrics(0).getScope())
                .isEqualTo(InstrumentationScope.newBuilder()
                        .setName("parcel-router.metrics")
                        .setVersion("0.9.3")
                        .build());
        var metrics = request.getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
        assertThat(metrics)
                .extracting(Metric::getName)
                .containsExactly("parcels.routed", "router.queue.depth", "http.server.request.duration");
        assertThat(metrics)
                .extracting(Metric::getDataCase)
                .containsExactly(Metric.DataCase.SUM, Metric.DataCase.GAUGE, Metric.DataCase.HISTOGRAM);

        Metric routed = metrics.get(0);
        assertThat(routed.getUnit()).isEqualTo("{parcel}");
        assertThat(routed.getDescription()).isEqualTo("Parcels routed, by destination region");
        assertThat(routed.getSum().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        assertThat(routed.getSum().getIsMonotonic()).isTrue();
        assertThat(routed.getSum().getDataPointsList())
                .containsExactly(NumberDataPoint.newBuilder()
                        .setStartTimeUnixNano(T0 - 600_000 * MS)
                        .setTimeUnixNano(T0)
                        .setAsInt(1284)
                        .addAttributes(string("region", "eu-west"))
                        .build());

        Metric queue = metrics.get(1);
        assertThat(queue.getUnit()).isEqualTo("{parcel}");
        assertThat(queue.getDescription()).isEqualTo("Parcels waiting for a route");
        assertThat(queue.getGauge().getDataPointsList())
                .containsExactly(NumberDataPoint.newBuilder()
                        .setTimeUnixNano(T0)
                        .setAsInt(42)
                        .build());

        Metric duration = metrics.get(2);
        assertThat(duration.getUnit()).isEqualTo("s");
        assertThat(duration.getDescription()).isEqualTo("Duration of HTTP server requests");
        assertThat(duration.getHistogram().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        HistogramDataPoint point = duration.getHistogram().getDataPoints(0);
        assertThat(point)
                .isEqualTo(HistogramDataPoint.newBuilder()
                        .setStartTimeUnixNano(T0 - 60_000 * MS)
                        .setTimeUnixNano(T0)
                        .setCount(6)
                        .setSum(1.35)
                        .addAllBucketCounts(List.of(1L, 3L, 2L, 0L))
                        .addAllExplicitBounds(List.of(0.1, 0.25, 0.5))
                        .setMin(0.04)
                        .setMax(0.48)
                        .addAttributes(string("http.route", "/parcels/{id}/route"))
                        .addExemplars(Exemplar.newBuilder()
                                .setTimeUnixNano(T0)
                                .setAsDouble(0.48)
                                .setTraceId(TRACE_ID)
                                .setSpanId(SERVER_SPAN_ID))
                        .build());
        assertThat(point.getCount())
                .as("count = sum of bucket counts")
                .isEqualTo(point.getBucketCountsList().stream()
                        .mapToLong(Long::longValue)
                        .sum());
        assertThat(OtlpJson.parseMetrics(OtlpJson.print(request))).isEqualTo(request);
        assertThat(OtlpJson.print(request))
                .contains(
                        "\"bucketCounts\":[\"1\",\"3\",\"2\",\"0\"]",
                        "\"count\":\"6\"",
                        "\"asInt\":\"1284\"",
                        "\"aggregationTemporality\":2");
    }

    @Test
    void parsesTheLogsExample() throws Exception {
        ExportLogsServiceRequest request = OtlpJson.parseLogs(resource("logs.json"));

        assertThat(request.getResourceLogsCount()).isEqualTo(1);
        assertThat(request.getResourceLogs(0).getResource()).isEqualTo(parcelRouter());
        assertThat(request.getResourceLogs(0).getScopeLogs(0).getScope())
                .isEqualTo(InstrumentationScope.newBuilder()
                        .setName("parcel-router.log")
                        .setVersion("0.9.3")
                        .build());
        LogRecord record = request.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
        assertThat(record.getTimeUnixNano()).isEqualTo(T0 + 120 * MS);
        assertThat(record.getObservedTimeUnixNano()).isEqualTo(T0 + 125 * MS);
        assertThat(record.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
        assertThat(record.getSeverityText()).isEqualTo("WARN");
        assertThat(record.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(record.getSpanId()).isEqualTo(SERVER_SPAN_ID);
        assertThat(record.getFlags()).isEqualTo(1);
        assertThat(record.getBody().getStringValue()).isEqualTo("Route recalculated: depot closed");
        assertThat(record.getAttributesList())
                .extracting(KeyValue::getKey)
                .containsExactly(
                        "depot.id", "depot.open", "reroute.attempt", "reroute.extra_km", "route.stops", "parcel");
        assertThat(record.getAttributes(0).getValue().getStringValue()).isEqualTo("DEP-0417");
        assertThat(record.getAttributes(1).getValue().hasBoolValue())
                .as("false is present")
                .isTrue();
        assertThat(record.getAttributes(1).getValue().getBoolValue()).isFalse();
        assertThat(record.getAttributes(2).getValue().getIntValue()).isEqualTo(2);
        assertThat(record.getAttributes(3).getValue().getDoubleValue()).isEqualTo(12.5);
        assertThat(record.getAttributes(4).getValue().getArrayValue().getValuesList())
                .extracting(AnyValue::getStringValue)
                .containsExactly("DEP-0417", "DEP-0522");
        assertThat(record.getAttributes(5).getValue().getKvlistValue().getValuesList())
                .containsExactly(
                        string("id", "PCL-77812"),
                        KeyValue.newBuilder()
                                .setKey("weight_kg")
                                .setValue(AnyValue.newBuilder().setDoubleValue(3.2))
                                .build());
        assertThat(OtlpJson.parseLogs(OtlpJson.print(request))).isEqualTo(request);
        assertThat(OtlpJson.print(request))
                .contains("\"spanId\":\"1a2b3c4d5e6f7081\"", "\"severityNumber\":13", "\"intValue\":\"2\"");
    }

    private static Resource parcelRouter() {
        return Resource.newBuilder()
                .addAttributes(string("service.name", "parcel-router"))
                .build();
    }

    private static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setIntValue(value))
                .build();
    }

    private static KeyValue string(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
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
