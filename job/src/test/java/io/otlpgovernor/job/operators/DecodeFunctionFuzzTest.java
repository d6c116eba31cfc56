package io.otlpgovernor.job.operators;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.InvalidPayloadException;
import io.otlpgovernor.contract.otlp.OtlpPayloads;
import io.otlpgovernor.contract.testing.Echoes;
import io.otlpgovernor.rules.pipeline.model.DeadLetter;
import io.otlpgovernor.rules.pipeline.model.DecodedRecord;
import io.otlpgovernor.rules.pipeline.model.InputRecord;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job's decode step on arbitrary input records: topic, tenant header and value all come from the fuzzer.
 *
 * <p>Input layout (so seeds can be written by hand): byte 0 picks the topic ({@code 0..2} the input topics of spans,
 * metrics, logs; anything else a topic that is not an input topic); byte 1 is the tenant header's length in bytes, or
 * {@code 0xFF} for no header; then the header (UTF-8) and the value.
 *
 * <p>Properties: processing never throws; every record comes out exactly once, either decoded — with its bytes
 * unchanged and the item count and per-item randomness {@link OtlpPayloads} gives — or as a dead letter whose reason
 * quotes neither the value nor the header.
 */
class DecodeFunctionFuzzTest {

    private static final String[] TOPICS = {"otlp_spans", "otlp_metrics", "otlp_logs"};
    /** Words the reason may use: the payload check's and the decode step's own (topic, tenant header). */
    private static final Set<String> TEMPLATE = union(
            Echoes.PAYLOAD_CHECK_WORDS,
            Echoes.words(
                    "topic is not an input topic; record has no value; header 'tenant': tenant id is missing; "
                            + "tenant id is malformed (characters; expected 1-63 of a-z, 0-9, starting with a letter or digit)"));

    @FuzzTest(maxDuration = "10s")
    void decodesOrDeadLettersEveryRecordOnceWithoutQuotingIt(byte[] data) throws Exception {
        InputRecord record = record(data);
        try (OneInputStreamOperatorTestHarness<InputRecord, DecodedRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeFunction())) {
            harness.processElement(record, 0);

            List<DecodedRecord> decoded = harness.extractOutputValues();
            var deadQueue = harness.getSideOutput(Outputs.DEAD_LETTERS);
            List<DeadLetter> dead = deadQueue == null
                    ? List.of()
                    : deadQueue.stream().map(StreamRecord::getValue).toList();
            assertThat(decoded.size() + dead.size()).as("outputs of one record").isEqualTo(1);
            if (decoded.isEmpty()) {
                assertDeadLetterQuotesNothing(record, dead.get(0));
            } else {
                assertDecodedAsOtlpPayloadsSays(record, decoded.get(0));
            }
        }
    }

    private static void assertDeadLetterQuotesNothing(InputRecord record, DeadLetter letter) {
        assertThat(letter.original()).usingRecursiveComparison().isEqualTo(record);
        String header = record.tenant() == null ? "" : record.tenant();
        assertThat(Echoes.in(letter.reason(), record.payload(), TEMPLATE))
                .as("value quoted in: %s", letter.reason())
                .isEmpty();
        assertThat(Echoes.in(letter.reason(), header, TEMPLATE))
                .as("header quoted in: %s", letter.reason())
                .isEmpty();
    }

    private static void assertDecodedAsOtlpPayloadsSays(InputRecord record, DecodedRecord decoded)
            throws InvalidPayloadException {
        OtlpPayloads.Parsed parsed = OtlpPayloads.parse(record.signal(), record.payload());
        assertThat(decoded.payload()).isEqualTo(record.payload());
        assertThat(decoded.tenant()).isEqualTo(record.tenant());
        assertThat(decoded.items()).isEqualTo(parsed.summary().items());
        if (record.signal() != Signal.METRICS) {
            assertThat(decoded.randomness16()).hasSize((int) parsed.summary().items());
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.addAll(b);
        return both;
    }

    private static InputRecord record(byte[] data) {
        int topicChoice = data.length > 0 ? data[0] & 0xFF : 0;
        String topic = topicChoice < TOPICS.length ? TOPICS[topicChoice] : "not_an_input_topic";
        Signal signal = Signal.forInputTopic(topic).orElse(null);
        int headerLength = data.length > 1 ? data[1] & 0xFF : 0xFF;
        int headerEnd = Math.min(data.length, 2 + (headerLength == 0xFF ? 0 : headerLength));
        String tenant = headerLength == 0xFF
                ? null
                : new String(
                        data, Math.min(2, data.length), headerEnd - Math.min(2, data.length), StandardCharsets.UTF_8);
        byte[] value = Arrays.copyOfRange(data, headerEnd, data.length);
        return new InputRecord(signal, tenant, value, topic, 0, 7, 1_764_000_123_456L);
    }
}
