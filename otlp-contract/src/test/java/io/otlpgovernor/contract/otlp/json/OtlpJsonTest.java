package io.otlpgovernor.contract.otlp.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.InvalidPayloadException;
import io.otlpgovernor.contract.otlp.OtlpPayloads;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OtlpJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    // ------------------------------------------------------------------------------------------- round trips

    static Stream<Message> fullRequests() {
        return Stream.of(
                FullRequests.traces(),
                FullRequests.metrics(),
                FullRequests.logs(),
                OtlpFixtures.spans("fixture", 3),
                OtlpFixtures.gaugePoints("fixture", 3),
                OtlpFixtures.logs("fixture", 3));
    }

    @ParameterizedTest
    @MethodSource("fullRequests")
    void roundTripsEveryFieldCompactAndPretty(Message request) throws Exception {
        String compact = OtlpJson.print(request);
        String pretty = OtlpJson.printPretty(request);

        assertThat(OtlpJson.parse(compact, request.getDefaultInstanceForType())).isEqualTo(request);
        assertThat(OtlpJson.parse(pretty, request.getDefaultInstanceForType())).isEqualTo(request);
        assertThat(OtlpJson.parse(compact.getBytes(StandardCharsets.UTF_8), request.getDefaultInstanceForType()))
                .isEqualTo(request);
        assertThat(compact).doesNotContain("\n", ": ");
        assertThat(pretty).contains("\n  ");
        assertThat(MAPPER.readTree(pretty)).isEqualTo(MAPPER.readTree(compact));
    }

    @Test
    void typedParsersRoundTripTheirSignal() throws Exception {
        ExportTraceServiceRequest traces = FullRequests.traces();
        ExportMetricsServiceRequest metrics = FullRequests.metrics();
        ExportLogsServiceRequest logs = FullRequests.logs();

        assertThat(OtlpJson.parseTraces(OtlpJson.print(traces))).isEqualTo(traces);
        assertThat(OtlpJson.parseMetrics(OtlpJson.print(metrics))).isEqualTo(metrics);
        assertThat(OtlpJson.parseLogs(OtlpJson.print(logs))).isEqualTo(logs);
        assertThat(OtlpJson.parseTraces(OtlpJson.print(traces).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(traces);
        assertThat(OtlpJson.parseMetrics(OtlpJson.print(metrics).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(metrics);
        assertThat(OtlpJson.parseLogs(OtlpJson.print(logs).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(logs);
    }

    @Test
    void roundTrippedRequestsStayValidForTheBinaryPath() throws Exception {
        ExportTraceServiceRequest traces = OtlpJson.parseTraces(OtlpJson.print(FullRequests.traces()));
        ExportLogsServiceRequest logs = OtlpJson.parseLogs(OtlpJson.print(FullRequests.logs()));

        assertThat(OtlpPayloads.summarize(Signal.SPANS, traces.toByteArray()).items())
                .isEqualTo(2);
        assertThat(OtlpPayloads.summarize(Signal.LOGS, logs.toByteArray()).items())
                .isEqualTo(2);
    }

    /** Every id field is written as lowercase hex at its place; nothing else is hex-encoded. */
    @Test
    void printsEveryIdAsLowercaseHex() throws Exception {
        var traces = MAPPER.readTree(OtlpJson.print(FullRequests.traces()));
        var span = traces.at("/resourceSpans/0/scopeSpans/0/spans/0");
        assertThat(span.get("traceId").asText())
                .isEqualTo(hex(FullRequests.SPAN_TRACE_ID))
                .isEqualTo("5a000000000000000000000000001001");
        assertThat(span.get("spanId").asText()).isEqualTo("0000000000002001");
        assertThat(span.get("parentSpanId").asText()).isEqualTo("0000000000002002");
        assertThat(span.at("/links/0/traceId").asText()).isEqualTo(hex(FullRequests.LINK_TRACE_ID));
        assertThat(span.at("/links/0/spanId").asText()).isEqualTo(hex(FullRequests.LINK_SPAN_ID));
        assertThat(traces.at("/resourceSpans/0/scopeSpans/0/spans/1").has("parentSpanId"))
                .isFalse();

        var logs = MAPPER.readTree(OtlpJson.print(FullRequests.logs()));
        var record = logs.at("/resourceLogs/0/scopeLogs/0/logRecords/0");
        assertThat(record.get("traceId").asText()).isEqualTo(hex(FullRequests.LOG_TRACE_ID));
        assertThat(record.get("spanId").asText()).isEqualTo(hex(FullRequests.LOG_SPAN_ID));
        assertThat(logs.at("/resourceLogs/0/scopeLogs/0/logRecords/1").has("traceId"))
                .isFalse();

        var metrics =
                MAPPER.readTree(OtlpJson.print(FullRequests.metrics())).at("/resourceMetrics/0/scopeMetrics/0/metrics");
        assertThat(metrics.at("/0/gauge/dataPoints/0/exemplars/0/traceId").asText())
                .isEqualTo(hex(FullRequests.GAUGE_EXEMPLAR_TRACE_ID));
        assertThat(metrics.at("/0/gauge/dataPoints/0/exemplars/0/spanId").asText())
                .isEqualTo(hex(FullRequests.GAUGE_EXEMPLAR_SPAN_ID));
        assertThat(metrics.at("/1/sum/dataPoints/0/exemplars/0/traceId").asText())
                .isEqualTo(hex(FullRequests.SUM_EXEMPLAR_TRACE_ID));
        assertThat(metrics.at("/2/histogram/dataPoints/0/exemplars/0/spanId").asText())
                .isEqualTo(hex(FullRequests.HISTOGRAM_EXEMPLAR_SPAN_ID));
        assertThat(metrics.at("/3/exponentialHistogram/dataPoints/0/exemplars/0/traceId")
                        .asText())
                .isEqualTo(hex(FullRequests.EXP_HISTOGRAM_EXEMPLAR_TRACE_ID));

        // bytes that are not ids stay base64, as in the proto3 JSON mapping
        assertThat(span.at("/attributes/8/value/bytesValue").asText()).isEqualTo("AAEC+/8=");
    }

    @Test
    void printsIntegerEnumsDecimalStringsForSixtyFourBitsAndCamelCaseKeys() throws Exception {
        var span = MAPPER.readTree(OtlpJson.print(FullRequests.traces())).at("/resourceSpans/0/scopeSpans/0/spans/0");

        assertThat(span.get("kind").isInt()).isTrue();
        assertThat(span.get("kind").asInt()).isEqualTo(2);
        assertThat(span.at("/status/code").asInt()).isEqualTo(2);
        assertThat(span.get("startTimeUnixNano").isTextual()).isTrue();
        assertThat(span.get("startTimeUnixNano").asText()).isEqualTo("1544712660000000000");
        assertThat(span.get("endTimeUnixNano").asText()).isEqualTo("18446744073709551615");
        assertThat(span.get("flags").asLong()).isEqualTo(0x8000_0301L);
        assertThat(span.at("/attributes/3/value/intValue").asText()).isEqualTo("-9223372036854775808");
        assertThat(span.at("/attributes/6/value/doubleValue").asText()).isEqualTo("NaN");
        assertThat(span.at("/attributes/7/value/doubleValue").asText()).isEqualTo("-Infinity");
        assertThat(span.has("droppedAttributesCount")).isTrue();
        assertThat(span.has("dropped_attributes_count")).isFalse();
    }

    @Test
    void omitsDefaultsButKeepsExplicitPresence() throws Exception {
        assertThat(OtlpJson.print(Span.newBuilder().setName("x").build())).isEqualTo("{\"name\":\"x\"}");
        assertThat(OtlpJson.print(ExportTraceServiceRequest.getDefaultInstance()))
                .isEqualTo("{}");

        HistogramDataPoint point =
                HistogramDataPoint.newBuilder().setSum(0).setCount(0).build();
        assertThat(OtlpJson.print(point)).isEqualTo("{\"sum\":0.0}");
        assertThat(OtlpJson.parse("{\"sum\":0}", HistogramDataPoint.getDefaultInstance())
                        .hasSum())
                .isTrue();
        assertThat(OtlpJson.parse("{}", HistogramDataPoint.getDefaultInstance()).hasSum())
                .isFalse();
        assertThat(OtlpJson.print(AnyValue.newBuilder().setIntValue(0).build())).isEqualTo("{\"intValue\":\"0\"}");
    }

    /** Binary input may carry ids of any length: printing shows them as they are, parsing them back is refused. */
    @Test
    void printsIdsOfAnUnexpectedLengthAsHexAndRefusesThemOnInput() {
        Span span =
                Span.newBuilder().setTraceId(ByteString.fromHex("0102030405")).build();

        String json = OtlpJson.print(span);

        assertThat(json).isEqualTo("{\"traceId\":\"0102030405\"}");
        assertThatThrownBy(() -> OtlpJson.parse(json, Span.getDefaultInstance()))
                .hasMessage("traceId: not a hex string of 32 characters (10 characters)");
    }

    @Test
    void printsBuildersLikeMessages() {
        Span.Builder builder = Span.newBuilder().setName("b").setKind(Span.SpanKind.SPAN_KIND_CLIENT);

        assertThat(OtlpJson.print(builder))
                .isEqualTo(OtlpJson.print(builder.build()))
                .isEqualTo("{\"name\":\"b\",\"kind\":3}");
    }

    @Test
    void printsPrettyWithTwoSpaceIndentation() {
        Span span = Span.newBuilder()
                .setTraceId(FullRequests.SPAN_TRACE_ID)
                .setName("a")
                .addEvents(Span.Event.newBuilder().setName("e"))
                .build();

        assertThat(OtlpJson.printPretty(span)).isEqualTo("""
                {
                  "traceId": "5a000000000000000000000000001001",
                  "name": "a",
                  "events": [
                    {
                      "name": "e"
                    }
                  ]
                }""");
        assertThat(OtlpJson.print(span, true)).isEqualTo(OtlpJson.printPretty(span));
        assertThat(OtlpJson.printPretty(ExportTraceServiceRequest.getDefaultInstance()))
                .isEqualTo("{}");
    }

    // ----------------------------------------------------------------------------- the proto3 JSON reference

    /**
     * Apart from the ids, OTLP/JSON is the proto3 JSON mapping: protobuf-java-util's {@code JsonFormat} is the
     * reference for everything else, in both directions.
     */
    @ParameterizedTest
    @MethodSource("fullRequests")
    void agreesWithJsonFormatOnEverythingButIds(Message request) throws Exception {
        Message withoutIds = withoutIds(request);
        String reference = JsonFormat.printer().printingEnumsAsInts().print(withoutIds);
        String ours = OtlpJson.print(withoutIds);

        assertThat(MAPPER.readTree(ours)).isEqualTo(MAPPER.readTree(reference));
        assertThat(OtlpJson.parse(reference, request.getDefaultInstanceForType()))
                .isEqualTo(withoutIds);
        Message.Builder parsedByReference = request.newBuilderForType();
        JsonFormat.parser().merge(ours, parsedByReference);
        // JsonFormat's parser reads -0.0 as 0.0 (it goes through BigDecimal); OtlpJson keeps the sign, as binary does.
        assertThat(parsedByReference.build()).isEqualTo(rewrite(withoutIds, false, true));
    }

    private static Message withoutIds(Message message) {
        return rewrite(message, true, false);
    }

    /** A copy of {@code message} without id fields and/or with -0.0 doubles turned into 0.0, at any depth. */
    private static Message rewrite(Message message, boolean clearIds, boolean unsignZeros) {
        Message.Builder builder = message.toBuilder();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (clearIds
                    && field.getType() == FieldDescriptor.Type.BYTES
                    && field.getName().endsWith("_id")) {
                builder.clearField(field);
            } else if (unsignZeros
                    && field.getType() == FieldDescriptor.Type.DOUBLE
                    && !field.isRepeated()
                    && message.hasField(field)
                    && ((Double) message.getField(field)) == 0.0) {
                builder.setField(field, 0.0);
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (field.isRepeated()) {
                    for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
                        builder.setRepeatedField(
                                field, i, rewrite((Message) message.getRepeatedField(field, i), clearIds, unsignZeros));
                    }
                } else if (message.hasField(field)) {
                    builder.setField(field, rewrite((Message) message.getField(field), clearIds, unsignZeros));
                }
            }
        }
        return builder.build();
    }

    // ------------------------------------------------------------------------------------- which fields are ids

    /**
     * Every {@code bytes} field named like an id in the messages of the three signals (opentelemetry-proto
     * 1.11.0-alpha: trace.proto, metrics.proto, logs.proto) is hex-encoded, and nothing else is: a new id field in a
     * later proto version shows up here.
     */
    @Test
    void hexEncodesExactlyTheIdFieldsOfAllThreeSignals() {
        Set<String> bytesFields = new HashSet<>();
        TreeMap<String, Integer> idFields = new TreeMap<>();
        Deque<Descriptor> todo = new ArrayDeque<>();
        Set<Descriptor> seen = new HashSet<>();
        Stream.of(
                        ExportTraceServiceRequest.getDescriptor(),
                        ExportMetricsServiceRequest.getDescriptor(),
                        ExportLogsServiceRequest.getDescriptor(),
                        ExportTraceServiceResponse.getDescriptor(),
                        ExportMetricsServiceResponse.getDescriptor(),
                        ExportLogsServiceResponse.getDescriptor())
                .forEach(todo::add);
        while (!todo.isEmpty()) {
            Descriptor type = todo.pop();
            if (!seen.add(type)) {
                continue;
            }
            for (FieldDescriptor field : type.getFields()) {
                if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    todo.push(field.getMessageType());
                }
                if (field.getType() == FieldDescriptor.Type.BYTES) {
                    bytesFields.add(field.getFullName());
                }
                if (OtlpJson.idBytes(field) > 0) {
                    idFields.put(field.getFullName(), OtlpJson.idBytes(field));
                }
            }
        }

        assertThat(idFields)
                .containsExactlyEntriesOf(new TreeMap<>(java.util.Map.of(
                        "opentelemetry.proto.trace.v1.Span.trace_id", 16,
                        "opentelemetry.proto.trace.v1.Span.span_id", 8,
                        "opentelemetry.proto.trace.v1.Span.parent_span_id", 8,
                        "opentelemetry.proto.trace.v1.Span.Link.trace_id", 16,
                        "opentelemetry.proto.trace.v1.Span.Link.span_id", 8,
                        "opentelemetry.proto.logs.v1.LogRecord.trace_id", 16,
                        "opentelemetry.proto.logs.v1.LogRecord.span_id", 8,
                        "opentelemetry.proto.metrics.v1.Exemplar.trace_id", 16,
                        "opentelemetry.proto.metrics.v1.Exemplar.span_id", 8)));
        Set<String> otherBytes = new HashSet<>(bytesFields);
        otherBytes.removeAll(idFields.keySet());
        assertThat(otherBytes).containsExactly("opentelemetry.proto.common.v1.AnyValue.bytes_value");
    }

    // ------------------------------------------------------------------------------------------- lenient input

    @Test
    void acceptsEmptyObjectAsEmptyRequest() throws Exception {
        assertThat(OtlpJson.parseTraces("{}")).isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
        assertThat(OtlpJson.parseMetrics(" { } ")).isEqualTo(ExportMetricsServiceRequest.getDefaultInstance());
        assertThat(OtlpJson.parseLogs("{}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(ExportLogsServiceRequest.getDefaultInstance());
        assertThat(OtlpJson.parseTraces("{\"resourceSpans\":[]}"))
                .isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
    }

    @Test
    void acceptsHexIdsInAnyCaseAndPrintsThemLowercase() throws Exception {
        Span upper = span("{\"traceId\":\"5B8EFFF798038103D269B633813FC60C\",\"spanId\":\"EEE19B7EC3C1B174\"}");
        Span mixed = span("{\"traceId\":\"5b8EffF798038103d269B633813fc60C\",\"spanId\":\"eEe19b7eC3c1B174\"}");
        Span lower = span("{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\"}");

        assertThat(upper).isEqualTo(lower).isEqualTo(mixed);
        assertThat(upper.getTraceId()).isEqualTo(ByteString.fromHex("5b8efff798038103d269b633813fc60c"));
        assertThat(OtlpJson.print(upper))
                .isEqualTo("{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\"}");
    }

    @Test
    void acceptsEmptyStringIdsAsAbsent() throws Exception {
        Span span = span("{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
                + "\"parentSpanId\":\"\"}");

        assertThat(span.getParentSpanId()).isEmpty();
    }

    @Test
    void acceptsSixtyFourBitIntegersAsNumbersAndAsStrings() throws Exception {
        String template = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":%s,"
                + "\"attributes\":[{\"key\":\"n\",\"value\":{\"intValue\":%s}}]}]}]}]}";
        for (String[] values : new String[][] {
            {"1544712660300000000", "-10"}, {"\"1544712660300000000\"", "\"-10\""},
            {"1.5447126603E18", "-1e1"}, {"\"1.5447126603e18\"", "\"-10.0\""}
        }) {
            var record = OtlpJson.parseLogs(String.format(template, values[0], values[1]))
                    .getResourceLogs(0)
                    .getScopeLogs(0)
                    .getLogRecords(0);
            assertThat(record.getTimeUnixNano()).as(values[0]).isEqualTo(1_544_712_660_300_000_000L);
            assertThat(record.getAttributes(0).getValue().getIntValue())
                    .as(values[1])
                    .isEqualTo(-10);
        }
    }

    @Test
    void acceptsTheFullUnsignedSixtyFourBitRange() throws Exception {
        assertThat(span("{\"endTimeUnixNano\":\"18446744073709551615\"}").getEndTimeUnixNano())
                .isEqualTo(-1L);
        assertThat(span("{\"endTimeUnixNano\":18446744073709551615}").getEndTimeUnixNano())
                .isEqualTo(-1L);
        assertThat(span("{\"flags\":4294967295}").getFlags()).isEqualTo(-1);
    }

    @Test
    void acceptsEnumsByIntegerAndByName() throws Exception {
        assertThat(span("{\"kind\":2}").getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(span("{\"kind\":\"2\"}").getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(span("{\"kind\":\"SPAN_KIND_SERVER\"}").getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(span("{\"status\":{\"code\":\"STATUS_CODE_ERROR\"}}")
                        .getStatus()
                        .getCode())
                .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
        var record = OtlpJson.parseLogs("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":["
                        + "{\"severityNumber\":\"SEVERITY_NUMBER_INFO\"},{\"severityNumber\":9}]}]}]}")
                .getResourceLogs(0)
                .getScopeLogs(0);
        assertThat(record.getLogRecords(0).getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
        assertThat(record.getLogRecords(1)).isEqualTo(record.getLogRecords(0));
    }

    @Test
    void keepsUnknownEnumNumbersAsTheBinaryFormatDoes() throws Exception {
        Span span = span("{\"kind\":42}");

        assertThat(span.getKindValue()).isEqualTo(42);
        assertThat(OtlpJson.print(span)).isEqualTo("{\"kind\":42}");
        assertThat(Span.parseFrom(span.toByteArray()).getKindValue()).isEqualTo(42);
    }

    @Test
    void ignoresUnknownFieldsAnywhere() throws Exception {
        String json = """
                {
                  "futureTopLevel": {"deep": [1, {"x": null}], "s": "t"},
                  "resourceSpans": [{
                    "unknownNumber": 1.5,
                    "scopeSpans": [{
                      "spans": [{
                        "traceId": "5b8efff798038103d269b633813fc60c",
                        "unknownArray": [[], {}, "x", true],
                        "name": "n",
                        "attributes": [{"key": "k", "value": {"stringValue": "v", "futureValue": {"a": 1}}}]
                      }]
                    }]
                  }],
                  "trailingUnknown": null
                }""";

        Span span =
                OtlpJson.parseTraces(json).getResourceSpans(0).getScopeSpans(0).getSpans(0);

        assertThat(span)
                .isEqualTo(Span.newBuilder()
                        .setTraceId(ByteString.fromHex("5b8efff798038103d269b633813fc60c"))
                        .setName("n")
                        .addAttributes(FullRequests.attribute(
                                "k", AnyValue.newBuilder().setStringValue("v").build()))
                        .build());
    }

    @Test
    void acceptsOriginalProtoFieldNames() throws Exception {
        ExportTraceServiceRequest request = OtlpJson.parseTraces("{\"resource_spans\":[{\"scope_spans\":[{\"spans\":"
                + "[{\"trace_id\":\"5b8efff798038103d269b633813fc60c\",\"parent_span_id\":\"eee19b7ec3c1b173\","
                + "\"start_time_unix_nano\":\"5\",\"dropped_attributes_count\":2}]}]}]}");

        Span span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(span.getParentSpanId()).isEqualTo(ByteString.fromHex("eee19b7ec3c1b173"));
        assertThat(span.getStartTimeUnixNano()).isEqualTo(5);
        assertThat(span.getDroppedAttributesCount()).isEqualTo(2);
        assertThat(OtlpJson.print(request))
                .contains("\"parentSpanId\"", "\"startTimeUnixNano\"")
                .doesNotContain("_");
    }

    @Test
    void treatsNullAsAbsent() throws Exception {
        assertThat(OtlpJson.parseTraces("{\"resourceSpans\":null}"))
                .isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
        assertThat(span("{\"name\":null,\"status\":null,\"kind\":null,\"traceId\":null,\"events\":null}"))
                .isEqualTo(Span.getDefaultInstance());
    }

    @Test
    void acceptsNonFiniteAndStringDoubles() throws Exception {
        String json = "{\"values\":[{\"doubleValue\":\"NaN\"},{\"doubleValue\":\"Infinity\"},"
                + "{\"doubleValue\":\"-Infinity\"},{\"doubleValue\":\"2.5\"},{\"doubleValue\":-0.0},{\"doubleValue\":1}]}";

        ArrayValue values = OtlpJson.parse(json, ArrayValue.getDefaultInstance());

        assertThat(values.getValuesList())
                .extracting(AnyValue::getDoubleValue)
                .containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.5, -0.0, 1.0);
    }

    @Test
    void acceptsBase64InEitherAlphabetForNonIdBytes() throws Exception {
        AnyValue standard = OtlpJson.parse("{\"bytesValue\":\"AAEC+/8=\"}", AnyValue.getDefaultInstance());
        AnyValue urlSafe = OtlpJson.parse("{\"bytesValue\":\"AAEC-_8\"}", AnyValue.getDefaultInstance());

        assertThat(standard.getBytesValue()).isEqualTo(FullRequests.BYTES_VALUE);
        assertThat(urlSafe).isEqualTo(standard);
    }

    // -------------------------------------------------------------------------------------------- responses

    @Test
    void printsAndParsesExportResponses() throws Exception {
        ExportTraceServiceResponse traces = ExportTraceServiceResponse.newBuilder()
                .setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                        .setRejectedSpans(3)
                        .setErrorMessage("3 spans without a tenant"))
                .build();
        ExportMetricsServiceResponse metrics = ExportMetricsServiceResponse.newBuilder()
                .setPartialSuccess(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(4))
                .build();
        ExportLogsServiceResponse logs = ExportLogsServiceResponse.newBuilder()
                .setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setErrorMessage("warning only"))
                .build();

        assertThat(OtlpJson.print(traces))
                .isEqualTo(
                        "{\"partialSuccess\":{\"rejectedSpans\":\"3\",\"errorMessage\":\"3 spans without a tenant\"}}");
        assertThat(OtlpJson.print(metrics)).isEqualTo("{\"partialSuccess\":{\"rejectedDataPoints\":\"4\"}}");
        assertThat(OtlpJson.print(logs)).isEqualTo("{\"partialSuccess\":{\"errorMessage\":\"warning only\"}}");
        assertThat(OtlpJson.print(ExportTraceServiceResponse.getDefaultInstance()))
                .isEqualTo("{}");
        // partial_success set but empty is still written: it has presence
        assertThat(OtlpJson.print(ExportLogsServiceResponse.newBuilder()
                        .setPartialSuccess(ExportLogsPartialSuccess.getDefaultInstance())
                        .build()))
                .isEqualTo("{\"partialSuccess\":{}}");

        assertThat(OtlpJson.parse(OtlpJson.print(traces), ExportTraceServiceResponse.getDefaultInstance()))
                .isEqualTo(traces);
        assertThat(OtlpJson.parse(OtlpJson.printPretty(metrics), ExportMetricsServiceResponse.getDefaultInstance()))
                .isEqualTo(metrics);
        assertThat(OtlpJson.parse(
                                "{\"partialSuccess\":{\"rejectedLogRecords\":2}}",
                                ExportLogsServiceResponse.getDefaultInstance())
                        .getPartialSuccess()
                        .getRejectedLogRecords())
                .isEqualTo(2);
    }

    // -------------------------------------------------------------------------------------------- rejections

    private static final String SECRET = "s3cr3t";

    static Stream<Arguments> rejectedFields() {
        return Stream.of(
                Arguments.of("{\"startTimeUnixNano\":\"12" + SECRET + "\"}", "startTimeUnixNano: not a decimal uint64"),
                Arguments.of("{\"startTimeUnixNano\":-1}", "startTimeUnixNano: out of range for uint64"),
                Arguments.of("{\"startTimeUnixNano\":1.5}", "startTimeUnixNano: not an integer, as uint64 requires"),
                Arguments.of("{\"startTimeUnixNano\":\"1e999999999\"}", "startTimeUnixNano: out of range for uint64"),
                Arguments.of(
                        "{\"startTimeUnixNano\":true}",
                        "startTimeUnixNano: expected uint64 as a number or a decimal string, got a boolean"),
                Arguments.of(
                        "{\"droppedAttributesCount\":4294967296}", "droppedAttributesCount: out of range for uint32"),
                Arguments.of("{\"name\":12345678}", "name: expected a string, got a number"),
                Arguments.of(
                        "{\"kind\":\"SPAN_KIND_" + SECRET + "\"}",
                        "kind: not a value of enum SpanKind (OTLP/JSON enums are integers)"),
                Arguments.of("{\"kind\":{}}", "kind: expected an integer for enum SpanKind, got an object"),
                Arguments.of("{\"kind\":2147483648}", "kind: out of range for int32"),
                Arguments.of("{\"status\":\"" + SECRET + "\"}", "status: expected a JSON object, got a string"),
                Arguments.of("{\"events\":{}}", "events: expected a JSON array, got an object"),
                Arguments.of("{\"events\":[{},null]}", "events[1]: null is not allowed in an array"),
                Arguments.of(
                        "{\"events\":[{\"name\":\"a\",\"name\":\"b\"}]}", "events[0].name: field given more than once"),
                Arguments.of(
                        "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"trace_id\":\"5b8efff798038103d269b633813fc60c\"}",
                        "trace_id: field given more than once"),
                Arguments.of(
                        "{\"attributes\":[{\"value\":{\"stringValue\":\"" + SECRET + "\",\"intValue\":1}}]}",
                        "attributes[0].value.intValue: more than one member of oneof 'value' is set"),
                Arguments.of(
                        "{\"attributes\":[{\"value\":{\"bytesValue\":\"" + SECRET + "!\"}}]}",
                        "attributes[0].value.bytesValue: not a base64 string"),
                Arguments.of(
                        "{\"attributes\":[{\"value\":{\"boolValue\":\"" + SECRET + "\"}}]}",
                        "attributes[0].value.boolValue: expected true or false"),
                Arguments.of(
                        "{\"attributes\":[{\"value\":{\"doubleValue\":\"" + SECRET + "\"}}]}",
                        "attributes[0].value.doubleValue: not a decimal double"),
                Arguments.of(
                        "{\"attributes\":[{\"value\":{\"doubleValue\":1e999}}]}",
                        "attributes[0].value.doubleValue: out of range for double"),
                Arguments.of("{\"traceId\":5}", "traceId: expected a hex string of 32 characters, got a number"));
    }

    @ParameterizedTest
    @MethodSource("rejectedFields")
    void rejectsInvalidValuesWithPathAndWithoutContent(String spanJson, String expectedProblem) {
        String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{},{},{\"name\":\"ok\"}," + spanJson + "]}]}]}";

        assertThatThrownBy(() -> OtlpJson.parseTraces(json))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessage("resourceSpans[0].scopeSpans[0].spans[3]." + expectedProblem)
                .message()
                .doesNotContain(SECRET, "12345678");
    }

    /** Each id of the full requests, by where it sits in the printed JSON. */
    static Stream<Arguments> idFields() {
        String span = "resourceSpans[0].scopeSpans[0].spans[0].";
        String log = "resourceLogs[0].scopeLogs[0].logRecords[0].";
        String metrics = "resourceMetrics[0].scopeMetrics[0].metrics";
        return Stream.of(
                Arguments.of(FullRequests.traces(), FullRequests.SPAN_TRACE_ID, span + "traceId"),
                Arguments.of(FullRequests.traces(), FullRequests.SPAN_SPAN_ID, span + "spanId"),
                Arguments.of(FullRequests.traces(), FullRequests.SPAN_PARENT_SPAN_ID, span + "parentSpanId"),
                Arguments.of(FullRequests.traces(), FullRequests.LINK_TRACE_ID, span + "links[0].traceId"),
                Arguments.of(FullRequests.traces(), FullRequests.LINK_SPAN_ID, span + "links[0].spanId"),
                Arguments.of(FullRequests.logs(), FullRequests.LOG_TRACE_ID, log + "traceId"),
                Arguments.of(FullRequests.logs(), FullRequests.LOG_SPAN_ID, log + "spanId"),
                Arguments.of(
                        FullRequests.metrics(),
                        FullRequests.GAUGE_EXEMPLAR_TRACE_ID,
                        metrics + "[0].gauge.dataPoints[0].exemplars[0].traceId"),
                Arguments.of(
                        FullRequests.metrics(),
                        FullRequests.GAUGE_EXEMPLAR_SPAN_ID,
                        metrics + "[0].gauge.dataPoints[0].exemplars[0].spanId"),
                Arguments.of(
                        FullRequests.metrics(),
                        FullRequests.SUM_EXEMPLAR_TRACE_ID,
                        metrics + "[1].sum.dataPoints[0].exemplars[0].traceId"),
                Arguments.of(
                        FullRequests.metrics(),
                        FullRequests.SUM_EXEMPLAR_SPAN_ID,
                        metrics + "[1].sum.dataPoints[0].exemplars[0].spanId"),
                Arguments.of(
                        FullRequests.metrics(),
                        FullRequests.HISTOGRAM_EXEMPLAR_TRACE_ID,
                        metrics + "[2].histogram.dataPoints[0].exemplars[0].traceId"),
                Arguments.of(
                        FullRequests.metrics(),
                        FullRequests.HISTOGRAM_EXEMPLAR_SPAN_ID,
                        metrics + "[2].histogram.dataPoints[0].exemplars[0].spanId"),
                Arguments.of(
                        FullRequests.metrics(),
                        FullRequests.EXP_HISTOGRAM_EXEMPLAR_TRACE_ID,
                        metrics + "[3].exponentialHistogram.dataPoints[0].exemplars[0].traceId"),
                Arguments.of(
                        FullRequests.metrics(),
                        FullRequests.EXP_HISTOGRAM_EXEMPLAR_SPAN_ID,
                        metrics + "[3].exponentialHistogram.dataPoints[0].exemplars[0].spanId"));
    }

    @ParameterizedTest
    @MethodSource("idFields")
    void rejectsBase64Ids(Message request, ByteString id, String path) {
        String base64 = java.util.Base64.getEncoder().encodeToString(id.toByteArray());
        String json = replaceOnce(OtlpJson.print(request), hex(id), base64);
        String chars = String.valueOf(id.size() * 2);

        assertThatThrownBy(() -> OtlpJson.parse(json, request.getDefaultInstanceForType()))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessage(path + ": not a hex string of " + chars + " characters (" + base64.length()
                        + " characters, looks like base64: OTLP/JSON ids are hex)")
                .message()
                .doesNotContain(base64, hex(id));
    }

    @ParameterizedTest
    @MethodSource("idFields")
    void rejectsIdsOfTheWrongLength(Message request, ByteString id, String path) {
        String valid = hex(id);
        String chars = String.valueOf(valid.length());
        for (String wrong : new String[] {valid.substring(2), valid + "00", valid.substring(1), valid + "a"}) {
            String json = replaceOnce(OtlpJson.print(request), valid, wrong);
            assertThatThrownBy(() -> OtlpJson.parse(json, request.getDefaultInstanceForType()))
                    .as(wrong)
                    .isInstanceOf(InvalidPayloadException.class)
                    .hasMessage(path + ": not a hex string of " + chars + " characters (" + wrong.length()
                            + " characters)");
        }
    }

    @ParameterizedTest
    @MethodSource("idFields")
    void rejectsIdsWithNonHexCharacters(Message request, ByteString id, String path) {
        String valid = hex(id);
        for (String wrong : new String[] {
            "g" + valid.substring(1),
            valid.substring(1) + " ",
            "0x" + valid.substring(2),
            "\u0661" + valid.substring(1) /* ARABIC-INDIC DIGIT ONE: a digit, not hex */
        }) {
            String json = replaceOnce(OtlpJson.print(request), valid, wrong);
            assertThatThrownBy(() -> OtlpJson.parse(json, request.getDefaultInstanceForType()))
                    .as(wrong)
                    .isInstanceOf(InvalidPayloadException.class)
                    .hasMessageStartingWith(
                            path + ": not a hex string of " + valid.length() + " characters (has a non-hex");
        }
    }

    @Test
    void rejectsMessagesNestedDeeperThanProtobufsRecursionLimit() throws Exception {
        // each ArrayValue level is two messages: AnyValue -> ArrayValue
        assertThat(OtlpJson.parse(nestedArrays(49), AnyValue.getDefaultInstance())
                        .hasArrayValue())
                .isTrue();

        assertThatThrownBy(() -> OtlpJson.parse(nestedArrays(50), AnyValue.getDefaultInstance()))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageEndingWith(": messages nested more than 100 levels deep")
                .hasMessageStartingWith("arrayValue.values[0].arrayValue.values[0]");
    }

    private static String nestedArrays(int levels) {
        return "{\"arrayValue\":{\"values\":[".repeat(levels) + "{\"intValue\":1}" + "]}}".repeat(levels);
    }

    // -------------------------------------------------------------------------------------------- malformed

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"resourceSpans\":[{\"resource\":",
                "{\"resourceSpans\":[{\"name\":\"" + SECRET,
                "{\"resourceSpans\": " + SECRET + "}",
                "{'resourceSpans': []}",
                "{\"resourceSpans\": [],}",
                "{\"resourceSpans\": [] /* " + SECRET + " */}",
                "{\"a\":NaN}",
                "{\"resourceSpans\": [], \"x\": \"" + SECRET + "\u0001\"}",
                "{} " + SECRET,
                "{}{}",
            })
    void rejectsMalformedJsonWithPositionAndWithoutContent(String json) {
        assertThatThrownBy(() -> OtlpJson.parseTraces(json))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageMatching(
                        "(malformed JSON: .* at|unexpected content after the JSON object at) line 1, column \\d+")
                .message()
                .doesNotContain(SECRET);
    }

    @Test
    void reportsTheLineOfMalformedJson() {
        assertThatThrownBy(() -> OtlpJson.parseTraces("{\n  \"resourceSpans\": [\n    {\"resource\": x}\n  ]\n}"))
                .hasMessageStartingWith("malformed JSON: invalid syntax at line 3, column ");
        assertThatThrownBy(() -> OtlpJson.parseTraces("{\n  \"resourceSpans\": [\n"))
                .hasMessageStartingWith("malformed JSON: unexpected end of input at line 3");
    }

    @Test
    void rejectsInvalidUtf8InBytes() {
        byte[] json = {'{', '"', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThatThrownBy(() -> OtlpJson.parseTraces(json))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageStartingWith("malformed JSON: invalid syntax at line 1");
    }

    @Test
    void rejectsBytesThatLookLikeUtf32ButHoldNoValidCharacter() {
        // Four zero bytes first make Jackson read UTF-32; 0xFFFFFF00 is no Unicode character.
        byte[] json = {0, 0, 0, '{', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0, '}'};

        assertThatThrownBy(() -> OtlpJson.parseTraces(json))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessage("malformed JSON: not valid text in UTF-8, UTF-16 or UTF-32");
        // Zero bytes in the 1st, 3rd and 4th place: Jackson takes this for UCS-4 in byte order "3412", unsupported.
        byte[] unsupportedOrder = {0, '{', 0, 0, 0, '}', 0, 0};

        assertThatThrownBy(() -> OtlpJson.parseTraces(unsupportedOrder))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessage("malformed JSON: not valid text in UTF-8, UTF-16 or UTF-32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[]", "null", "\"" + SECRET + "\"", "42"})
    void rejectsDocumentsThatAreNotAnObject(String json) {
        assertThatThrownBy(() -> OtlpJson.parseTraces(json))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageMatching(
                        "empty input: expected a JSON object|expected a JSON object at the top level, got .*")
                .message()
                .doesNotContain(SECRET, "42");
    }

    @Test
    void rejectsMessageTypesOutsideOtlp() {
        assertThatThrownBy(() -> OtlpJson.print(com.google.protobuf.Struct.getDefaultInstance()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private static Span span(String spanJson) throws InvalidPayloadException {
        return OtlpJson.parseTraces("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + spanJson + "]}]}]}")
                .getResourceSpans(0)
                .getScopeSpans(0)
                .getSpans(0);
    }

    static String hex(ByteString bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes.toByteArray()) {
            out.append(String.format("%02x", b & 0xFF));
        }
        return out.toString();
    }

    private static String replaceOnce(String json, String target, String replacement) {
        String quoted = "\"" + target + "\"";
        int at = json.indexOf(quoted);
        assertThat(at).as("id present").isNotNegative();
        assertThat(json.indexOf(quoted, at + 1)).as("id unique").isNegative();
        return json.substring(0, at) + "\"" + replacement + "\"" + json.substring(at + quoted.length());
    }
}
