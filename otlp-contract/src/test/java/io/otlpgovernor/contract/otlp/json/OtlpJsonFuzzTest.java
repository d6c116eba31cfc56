package io.otlpgovernor.contract.otlp.json;

import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.contract.otlp.InvalidPayloadException;
import io.otlpgovernor.contract.testing.Echoes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OtlpJson} on arbitrary bytes, as each of the three export requests. Properties: the only failure is
 * {@link InvalidPayloadException}, whose message quotes nothing of the input; what parses prints and parses back to
 * the same message. Seeds: {@code src/test/resources/io/otlpgovernor/rules/otlp/json/OtlpJsonFuzzTestInputs/}.
 */
class OtlpJsonFuzzTest {

    /** The words of OtlpJson's message templates (besides the schema's field names). */
    private static final Set<String> TEMPLATE = Echoes.schemaAnd(
            "malformed JSON invalid syntax unexpected end of input exceeds a parser limit (nesting depth, number or name length)",
            "expected a JSON object at the top level, got an object an array a string a number a boolean null",
            "unexpected content after the JSON object at line column unknown position",
            "messages nested more than levels deep; field given more than once; more than one member of oneof is set",
            "null is not allowed in an array; malformed object; expected a string; base64 decimal integer integers",
            "uint32 uint64 int32 int64 double float Infinity NaN characters hex digits length requires; a non-hex character");

    @FuzzTest(maxDuration = "10s")
    void rejectsOnlyWithInvalidPayloadWithoutQuotingAndRoundTrips(byte[] json) {
        check(json, ExportTraceServiceRequest.getDefaultInstance());
        check(json, ExportMetricsServiceRequest.getDefaultInstance());
        check(json, ExportLogsServiceRequest.getDefaultInstance());
    }

    private static <M extends Message> void check(byte[] json, M prototype) {
        M parsed;
        try {
            parsed = OtlpJson.parse(json, prototype);
        } catch (InvalidPayloadException e) {
            assertThat(Echoes.in(e.getMessage(), json, TEMPLATE))
                    .as("input quoted in: %s", e.getMessage())
                    .isEmpty();
            return;
        }
        String printed = OtlpJson.print(parsed);
        assertThat(parseBack(printed, prototype)).isEqualTo(parsed);
        assertThat(parseBack(OtlpJson.printPretty(parsed), prototype)).isEqualTo(parsed);
    }

    private static <M extends Message> M parseBack(String printed, M prototype) {
        try {
            return OtlpJson.parse(printed, prototype);
        } catch (InvalidPayloadException e) {
            throw new AssertionError("printed JSON does not parse back: " + e.getMessage(), e);
        }
    }
}
