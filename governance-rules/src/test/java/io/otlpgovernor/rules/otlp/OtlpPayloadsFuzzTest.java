package io.otlpgovernor.rules.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.Message;
import io.otlpgovernor.rules.otlp.json.OtlpJson;
import io.otlpgovernor.rules.signal.Signal;
import io.otlpgovernor.rules.testing.Echoes;

/**
 * {@link OtlpPayloads} — the definition of a valid request, used by the job's decode step — on arbitrary bytes, as
 * each signal. Properties: the only failure is {@link InvalidPayloadException}, whose message quotes nothing of the
 * payload; a valid request re-encodes to a valid request with the same summary, and survives a trip through
 * OTLP/JSON (printing, then parsing, then printing again gives the same JSON).
 */
class OtlpPayloadsFuzzTest {

    /** The words of protobuf's parse errors and OtlpPayloads' own templates (besides the schema's field names). */
    static final Set<String> TEMPLATE = Echoes.schemaAnd(
            "not a valid ExportTraceServiceRequest ExportMetricsServiceRequest ExportLogsServiceRequest",
            "unknown top-level field number(s); must be bytes or empty, got",
            "While parsing a protocol message, the input ended unexpectedly in the middle of a field. This could mean "
                    + "either that the input has been truncated or that an embedded message misreported its own length.",
            "Protocol message contained an invalid tag (zero). Protocol message end-group tag did not match expected tag.",
            "CodedInputStream encountered a malformed varint. CodedInputStream encountered an embedded string or "
                    + "message which claimed to have negative size. Protocol message tag had invalid wire type.",
            "Protocol message had too many levels of nesting. May be malicious. Use setRecursionLimit() to increase "
                    + "the recursion depth limit. Protocol message had invalid UTF-8. Failed to parse the message.",
            "Protocol message was too large. May be malicious. Use CodedInputStream.setSizeLimit() to increase the size limit.");

    @FuzzTest(maxDuration = "10s")
    void rejectsOnlyWithInvalidPayloadWithoutQuotingAndRoundTrips(byte[] payload) {
        for (Signal signal : Signal.values()) {
            check(signal, payload);
        }
    }

    private static void check(Signal signal, byte[] payload) {
        OtlpPayloads.Parsed parsed;
        try {
            parsed = OtlpPayloads.parse(signal, payload);
        } catch (InvalidPayloadException e) {
            assertThat(Echoes.in(e.getMessage(), payload, TEMPLATE)).as("payload quoted in: %s", e.getMessage()).isEmpty();
            return;
        }
        byte[] reencoded = parsed.request().toByteArray();
        assertThat(summarize(signal, reencoded)).isEqualTo(parsed.summary());
        String json = OtlpJson.print(parsed.request());
        assertThat(OtlpJson.print(parseJson(json, parsed.request()))).isEqualTo(json);
    }

    private static PayloadSummary summarize(Signal signal, byte[] payload) {
        try {
            return OtlpPayloads.summarize(signal, payload);
        } catch (InvalidPayloadException e) {
            throw new AssertionError("a valid request re-encodes to an invalid one: " + e.getMessage(), e);
        }
    }

    private static Message parseJson(String json, Message prototype) {
        try {
            return OtlpJson.parse(json, prototype.getDefaultInstanceForType());
        } catch (InvalidPayloadException e) {
            throw new AssertionError("a valid request printed as OTLP/JSON does not parse back: " + e.getMessage(), e);
        }
    }
}
