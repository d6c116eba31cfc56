package io.otlpgovernor.job.operators;

import java.util.List;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.rules.pipeline.model.DeadLetter;
import io.otlpgovernor.rules.pipeline.model.DecodedRecord;
import io.otlpgovernor.rules.pipeline.model.InputRecord;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class DecodeFunctionTest {

    private static final byte[] GARBAGE = {0x0a, 0x05, 0x01};
    private static final long ARRIVAL = 1_764_000_123_456L;

    private OneInputStreamOperatorTestHarness<InputRecord, DecodedRecord> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new DecodeFunction());
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void passesValidRequestOnWithItsItemCount() throws Exception {
        byte[] payload = OtlpFixtures.spans("checkout", 3).toByteArray();

        harness.processElement(input(Signal.SPANS, "acme", payload), 0);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(governed -> {
            assertThat(governed.tenant()).isEqualTo("acme");
            assertThat(governed.signal()).isEqualTo(Signal.SPANS);
            assertThat(governed.payload()).isEqualTo(payload);
            assertThat(governed.items()).isEqualTo(3);
            assertThat(governed.arrivalMillis()).isEqualTo(ARRIVAL);
            assertThat(governed.randomness16()).hasSize(3);
            assertThat(governed.source())
                    .isEqualTo(new io.otlpgovernor.rules.pipeline.model.SourcePosition("otlp_spans", 0, 7));
        });
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void countsItemsOfEachSignal() throws Exception {
        harness.processElement(
                input(Signal.METRICS, "acme", OtlpFixtures.gaugePoints("cpu", 4).toByteArray()), 0);
        harness.processElement(
                input(Signal.LOGS, "globex", OtlpFixtures.logs("line", 2).toByteArray()), 0);

        assertThat(harness.extractOutputValues())
                .extracting(DecodedRecord::tenant, DecodedRecord::signal, DecodedRecord::items)
                .containsExactly(tuple("acme", Signal.METRICS, 4L), tuple("globex", Signal.LOGS, 2L));
    }

    @Test
    void deadLettersGarbageWithTheParseProblem() throws Exception {
        InputRecord record = input(Signal.SPANS, "acme", GARBAGE);

        harness.processElement(record, 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.original()).usingRecursiveComparison().isEqualTo(record);
            assertThat(dead.reason()).startsWith("not a valid ExportTraceServiceRequest: ");
        });
    }

    @Test
    void deadLettersRequestOfAnotherSignal() throws Exception {
        InputRecord logsOnMetricsTopic =
                input(Signal.METRICS, "acme", OtlpFixtures.logs("l", 1).toByteArray());

        harness.processElement(logsOnMetricsTopic, 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.original()).usingRecursiveComparison().isEqualTo(logsOnMetricsTopic);
            assertThat(dead.reason()).startsWith("not a valid ExportMetricsServiceRequest: ");
        });
    }

    @Test
    void countsAnInvalidRequestInItsTenantsUsage() throws Exception {
        harness.processElement(input(Signal.SPANS, "acme", GARBAGE), 0);
        harness.processElement(input(Signal.SPANS, "Not A Tenant", GARBAGE), 0);

        var usage = harness.getSideOutput(Outputs.USAGE);
        assertThat(usage).singleElement().satisfies(record -> {
            assertThat(record.getValue().tenant()).isEqualTo("acme");
            assertThat(record.getValue().invalidRequests()).isEqualTo(1);
            assertThat(record.getValue().bytesIn()).isEqualTo(GARBAGE.length);
            assertThat(record.getValue().minuteMillis()).isEqualTo(ARRIVAL - ARRIVAL % 60_000);
        });
    }

    @Test
    void metricsCarryNoRandomness() throws Exception {
        harness.processElement(
                input(Signal.METRICS, "acme", OtlpFixtures.gaugePoints("cpu", 2).toByteArray()), 0);

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(d -> assertThat(d.randomness16()).isNull());
    }

    @Test
    void deadLettersRecordWithoutTenant() throws Exception {
        InputRecord missing =
                input(Signal.SPANS, null, OtlpFixtures.spans("s", 1).toByteArray());
        InputRecord empty = input(Signal.SPANS, "", OtlpFixtures.spans("s", 1).toByteArray());

        harness.processElement(missing, 0);
        harness.processElement(empty, 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(deadLetters())
                .extracting(DeadLetter::original)
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(missing, empty);
        assertThat(deadLetters()).extracting(DeadLetter::reason).containsOnly("header 'tenant': tenant id is missing");
    }

    @Test
    void deadLettersRecordWithMalformedTenantWithoutRepeatingIt() throws Exception {
        InputRecord record =
                input(Signal.LOGS, "Acme Corp", OtlpFixtures.logs("l", 1).toByteArray());

        harness.processElement(record, 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.original()).usingRecursiveComparison().isEqualTo(record);
            assertThat(dead.reason())
                    .startsWith("header 'tenant': tenant id is malformed")
                    .doesNotContain("Acme Corp");
        });
    }

    @Test
    void deadLettersRecordWithoutValue() throws Exception {
        InputRecord record = input(Signal.METRICS, "acme", null);

        harness.processElement(record, 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.original()).usingRecursiveComparison().isEqualTo(record);
            assertThat(dead.reason()).isEqualTo("record has no value");
        });
    }

    @Test
    void deadLettersRecordFromAnUnknownTopic() throws Exception {
        InputRecord record =
                new InputRecord(null, "acme", OtlpFixtures.spans("s", 1).toByteArray(), "elsewhere", 0, 0, ARRIVAL);

        harness.processElement(record, 0);

        assertThat(deadLetters())
                .singleElement()
                .satisfies(dead -> assertThat(dead.reason()).isEqualTo("topic elsewhere is not an input topic"));
    }

    @Test
    void keepsGoodRecordsFlowingAroundBadOnes() throws Exception {
        harness.processElement(
                input(Signal.SPANS, "acme", OtlpFixtures.spans("a", 1).toByteArray()), 0);
        harness.processElement(input(Signal.SPANS, "acme", GARBAGE), 0);
        harness.processElement(
                input(Signal.SPANS, "globex", OtlpFixtures.spans("b", 2).toByteArray()), 0);

        assertThat(harness.extractOutputValues())
                .extracting(DecodedRecord::tenant)
                .containsExactly("acme", "globex");
        assertThat(deadLetters()).hasSize(1);
    }

    private List<DeadLetter> deadLetters() {
        var queue = harness.getSideOutput(Outputs.DEAD_LETTERS);
        return queue == null
                ? List.of()
                : queue.stream().map(StreamRecord::getValue).toList();
    }

    private static InputRecord input(Signal signal, String tenant, byte[] payload) {
        return new InputRecord(signal, tenant, payload, signal.inputTopic(), 0, 7, ARRIVAL);
    }
}
