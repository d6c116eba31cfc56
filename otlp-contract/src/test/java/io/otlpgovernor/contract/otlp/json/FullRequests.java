package io.otlpgovernor.contract.otlp.json;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otlpgovernor.contract.testing.OtlpFixtures;

/**
 * Export requests of the three signals with every field set, every id field included, each id distinct (so a test
 * can find one id in printed JSON and knows where it came from), and values at the edges of their types.
 */
final class FullRequests {

    // Each id ends in a different number, see OtlpFixtures.id.
    static final ByteString SPAN_TRACE_ID = OtlpFixtures.id(16, 0x1001);
    static final ByteString SPAN_SPAN_ID = OtlpFixtures.id(8, 0x2001);
    static final ByteString SPAN_PARENT_SPAN_ID = OtlpFixtures.id(8, 0x2002);
    static final ByteString LINK_TRACE_ID = OtlpFixtures.id(16, 0x1002);
    static final ByteString LINK_SPAN_ID = OtlpFixtures.id(8, 0x2003);
    static final ByteString LOG_TRACE_ID = OtlpFixtures.id(16, 0x1003);
    static final ByteString LOG_SPAN_ID = OtlpFixtures.id(8, 0x2004);
    static final ByteString GAUGE_EXEMPLAR_TRACE_ID = OtlpFixtures.id(16, 0x1004);
    static final ByteString GAUGE_EXEMPLAR_SPAN_ID = OtlpFixtures.id(8, 0x2005);
    static final ByteString SUM_EXEMPLAR_TRACE_ID = OtlpFixtures.id(16, 0x1005);
    static final ByteString SUM_EXEMPLAR_SPAN_ID = OtlpFixtures.id(8, 0x2006);
    static final ByteString HISTOGRAM_EXEMPLAR_TRACE_ID = OtlpFixtures.id(16, 0x1006);
    static final ByteString HISTOGRAM_EXEMPLAR_SPAN_ID = OtlpFixtures.id(8, 0x2007);
    static final ByteString EXP_HISTOGRAM_EXEMPLAR_TRACE_ID = OtlpFixtures.id(16, 0x1007);
    static final ByteString EXP_HISTOGRAM_EXEMPLAR_SPAN_ID = OtlpFixtures.id(8, 0x2008);

    /** A byte string that is not an id: written as base64. */
    static final ByteString BYTES_VALUE = ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 0xfb, (byte) 0xff});

    private FullRequests() {}

    static ExportTraceServiceRequest traces() {
        Span server = Span.newBuilder()
                .setTraceId(SPAN_TRACE_ID)
                .setSpanId(SPAN_SPAN_ID)
                .setParentSpanId(SPAN_PARENT_SPAN_ID)
                .setTraceState("ot=th:fd70a;rv:0123456789abcd,vendor=x")
                .setFlags(0x8000_0301) // high bit set: fixed32 is unsigned in JSON
                .setName("GET /checkout \"quoted\" ünïcødé \u2603")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(1_544_712_660_000_000_000L)
                .setEndTimeUnixNano(-1L) // fixed64 maximum, 18446744073709551615
                .addAllAttributes(java.util.List.of(
                        attribute(
                                "string",
                                AnyValue.newBuilder().setStringValue("s").build()),
                        attribute(
                                "empty.string",
                                AnyValue.newBuilder().setStringValue("").build()),
                        attribute(
                                "bool.false",
                                AnyValue.newBuilder().setBoolValue(false).build()),
                        attribute(
                                "int.min",
                                AnyValue.newBuilder()
                                        .setIntValue(Long.MIN_VALUE)
                                        .build()),
                        attribute(
                                "int.zero", AnyValue.newBuilder().setIntValue(0).build()),
                        attribute(
                                "double",
                                AnyValue.newBuilder().setDoubleValue(0.1).build()),
                        attribute(
                                "double.nan",
                                AnyValue.newBuilder().setDoubleValue(Double.NaN).build()),
                        attribute(
                                "double.inf",
                                AnyValue.newBuilder()
                                        .setDoubleValue(Double.NEGATIVE_INFINITY)
                                        .build()),
                        attribute(
                                "bytes",
                                AnyValue.newBuilder().setBytesValue(BYTES_VALUE).build()),
                        attribute(
                                "array",
                                AnyValue.newBuilder()
                                        .setArrayValue(ArrayValue.newBuilder()
                                                .addValues(AnyValue.newBuilder().setIntValue(1))
                                                .addValues(AnyValue.newBuilder()
                                                        .setArrayValue(ArrayValue.newBuilder()
                                                                .addValues(AnyValue.newBuilder()
                                                                        .setStringValue("nested")))))
                                        .build()),
                        attribute(
                                "kvlist",
                                AnyValue.newBuilder()
                                        .setKvlistValue(KeyValueList.newBuilder()
                                                .addValues(attribute(
                                                        "inner",
                                                        AnyValue.newBuilder()
                                                                .setBoolValue(true)
                                                                .build())))
                                        .build()),
                        attribute(
                                "strindex",
                                AnyValue.newBuilder().setStringValueStrindex(7).build()),
                        KeyValue.newBuilder().setKeyStrindex(3).build()))
                .setDroppedAttributesCount(1)
                .addEvents(Span.Event.newBuilder()
                        .setTimeUnixNano(1_544_712_660_500_000_000L)
                        .setName("exception")
                        .addAttributes(attribute(
                                "exception.type",
                                AnyValue.newBuilder().setStringValue("E").build()))
                        .setDroppedAttributesCount(2))
                .setDroppedEventsCount(3)
                .addLinks(Span.Link.newBuilder()
                        .setTraceId(LINK_TRACE_ID)
                        .setSpanId(LINK_SPAN_ID)
                        .setTraceState("a=b")
                        .addAttributes(attribute(
                                "link.attr",
                                AnyValue.newBuilder().setIntValue(-5).build()))
                        .setDroppedAttributesCount(4)
                        .setFlags(0x301))
                .setDroppedLinksCount(5)
                .setStatus(Status.newBuilder().setMessage("boom").setCode(Status.StatusCode.STATUS_CODE_ERROR))
                .build();
        Span root = Span.newBuilder()
                .setTraceId(OtlpFixtures.id(16, 0x1999))
                .setSpanId(OtlpFixtures.id(8, 0x2999))
                .setName("root")
                .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                .build();
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource())
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(scope())
                                .addSpans(server)
                                .addSpans(root)
                                .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0"))
                        .setSchemaUrl("https://opentelemetry.io/schemas/1.25.0"))
                .addResourceSpans(ResourceSpans.newBuilder()) // an empty envelope survives too
                .build();
    }

    static ExportMetricsServiceRequest metrics() {
        Metric gauge = Metric.newBuilder()
                .setName("queue.depth")
                .setDescription("depth")
                .setUnit("{item}")
                .addMetadata(attribute(
                        "meta", AnyValue.newBuilder().setStringValue("m").build()))
                .setGauge(Gauge.newBuilder()
                        .addDataPoints(NumberDataPoint.newBuilder()
                                .addAttributes(attribute(
                                        "queue",
                                        AnyValue.newBuilder()
                                                .setStringValue("q")
                                                .build()))
                                .setStartTimeUnixNano(1)
                                .setTimeUnixNano(1_544_712_660_300_000_000L)
                                .setAsDouble(0.0) // a oneof member at its default is still set
                                .addExemplars(Exemplar.newBuilder()
                                        .addFilteredAttributes(attribute(
                                                "f",
                                                AnyValue.newBuilder()
                                                        .setBoolValue(true)
                                                        .build()))
                                        .setTimeUnixNano(2)
                                        .setAsDouble(1.5)
                                        .setSpanId(GAUGE_EXEMPLAR_SPAN_ID)
                                        .setTraceId(GAUGE_EXEMPLAR_TRACE_ID))
                                .setFlags(1)))
                .build();
        Metric sum = Metric.newBuilder()
                .setName("requests")
                .setSum(Sum.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .setIsMonotonic(true)
                        .addDataPoints(NumberDataPoint.newBuilder()
                                .setTimeUnixNano(3)
                                .setAsInt(Long.MIN_VALUE)
                                .addExemplars(Exemplar.newBuilder()
                                        .setAsInt(-7)
                                        .setSpanId(SUM_EXEMPLAR_SPAN_ID)
                                        .setTraceId(SUM_EXEMPLAR_TRACE_ID))))
                .build();
        Metric histogram = Metric.newBuilder()
                .setName("latency")
                .setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(HistogramDataPoint.newBuilder()
                                .setStartTimeUnixNano(4)
                                .setTimeUnixNano(5)
                                .setCount(Long.MAX_VALUE)
                                .setSum(0.0) // proto3 optional: set to zero, must stay set
                                .addBucketCounts(1)
                                .addBucketCounts(0)
                                .addBucketCounts(-1L)
                                .addExplicitBounds(-1.5)
                                .addExplicitBounds(1e300)
                                .setMin(-0.25)
                                .setMax(1e-300)
                                .setFlags(1)
                                .addExemplars(Exemplar.newBuilder()
                                        .setAsDouble(3)
                                        .setSpanId(HISTOGRAM_EXEMPLAR_SPAN_ID)
                                        .setTraceId(HISTOGRAM_EXEMPLAR_TRACE_ID))))
                .build();
        Metric exponential = Metric.newBuilder()
                .setName("latency.exp")
                .setExponentialHistogram(ExponentialHistogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(ExponentialHistogramDataPoint.newBuilder()
                                .setTimeUnixNano(6)
                                .setCount(10)
                                .setSum(12.5)
                                .setScale(-3)
                                .setZeroCount(2)
                                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder()
                                        .setOffset(-2)
                                        .addBucketCounts(3)
                                        .addBucketCounts(Long.MIN_VALUE))
                                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder()
                                        .setOffset(5)
                                        .addBucketCounts(5))
                                .setMin(0)
                                .setMax(9.75)
                                .setZeroThreshold(1e-9)
                                .addExemplars(Exemplar.newBuilder()
                                        .setAsInt(4)
                                        .setSpanId(EXP_HISTOGRAM_EXEMPLAR_SPAN_ID)
                                        .setTraceId(EXP_HISTOGRAM_EXEMPLAR_TRACE_ID))))
                .build();
        Metric summary = Metric.newBuilder()
                .setName("summary")
                .setSummary(Summary.newBuilder()
                        .addDataPoints(SummaryDataPoint.newBuilder()
                                .setTimeUnixNano(7)
                                .setCount(3)
                                .setSum(6)
                                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder()
                                        .setQuantile(0.5)
                                        .setValue(2))
                                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder()
                                        .setQuantile(1)
                                        .setValue(3))))
                .build();
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource())
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .setScope(scope())
                                .addMetrics(gauge)
                                .addMetrics(sum)
                                .addMetrics(histogram)
                                .addMetrics(exponential)
                                .addMetrics(summary)
                                .addMetrics(Metric.newBuilder().setName("no.data"))))
                .build();
    }

    static ExportLogsServiceRequest logs() {
        LogRecord record = LogRecord.newBuilder()
                .setTimeUnixNano(1_544_712_660_300_000_000L)
                .setObservedTimeUnixNano(1_544_712_660_400_000_000L)
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN2)
                .setSeverityText("Warning")
                .setBody(AnyValue.newBuilder()
                        .setKvlistValue(KeyValueList.newBuilder()
                                .addValues(attribute(
                                        "message",
                                        AnyValue.newBuilder()
                                                .setStringValue("hello\nworld")
                                                .build()))
                                .addValues(attribute(
                                        "raw",
                                        AnyValue.newBuilder()
                                                .setBytesValue(BYTES_VALUE)
                                                .build()))))
                .addAttributes(attribute(
                        "user.id", AnyValue.newBuilder().setIntValue(42).build()))
                .setDroppedAttributesCount(6)
                .setFlags(0xFFFF_FFFF)
                .setTraceId(LOG_TRACE_ID)
                .setSpanId(LOG_SPAN_ID)
                .setEventName("session.start")
                .build();
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(resource())
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .setScope(scope())
                                .addLogRecords(record)
                                .addLogRecords(LogRecord.newBuilder()
                                        .setBody(AnyValue.newBuilder().setStringValue("no ids")))
                                .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")))
                .build();
    }

    private static Resource resource() {
        return Resource.newBuilder()
                .addAttributes(attribute(
                        "service.name",
                        AnyValue.newBuilder().setStringValue("checkout").build()))
                .setDroppedAttributesCount(7)
                .addEntityRefs(EntityRef.newBuilder()
                        .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
                        .setType("service")
                        .addIdKeys("service.name")
                        .addDescriptionKeys("service.version"))
                .build();
    }

    private static InstrumentationScope scope() {
        return InstrumentationScope.newBuilder()
                .setName("io.otlpgovernor.test")
                .setVersion("1.0.0")
                .addAttributes(attribute(
                        "scope.attr", AnyValue.newBuilder().setDoubleValue(-0.0).build()))
                .setDroppedAttributesCount(8)
                .build();
    }

    static KeyValue attribute(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }
}
