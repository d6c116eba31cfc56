package io.otlpgovernor.contract.otlp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.testing.Echoes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bridge's check of protobuf requests, {@link WireCheck}, on arbitrary bytes as each signal. Properties: the only
 * failure is {@link InvalidPayloadException}, whose message quotes nothing of the payload; and the verdict is the one
 * of its definition, {@link OtlpPayloads} — same summary, same validity, same message for identifier problems (protobuf
 * words its parse errors itself, so those are compared by validity only, as in {@code WireCheckTest}).
 */
class WireCheckFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void agreesWithOtlpPayloadsAndQuotesNothing(byte[] payload) {
        for (Signal signal : Signal.values()) {
            Verdict expected = Verdict.of(() -> OtlpPayloads.summarize(signal, payload));
            Verdict actual = Verdict.of(() -> WireCheck.summarize(signal, payload));

            assertThat(actual.summary()).as(signal + " summary").isEqualTo(expected.summary());
            assertThat(actual.problem() == null)
                    .as(signal + ": valid? OtlpPayloads says %s, WireCheck %s", expected.problem(), actual.problem())
                    .isEqualTo(expected.problem() == null);
            if (expected.problem() != null && !expected.problem().startsWith("not a valid")) {
                assertThat(actual.problem()).isEqualTo(expected.problem());
            }
            if (actual.problem() != null) {
                assertThat(Echoes.in(actual.problem(), payload, Echoes.PAYLOAD_CHECK_WORDS))
                        .as("payload quoted in: %s", actual.problem())
                        .isEmpty();
            }
        }
    }

    private record Verdict(PayloadSummary summary, String problem) {

        interface Check {
            PayloadSummary run() throws InvalidPayloadException;
        }

        static Verdict of(Check check) {
            try {
                return new Verdict(check.run(), null);
            } catch (InvalidPayloadException e) {
                return new Verdict(null, e.getMessage());
            }
        }
    }
}
