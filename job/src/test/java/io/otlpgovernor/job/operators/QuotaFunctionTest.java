package io.otlpgovernor.job.operators;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.rules.pipeline.model.AdmittedRecord;
import io.otlpgovernor.rules.pipeline.model.DecodedRecord;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.pipeline.model.SourcePosition;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import io.otlpgovernor.rules.ruleset.RuleSetMessage;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaFunctionTest {

    /** The test rules: {@code metered} may send 1,000 items a second with a burst of 1,000, and drops the rest. */
    static final RuleBootstrap RULES = load();

    private static final long T0 = 1_764_000_000_000L;

    private KeyedBroadcastOperatorTestHarness<String, DecodedRecord, RuleUpdate, AdmittedRecord> harness;

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void admitsWithinTheQuotaAndDropsBeyondItWithUsageAndAudit() throws Exception {
        harness = open(null);

        harness.processElement(request("metered", 600, T0), 0);
        harness.processElement(request("metered", 600, T0 + 100), 0); // 400 + 100 tokens left: refused whole
        harness.processElement(request("metered", 400, T0 + 200), 0);

        assertThat(harness.extractOutputValues())
                .extracting(a -> a.record().items())
                .containsExactly(600L, 400L);
        assertThat(harness.extractOutputValues()).allSatisfy(a -> {
            assertThat(a.sampleThreshold()).isZero();
            assertThat(a.ruleSetVersion()).isEqualTo(1);
        });
        assertThat(side(Outputs.USAGE)).extracting(UsageDelta::received).containsExactly(600L, 600L, 0L, 400L);
        assertThat(side(Outputs.USAGE)).extracting(UsageDelta::droppedQuota).containsExactly(0L, 0L, 600L, 0L);
        assertThat(side(Outputs.AUDIT)).singleElement().satisfies(audit -> {
            assertThat(audit.rule()).isEqualTo("quota");
            assertThat(audit.action()).isEqualTo("quota-drop");
            assertThat(audit.target()).isEqualTo("rate");
            assertThat(audit.count()).isEqualTo(600);
        });
    }

    @Test
    void partitionsReadOutOfStepGetWhatArrivalOrderWouldHaveGiven() throws Exception {
        harness = open(null);
        // 500 items a second on each of two partitions — exactly the rate — but partition 0 is read ten seconds
        // ahead of partition 1, as in a catch-up.
        for (int second = 0; second < 10; second++) {
            harness.processElement(request("metered", 500, T0 + second * 1000L, 0), 0);
        }
        for (int second = 0; second < 10; second++) {
            harness.processElement(request("metered", 500, T0 + second * 1000L, 1), 0);
        }

        long admitted = harness.extractOutputValues().stream()
                .mapToLong(a -> a.record().items())
                .sum();
        assertThat(admitted).isEqualTo(10_000);
    }

    @Test
    void theLedgerSurvivesASnapshotAndRestore() throws Exception {
        harness = open(null);
        harness.processElement(request("metered", 1000, T0), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = open(snapshot);
        harness.processElement(request("metered", 100, T0 + 50), 0); // 50 tokens earned since: not enough

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(side(Outputs.USAGE)).extracting(UsageDelta::droppedQuota).contains(100L);
    }

    @Test
    void aRuleUpdateChangesTheQuotaAndTheVersion() throws Exception {
        harness = open(null);
        RuleSetMessage relaxed = new RuleSetMessage(
                "metered",
                2,
                Map.of(
                        "tenants/metered.yaml",
                        "tenant: metered\nversion: 2\nquotas:\n  rate:\n    per-second: 100000\n    burst: 100000\n"));
        harness.processBroadcastElement(new RuleUpdate("metered", relaxed.toJson(), 0), 0);

        harness.processElement(request("metered", 50_000, T0), 0);

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(a -> assertThat(a.ruleSetVersion()).isEqualTo(2));
    }

    @Test
    void aTenantWithoutRulesIsDeadLettered() throws Exception {
        harness = open(null);

        harness.processElement(request("stranger", 5, T0), 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(side(Outputs.DEAD_LETTERS))
                .singleElement()
                .satisfies(dead -> assertThat(dead.reason()).isEqualTo("tenant stranger has no rule set"));
    }

    private KeyedBroadcastOperatorTestHarness<String, DecodedRecord, RuleUpdate, AdmittedRecord> open(
            OperatorSubtaskState state) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, DecodedRecord, RuleUpdate, AdmittedRecord> opened =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(new QuotaFunction(RULES), List.of(RulesBroadcast.RULE_SETS)),
                        DecodedRecord::tenant,
                        Types.STRING,
                        1,
                        1,
                        0);
        if (state != null) {
            opened.initializeState(state);
        }
        opened.open();
        return opened;
    }

    private <T> List<T> side(OutputTag<T> tag) {
        var queue = harness.getSideOutput(tag);
        return queue == null
                ? List.of()
                : queue.stream().map(StreamRecord::getValue).toList();
    }

    static DecodedRecord request(String tenant, int spans, long arrivalMillis) {
        return request(tenant, spans, arrivalMillis, 0);
    }

    static DecodedRecord request(String tenant, int spans, long arrivalMillis, int partition) {
        byte[] payload = OtlpFixtures.spans("q", spans).toByteArray();
        return new DecodedRecord(
                tenant,
                Signal.SPANS,
                payload,
                spans,
                arrivalMillis,
                new char[spans],
                new SourcePosition("otlp_spans", partition, 1));
    }

    private static RuleBootstrap load() {
        try {
            return RuleBootstrap.load(Path.of("src/test/resources/it-rules"), null);
        } catch (Exception e) {
            throw new IllegalStateException("test rules must load", e);
        }
    }
}
