package io.otlpgovernor.contract.otlp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.Message;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.json.OtlpJson;
import io.otlpgovernor.contract.testing.Echoes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OtlpPayloads} — the definition of a valid request, used by the job's decode step — on arbitrary bytes, as
 * each signal. Properties: the only failure is {@link InvalidPayloadException}, whose message quotes nothing of the
 * payload; a valid request re-encodes to a valid request with the same summary, and survives a trip through
 * OTLP/JSON (printing, then parsing, then printing again gives the same JSON).
 */
class OtlpPayloadsFuzzTest {

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
            assertThat(Echoes.in(e.getMessage(), payload, Echoes.PAYLOAD_CHECK_WORDS))
                    .as("payload quoted in: %s", e.getMessage())
                    .isEmpty();
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
