package io.otlpgovernor.job.operators;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.pipeline.model.Report;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.pipeline.reports.UsageReports;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TenantReportFunctionTest {

    private static final long MINUTE = 1_764_000_000_000L - 1_764_000_000_000L % 60_000;

    @Test
    void writesAWindowOnceItIsOverAndForgetsIt() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, UsageDelta, Report> harness = open()) {
            harness.setProcessingTime(MINUTE + 30_000);
            harness.processElement(UsageDelta.received("shop", Signal.SPANS, MINUTE + 1_000, 10, 100), 0);
            harness.processElement(UsageDelta.received("shop", Signal.SPANS, MINUTE + 2_000, 5, 50), 0);
            harness.processElement(UsageDelta.received("other", Signal.LOGS, MINUTE + 3_000, 1, 1), 0);

            harness.setProcessingTime(MINUTE + 60_000 + 4_000);
            assertThat(harness.extractOutputValues())
                    .as("the window plus grace has not passed")
                    .isEmpty();

            harness.setProcessingTime(MINUTE + 60_000 + 5_000);
            assertThat(harness.extractOutputValues())
                    .extracting(Report::tenant)
                    .containsExactlyInAnyOrder("shop", "other");
            assertThat(harness.extractOutputValues())
                    .filteredOn(r -> r.tenant().equals("shop"))
                    .singleElement()
                    .satisfies(r -> assertThat(new String(r.json(), StandardCharsets.UTF_8))
                            .contains("\"received\":15", "\"bytes_in\":150"));
            assertThat(harness.numKeyedStateEntries())
                    .as("written lines are removed")
                    .isZero();
        }
    }

    @Test
    void lateContributionsFollowInAnotherReportForTheSameWindow() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, UsageDelta, Report> harness = open()) {
            harness.setProcessingTime(MINUTE + 120_000);
            harness.processElement(UsageDelta.received("shop", Signal.SPANS, MINUTE, 3, 30), 0);
            harness.setProcessingTime(MINUTE + 121_000);
            harness.processElement(UsageDelta.received("shop", Signal.SPANS, MINUTE, 4, 40), 0);
            harness.setProcessingTime(MINUTE + 122_000);

            assertThat(harness.extractOutputValues())
                    .extracting(r -> new String(r.json(), StandardCharsets.UTF_8))
                    .satisfiesExactly(
                            first -> assertThat(first).contains("\"received\":3"),
                            second -> assertThat(second).contains("\"received\":4"));
        }
    }

    @Test
    void openLinesSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, UsageDelta, Report> harness = open()) {
            harness.setProcessingTime(MINUTE);
            harness.processElement(UsageDelta.received("shop", Signal.SPANS, MINUTE + 1, 7, 70), 0);
            snapshot = harness.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, UsageDelta, Report> restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(function()),
                        UsageDelta::tenant,
                        Types.STRING)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.setProcessingTime(MINUTE + 70_000);
            assertThat(restored.extractOutputValues())
                    .singleElement()
                    .satisfies(r -> assertThat(new String(r.json(), StandardCharsets.UTF_8))
                            .contains("\"received\":7"));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, UsageDelta, Report> open() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(function(), UsageDelta::tenant, Types.STRING);
    }

    private static TenantReportFunction<UsageDelta> function() {
        return new TenantReportFunction<>(new UsageReports(), Duration.ofSeconds(5));
    }
}
