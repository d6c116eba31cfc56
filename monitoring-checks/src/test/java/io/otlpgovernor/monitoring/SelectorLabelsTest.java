package io.otlpgovernor.monitoring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SelectorLabelsTest {

    private static final SelectorLabels SCRAPE =
            new SelectorLabels("""
            # TYPE dropped gauge
            dropped{tenant="acme",reason="quota",subtask_index="0",} 3.0
            dropped{tenant="acme",reason="age",subtask_index="0",} 1.0
            """, "requests_total{outcome=\"ok\",signal=\"spans\"} 5.0\n");

    @Test
    void matchersOnExistingLabelsAndValuesPass() {
        assertThat(SCRAPE.problems(new Query(
                        "q",
                        "sum(rate(dropped{tenant=~\".*\", reason=\"quota\"}[5m])) / requests_total{outcome=\"ok\"}")))
                .isEmpty();
    }

    @Test
    void aLabelTheMetricDoesNotHaveIsReported() {
        assertThat(SCRAPE.problems(new Query("panel 7", "dropped{cause=\"quota\"}")))
                .containsExactly("dropped has no label cause — used by panel 7");
    }

    @Test
    void anExactValueNoSampleHasIsReported() {
        assertThat(SCRAPE.problems(new Query("alert X", "dropped{reason=\"qouta\"}")))
                .containsExactly("dropped has no sample with reason=\"qouta\" — used by alert X");
    }

    @Test
    void targetLabelsRegexValuesAndUnknownMetricsAreNotChecked() {
        assertThat(
                        SCRAPE.problems(
                                new Query(
                                        "q",
                                        "dropped{namespace=\"prod\", job=\"x\", reason=~\"kafka_unavailable|deadline\"} + other{a=\"b\"}")))
                .isEmpty();
    }
}
