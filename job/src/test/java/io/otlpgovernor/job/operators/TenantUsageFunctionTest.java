package io.otlpgovernor.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.otlpgovernor.job.model.GovernedRecord;
import io.otlpgovernor.job.model.TenantTotals;
import io.otlpgovernor.rules.signal.Signal;
import io.otlpgovernor.rules.testing.OtlpFixtures;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class TenantUsageFunctionTest {

    private static final GovernedRecord ACME_SPANS = governed("acme", Signal.SPANS, OtlpFixtures.spans("s", 3).toByteArray(), 3);
    private static final GovernedRecord ACME_LOGS = governed("acme", Signal.LOGS, OtlpFixtures.logs("l", 2).toByteArray(), 2);
    private static final GovernedRecord ACME_METRICS = governed("acme", Signal.METRICS, OtlpFixtures.gaugePoints("m", 5).toByteArray(), 5);
    private static final GovernedRecord GLOBEX_METRICS = governed("globex", Signal.METRICS, OtlpFixtures.gaugePoints("g", 4).toByteArray(), 4);

    @Test
    void keepsRunningTotalsPerTenant() throws Exception {
        try (var harness = harness(null)) {
            harness.processElement(ACME_SPANS, 0);
            harness.processElement(GLOBEX_METRICS, 0);
            harness.processElement(ACME_LOGS, 0);
            harness.processElement(ACME_METRICS, 0);

            assertThat(totals(harness, "acme")).isEqualTo(new TenantTotals(3, 3, 5, 2,
                    bytes(ACME_SPANS) + bytes(ACME_LOGS) + bytes(ACME_METRICS)));
            assertThat(totals(harness, "globex")).isEqualTo(new TenantTotals(1, 0, 4, 0, bytes(GLOBEX_METRICS)));
            assertThat(totals(harness, "initech")).isNull();
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        }
    }

    @Test
    void passesRecordsOnUnchanged() throws Exception {
        try (var harness = harness(null)) {
            harness.processElement(ACME_SPANS, 0);
            harness.processElement(GLOBEX_METRICS, 0);

            assertThat(harness.extractOutputValues()).usingRecursiveFieldByFieldElementComparator()
                    .containsExactly(ACME_SPANS, GLOBEX_METRICS);
        }
    }

    @Test
    void continuesTotalsFromACheckpoint() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var before = harness(null)) {
            before.processElement(ACME_SPANS, 0);
            before.processElement(GLOBEX_METRICS, 0);
            checkpoint = before.snapshot(1L, 1L);
            // Not in the checkpoint: lost with the failed task, so it must not show after the restore.
            before.processElement(ACME_LOGS, 0);
        }

        try (var after = harness(checkpoint)) {
            after.processElement(ACME_METRICS, 0);

            assertThat(totals(after, "acme")).isEqualTo(new TenantTotals(2, 3, 5, 0, bytes(ACME_SPANS) + bytes(ACME_METRICS)));
            assertThat(totals(after, "globex")).isEqualTo(new TenantTotals(1, 0, 4, 0, bytes(GLOBEX_METRICS)));
        }
    }

    @Test
    void keepsTotalsWithAFlinkSerializerRatherThanKryo() {
        // The job runs with pipeline.generic-types=false: a Kryo-serialized state type would fail at startup.
        TypeInformation<TenantTotals> type = TypeInformation.of(TenantTotals.class);

        assertThat(type).isNotInstanceOf(GenericTypeInfo.class);
        assertThat(TenantUsageFunction.TOTALS.getName()).isEqualTo("tenant-totals");
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, GovernedRecord, GovernedRecord> harness(
            OperatorSubtaskState restoreFrom) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TenantUsageFunction()), GovernedRecord::tenant, Types.STRING);
        harness.setup();
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }

    /** The tenant's totals as kept in the operator's keyed state. */
    private static TenantTotals totals(KeyedOneInputStreamOperatorTestHarness<String, GovernedRecord, GovernedRecord> harness,
                                       String tenant) throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(tenant);
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, TenantUsageFunction.TOTALS).value();
    }

    private static GovernedRecord governed(String tenant, Signal signal, byte[] payload, long items) {
        return new GovernedRecord(tenant, signal, payload, items);
    }

    private static long bytes(GovernedRecord record) {
        return record.payload().length;
    }
}
