package io.otlpgovernor.rules.sampling;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.WireCheck;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import org.junit.jupiter.api.Test;

import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.attribute;
import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.log;
import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.randomTraceId;
import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.span;
import static org.assertj.core.api.Assertions.assertThat;

/** The randomness read from the wire equals the randomness of the parsed request, for every item. */
class WireRandomnessTest {

    private static final String[] TRACE_STATES = {
        "", "congo=x", "ot=rv:%s", "congo=x,ot=th:8;rv:%s;k1:13", "ot=th:c", "ot=rv:%S", "ot=rv:f000", "ot=th:0;rv:%s"
    };

    @Test
    void spansOfRandomRequestsDrawWhatTheParsedRequestDraws() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 300; round++) {
            ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
            for (int resource = random.nextInt(3); resource >= 0; resource--) {
                ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder();
                for (int scope = random.nextInt(3); scope >= 0; scope--) {
                    ScopeSpans.Builder scopeSpans = ScopeSpans.newBuilder();
                    for (int i = random.nextInt(6); i > 0; i--) {
                        String state = String.format(
                                TRACE_STATES[random.nextInt(TRACE_STATES.length)],
                                Hex56.full(random.nextLong(1L << 56)));
                        // One span in eight has an all-zero trace id, so its randomness is the hash of its bytes.
                        ByteString traceId =
                                random.nextInt(8) == 0 ? ByteString.copyFrom(new byte[16]) : randomTraceId(random);
                        scopeSpans.addSpans(span(traceId, state));
                    }
                    resourceSpans.addScopeSpans(scopeSpans);
                }
                request.addResourceSpans(resourceSpans);
            }
            assertSameSpans(request.build().toByteArray());
        }
        assertSameSpans(OtlpFixtures.spans("fixture", 20).toByteArray());
    }

    @Test
    void logsOfRandomRequestsDrawWhatTheParsedRequestDraws() throws Exception {
        SplittableRandom random = new SplittableRandom(12);
        for (int round = 0; round < 300; round++) {
            ScopeLogs.Builder scope = ScopeLogs.newBuilder();
            for (int i = random.nextInt(10); i > 0; i--) {
                ByteString traceId = random.nextBoolean() ? ByteString.EMPTY : randomTraceId(random);
                List<KeyValue> attributes = new ArrayList<>();
                for (int a = random.nextInt(4); a > 0; a--) {
                    attributes.add(randomSamplingAttribute(random));
                }
                scope.addLogRecords(log(traceId, "line " + i, attributes.toArray(KeyValue[]::new)));
            }
            byte[] payload = ExportLogsServiceRequest.newBuilder()
                    .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope))
                    .build()
                    .toByteArray();
            assertSameLogs(payload);
        }
        assertSameLogs(OtlpFixtures.logs("fixture", 20).toByteArray());
    }

    @Test
    void readsWhatTheParserKeepsFromRepeatedFieldsAndMergedValues() throws Exception {
        ByteString first = ItemRandomnessTest.traceId(0x11111111111111L);
        ByteString last = ItemRandomnessTest.traceId(0x22222222222222L);
        // Concatenated messages parse as one, merged: the last trace id and the last key win; the value given last
        // decides the member of the merged AnyValue.
        byte[] twoTraceIds =
                concat(log(first, "a").toByteArray(), log(last, "a").toByteArray());
        byte[] keyGivenTwice = logWithAttribute(concat(
                attribute("other", "00000000000000").toByteArray(),
                attribute("sampling.randomness", "33333333333333").toByteArray()));
        byte[] stringThenInt = logWithAttribute(concat(
                attribute("sampling.randomness", "44444444444444").toByteArray(),
                KeyValue.newBuilder()
                        .setValue(AnyValue.newBuilder().setIntValue(7))
                        .build()
                        .toByteArray()));
        byte[] firstAttributeWins = log(
                        last,
                        "a",
                        attribute("sampling.randomness", "55555555555555"),
                        attribute("sampling.randomness", "66666666666666"))
                .toByteArray();

        for (byte[] record : List.of(twoTraceIds, keyGivenTwice, stringThenInt, firstAttributeWins)) {
            assertSameLogs(logsRequest(record));
        }
        assertThat(wireLogs(logsRequest(twoTraceIds))[0]).isEqualTo((char) 0x2222);
        assertThat(wireLogs(logsRequest(keyGivenTwice))[0]).isEqualTo((char) 0x3333);
        assertThat(wireLogs(logsRequest(firstAttributeWins))[0]).isEqualTo((char) 0x5555);
    }

    @Test
    void hashesANonCanonicalItemAsTheParserReEncodesIt() throws Exception {
        // Fields in reverse order, a default value written out, and a trace id with the wrong wire type (an unknown
        // field to the parser, kept and re-encoded): bytes as received differ from protobuf's encoding of the item.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(LogRecord.SEVERITY_TEXT_FIELD_NUMBER, "INFO");
        out.writeUInt32(LogRecord.FLAGS_FIELD_NUMBER, 0);
        out.writeUInt64(LogRecord.TRACE_ID_FIELD_NUMBER, 5);
        out.writeFixed64(LogRecord.TIME_UNIX_NANO_FIELD_NUMBER, 1_700_000_000_000_000_000L);
        out.flush();
        byte[] record = bytes.toByteArray();
        assertThat(LogRecord.parseFrom(record).toByteArray()).isNotEqualTo(record);

        assertSameLogs(logsRequest(record));
        byte[] span = concat(
                span(ByteString.copyFrom(new byte[16]), "").toByteArray(),
                Span.newBuilder().setName("renamed").build().toByteArray());
        assertSameSpans(spansRequest(span));
    }

    private static KeyValue randomSamplingAttribute(SplittableRandom random) {
        String key = switch (random.nextInt(3)) {
            case 0 -> "sampling.randomness";
            case 1 -> "sampling.threshold";
            default -> "service.name";
        };
        return switch (random.nextInt(4)) {
            case 0 -> attribute(key, Hex56.full(random.nextLong(1L << 56)));
            case 1 -> attribute(key, "c");
            case 2 -> attribute(key, "not hex");
            default ->
                KeyValue.newBuilder()
                        .setKey(key)
                        .setValue(AnyValue.newBuilder().setIntValue(random.nextLong()))
                        .build();
        };
    }

    private static void assertSameSpans(byte[] payload) throws Exception {
        char[] expected = ItemRandomness.spans(ExportTraceServiceRequest.parseFrom(payload));
        char[] actual = ItemRandomness.spans(
                payload, WireCheck.locate(Signal.SPANS, payload).items());
        assertThat(actual).isEqualTo(expected);
    }

    private static void assertSameLogs(byte[] payload) throws Exception {
        assertThat(wireLogs(payload)).isEqualTo(ItemRandomness.logs(ExportLogsServiceRequest.parseFrom(payload)));
    }

    private static char[] wireLogs(byte[] payload) throws Exception {
        return ItemRandomness.logs(
                payload, WireCheck.locate(Signal.LOGS, payload).items());
    }

    private static byte[] logWithAttribute(byte[] keyValue) throws Exception {
        return concat(log(ByteString.EMPTY, "a").toByteArray(), field(LogRecord.ATTRIBUTES_FIELD_NUMBER, keyValue));
    }

    /** One log record, given as its bytes, in a request. */
    private static byte[] logsRequest(byte[] record) throws Exception {
        return field(
                ExportLogsServiceRequest.RESOURCE_LOGS_FIELD_NUMBER,
                field(ResourceLogs.SCOPE_LOGS_FIELD_NUMBER, field(ScopeLogs.LOG_RECORDS_FIELD_NUMBER, record)));
    }

    private static byte[] spansRequest(byte[] span) throws Exception {
        return field(
                ExportTraceServiceRequest.RESOURCE_SPANS_FIELD_NUMBER,
                field(ResourceSpans.SCOPE_SPANS_FIELD_NUMBER, field(ScopeSpans.SPANS_FIELD_NUMBER, span)));
    }

    private static byte[] field(int number, byte[] content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeByteArray(number, content);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
