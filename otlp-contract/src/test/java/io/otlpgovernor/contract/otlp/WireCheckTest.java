package io.otlpgovernor.contract.otlp;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.json.OtlpJson;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.contract.testing.Telemetry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link WireCheck} against its definition, {@link OtlpPayloads}: same verdicts, counts and id messages. */
class WireCheckTest {

    @Test
    void agreesOnValidRequestsOfEverySignal() throws Exception {
        for (Case c : validCases()) {
            PayloadSummary expected = OtlpPayloads.summarize(c.signal(), c.payload());

            assertThat(WireCheck.summarize(c.signal(), c.payload()))
                    .as(c.name())
                    .isEqualTo(expected);
        }
    }

    @Test
    void locatesEverySpanAndLogRecordAsTheParserReadsThem() throws Exception {
        int located = 0;
        for (Case c : validCases()) {
            WireCheck.Located result = WireCheck.locate(c.signal(), c.payload());
            assertThat(result.summary()).as(c.name()).isEqualTo(WireCheck.summarize(c.signal(), c.payload()));
            List<ByteString> expected = new ArrayList<>();
            if (c.signal() == Signal.SPANS) {
                OtlpTree.forEach(
                        ExportTraceServiceRequest.parseFrom(c.payload()),
                        (span, at) -> expected.add(span.toByteString()));
            } else if (c.signal() == Signal.LOGS) {
                OtlpTree.forEach(
                        ExportLogsServiceRequest.parseFrom(c.payload()),
                        (record, at) -> expected.add(record.toByteString()));
            }
            assertThat(result.items().count()).as(c.name()).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                ByteString bytes = ByteString.copyFrom(
                        c.payload(), result.items().offset(i), result.items().length(i));
                // Parsed again, as the item alone: the bounds hold exactly one whole item.
                ByteString reparsed = c.signal() == Signal.SPANS
                        ? Span.parseFrom(bytes).toByteString()
                        : LogRecord.parseFrom(bytes).toByteString();
                assertThat(reparsed).as(c.name() + " item " + i).isEqualTo(expected.get(i));
                located++;
            }
        }
        assertThat(located).isGreaterThan(10);
    }

    @Test
    void reportsTheFirstIdentifierOfTheWrongLengthWithThePathOtlpPayloadsGives() {
        ExportTraceServiceRequest.Builder spans = OtlpFixtures.spans("ids", 3).toBuilder();
        spans.addResourceSpans(OtlpFixtures.spans("more", 2).getResourceSpans(0));
        spans.getResourceSpansBuilder(1)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(1)
                .setParentSpanId(ByteString.copyFrom(new byte[5]));
        spans.getResourceSpansBuilder(1)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(0)
                .clearTraceId();
        ExportLogsServiceRequest.Builder logs = OtlpFixtures.logs("ids", 2).toBuilder();
        logs.getResourceLogsBuilder(0)
                .getScopeLogsBuilder(0)
                .getLogRecordsBuilder(1)
                .setSpanId(ByteString.copyFrom(new byte[9]));

        assertSameVerdict(Signal.SPANS, spans.build().toByteArray(), "two bad spans");
        assertSameVerdict(Signal.LOGS, logs.build().toByteArray(), "bad log span id");
        assertThat(message(Signal.SPANS, spans.build().toByteArray()))
                .isEqualTo("resource_spans[1].scope_spans[0].spans[0].trace_id: must be 16 bytes, got 0");
    }

    @Test
    void refusesUnknownTopLevelFieldsInvalidUtf8AndTooDeepNestingAsTheParserDoes() {
        byte[] unknownTopLevel = OtlpFixtures.spans("x", 1).toBuilder()
                .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                        .addField(
                                7,
                                com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                                        .addVarint(1)
                                        .build())
                        .build())
                .build()
                .toByteArray();
        ExportTraceServiceRequest.Builder named = OtlpFixtures.spans("utf8", 1).toBuilder();
        named.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(0)
                .setName("caf\u00e9!");
        byte[] badUtf8 = named.build().toByteArray();
        for (int i = 0; i + 1 < badUtf8.length; i++) {
            if (badUtf8[i] == (byte) 0xC3 && badUtf8[i + 1] == (byte) 0xA9) {
                badUtf8[i + 1] = 0x28; // "é" becomes a lead byte without its continuation
            }
        }

        assertSameVerdict(Signal.SPANS, unknownTopLevel, "unknown top-level field");
        assertThat(message(Signal.SPANS, unknownTopLevel))
                .isEqualTo("not a valid ExportTraceServiceRequest: unknown top-level field number(s) [7]");
        assertSameVerdict(Signal.SPANS, badUtf8, "invalid UTF-8");
        assertThat(message(Signal.SPANS, badUtf8))
                .isEqualTo("not a valid ExportTraceServiceRequest: Protocol message had invalid UTF-8.");
        for (int depth = 90; depth <= 110; depth++) {
            assertSameVerdict(Signal.LOGS, deeplyNestedLog(depth), "nesting " + depth);
        }
        assertThat(message(Signal.LOGS, deeplyNestedLog(110)))
                .isEqualTo("not a valid ExportLogsServiceRequest: Protocol message had too many levels of nesting.");
        assertThat(message(Signal.LOGS, deeplyNestedLog(95))).isNull();
    }

    @Test
    void countsTheDataPointsOfTheLastDataMemberOfAMetric() throws Exception {
        Metric gauge = Metric.newBuilder()
                .setName("m")
                .setGauge(Gauge.newBuilder()
                        .addDataPoints(NumberDataPoint.getDefaultInstance())
                        .addDataPoints(NumberDataPoint.getDefaultInstance()))
                .build();
        Metric sum = Metric.newBuilder()
                .setName("m")
                .setSum(Sum.newBuilder().addDataPoints(NumberDataPoint.getDefaultInstance()))
                .build();
        // One metric message whose data oneof is given three times: gauge, sum, gauge again.
        byte[] metric = concat(gauge.toByteArray(), sum.toByteArray(), gauge.toByteArray());
        ExportMetricsServiceRequest request = OtlpFixtures.gaugePoints("base", 1);
        byte[] payload = withMetricBytes(request, metric);

        assertThat(WireCheck.summarize(Signal.METRICS, payload))
                .isEqualTo(OtlpPayloads.summarize(Signal.METRICS, payload));
    }

    @Test
    void agreesWithOtlpPayloadsOnTwentyThousandCorruptedRequests() {
        Random random = new Random(20261126L);
        List<Case> cases = validCases();
        int invalid = 0;
        for (int round = 0; round < 20_000; round++) {
            Case c = cases.get(round % cases.size());
            byte[] corrupted = corrupt(c.payload(), random);
            if (message(c.signal(), corrupted) != null) {
                invalid++;
            }
            assertSameVerdict(c.signal(), corrupted, c.name() + " corrupted in round " + round);
        }
        assertThat(invalid)
                .as("the corruption makes many requests invalid, so both paths are exercised")
                .isGreaterThan(5_000);
    }

    private static void assertSameVerdict(Signal signal, byte[] payload, String what) {
        PayloadSummary expected = null;
        String expectedProblem = null;
        try {
            expected = OtlpPayloads.summarize(signal, payload);
        } catch (InvalidPayloadException e) {
            expectedProblem = e.getMessage();
        }
        PayloadSummary actual = null;
        String actualProblem = null;
        try {
            actual = WireCheck.summarize(signal, payload);
        } catch (InvalidPayloadException e) {
            actualProblem = e.getMessage();
        }
        assertThat(actual).as(what).isEqualTo(expected);
        assertThat(actualProblem == null)
                .as(what + ": valid? OtlpPayloads says " + expectedProblem + ", WireCheck " + actualProblem)
                .isEqualTo(expectedProblem == null);
        if (expectedProblem != null && !expectedProblem.startsWith("not a valid")) {
            assertThat(actualProblem).as(what).isEqualTo(expectedProblem);
        }
    }

    private static String message(Signal signal, byte[] payload) {
        try {
            WireCheck.summarize(signal, payload);
            return null;
        } catch (InvalidPayloadException e) {
            return e.getMessage();
        }
    }

    private record Case(String name, Signal signal, byte[] payload) {}

    private static List<Case> validCases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("spans", Signal.SPANS, OtlpFixtures.spans("s", 4).toByteArray()));
        cases.add(new Case(
                "spans with attributes",
                Signal.SPANS,
                Telemetry.spans("checkout", 20, 1_700_000_000_000L, "http.route", "/cart", "user.id", "42")
                        .toByteArray()));
        cases.add(new Case(
                "gauge points", Signal.METRICS, OtlpFixtures.gaugePoints("g", 5).toByteArray()));
        cases.add(new Case("logs", Signal.LOGS, OtlpFixtures.logs("l", 3).toByteArray()));
        cases.add(new Case("empty", Signal.SPANS, new byte[0]));
        try {
            cases.add(new Case(
                    "trace.json",
                    Signal.SPANS,
                    OtlpJson.parseTraces(example("trace.json")).toByteArray()));
            cases.add(new Case(
                    "metrics.json",
                    Signal.METRICS,
                    OtlpJson.parseMetrics(example("metrics.json")).toByteArray()));
            cases.add(new Case(
                    "logs.json",
                    Signal.LOGS,
                    OtlpJson.parseLogs(example("logs.json")).toByteArray()));
        } catch (InvalidPayloadException | IOException e) {
            throw new AssertionError(e);
        }
        return cases;
    }

    private static byte[] corrupt(byte[] original, Random random) {
        if (original.length == 0) {
            return new byte[] {(byte) random.nextInt(256), (byte) random.nextInt(256)};
        }
        byte[] bytes = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            case 1 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2 -> {
                int at = random.nextInt(bytes.length);
                bytes[at] = (byte) (bytes[at] ^ (1 << random.nextInt(8)));
                int other = random.nextInt(bytes.length);
                bytes[other] = (byte) random.nextInt(256);
            }
            default -> {
                int at = random.nextInt(bytes.length);
                byte[] inserted = new byte[1 + random.nextInt(4)];
                random.nextBytes(inserted);
                bytes = concat(
                        java.util.Arrays.copyOf(bytes, at),
                        inserted,
                        java.util.Arrays.copyOfRange(bytes, at, bytes.length));
            }
        }
        return bytes;
    }

    /** A log record whose body nests key-value lists so the deepest message is at {@code depth}. */
    private static byte[] deeplyNestedLog(int depth) {
        // request(0) > resource_logs(1) > scope_logs(2) > log_record(3) > body AnyValue(4), then KeyValueList,
        // KeyValue, AnyValue...
        AnyValue value = AnyValue.newBuilder().setStringValue("leaf").build();
        int level = 4;
        while (level + 3 <= depth) {
            value = AnyValue.newBuilder()
                    .setKvlistValue(KeyValueList.newBuilder()
                            .addValues(KeyValue.newBuilder().setKey("k").setValue(value)))
                    .build();
            level += 3;
        }
        ExportLogsServiceRequest.Builder logs = OtlpFixtures.logs("deep", 1).toBuilder();
        logs.getResourceLogsBuilder(0)
                .getScopeLogsBuilder(0)
                .getLogRecordsBuilder(0)
                .setBody(value);
        return logs.build().toByteArray();
    }

    /** {@code request}'s first resource and scope, holding one metric given as raw bytes. */
    private static byte[] withMetricBytes(ExportMetricsServiceRequest request, byte[] metric) throws IOException {
        var resource =
                request.getResourceMetrics(0).toBuilder().clearScopeMetrics().build();
        var scope = request.getResourceMetrics(0).getScopeMetrics(0).toBuilder()
                .clearMetrics()
                .build();
        byte[] scopeBytes = concat(scope.toByteArray(), tagged(2, metric).toByteArray()); // ScopeMetrics.metrics = 2
        byte[] resourceBytes = concat(
                resource.toByteArray(), tagged(2, scopeBytes).toByteArray()); // ResourceMetrics.scope_metrics = 2
        return tagged(1, resourceBytes).toByteArray(); // request.resource_metrics = 1
    }

    private static com.google.protobuf.ByteString tagged(int field, byte[] message) throws IOException {
        com.google.protobuf.ByteString.Output out = com.google.protobuf.ByteString.newOutput();
        com.google.protobuf.CodedOutputStream coded = com.google.protobuf.CodedOutputStream.newInstance(out);
        coded.writeByteArray(field, message);
        coded.flush();
        return out.toByteString();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] example(String file) throws IOException {
        try (InputStream in = WireCheckTest.class.getResourceAsStream("/otlp-json/" + file)) {
            return in.readAllBytes();
        }
    }
}
