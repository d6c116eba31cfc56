package io.otlpgovernor.job.operators;

import java.time.Duration;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.pipeline.reports.AuditReports;
import io.otlpgovernor.rules.pipeline.reports.UsageReports;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Contributions are summed per line and written each second, before every checkpoint barrier, and at the end. */
class SumContributionsTest {

    private static final long ARRIVAL = 1_764_000_000_000L;

    private OneInputStreamOperatorTestHarness<UsageDelta, UsageDelta> usage;
    private OneInputStreamOperatorTestHarness<AuditDelta, AuditDelta> audit;

    @AfterEach
    void close() throws Exception {
        if (usage != null) {
            usage.close();
        }
        if (audit != null) {
            audit.close();
        }
    }

    @Test
    void usageOfOneLineIsWrittenAsOneSumOnceASecondHasPassed() throws Exception {
        usage = new OneInputStreamOperatorTestHarness<>(new SumContributions<>(new UsageReports()));
        usage.setProcessingTime(0);
        usage.open();
        for (int i = 0; i < 100; i++) {
            usage.processElement(UsageDelta.droppedByTail("t", Signal.SPANS, ARRIVAL + i, 2), 0);
            usage.processElement(UsageDelta.accepted("t", Signal.SPANS, ARRIVAL + i, "standard", 1, 10, 4.0), 0);
        }
        usage.processElement(UsageDelta.droppedByTail("other", Signal.SPANS, ARRIVAL, 5), 0);
        assertThat(usage.extractOutputValues()).isEmpty();

        usage.setProcessingTime(1_000);
        assertThat(usage.extractOutputValues())
                .extracting(UsageDelta::tenant, UsageDelta::tier, UsageDelta::droppedTail, UsageDelta::accepted)
                .containsExactlyInAnyOrder(
                        tuple("t", "", 200L, 0L), tuple("t", "standard", 0L, 100L), tuple("other", "", 5L, 0L));
        assertThat(usage.extractOutputValues())
                .filteredOn(delta -> delta.tier().equals("standard"))
                .singleElement()
                .satisfies(delta -> {
                    assertThat(delta.bytesOut()).isEqualTo(1_000);
                    assertThat(delta.represented()).isEqualTo(400.0);
                });
        // The next second starts empty.
        usage.setProcessingTime(2_000);
        assertThat(usage.extractOutputValues()).hasSize(3);
    }

    @Test
    void everySumIsWrittenBeforeACheckpointBarrierAndAtTheEndOfInput() throws Exception {
        audit = new OneInputStreamOperatorTestHarness<>(
                new SumContributions<>(new AuditReports(Duration.ofMinutes(1))));
        audit.setProcessingTime(0);
        audit.open();
        audit.processElement(delta(ARRIVAL, 3), 0);
        audit.processElement(delta(ARRIVAL + 59_000, 4), 0);
        audit.processElement(delta(ARRIVAL + 60_000, 1), 0); // the next audit window: a line of its own
        audit.prepareSnapshotPreBarrier(1);
        assertThat(audit.extractOutputValues()).extracting(AuditDelta::count).containsExactlyInAnyOrder(7L, 1L);

        audit.processElement(delta(ARRIVAL, 5), 0);
        audit.endInput();
        audit.getOneInputOperator().finish();
        assertThat(audit.extractOutputValues()).extracting(AuditDelta::count).containsExactlyInAnyOrder(7L, 1L, 5L);
    }

    private static AuditDelta delta(long arrival, long count) {
        return new AuditDelta("t", arrival, 3, "errors", "", "tail-keep", "spans", count);
    }
}
