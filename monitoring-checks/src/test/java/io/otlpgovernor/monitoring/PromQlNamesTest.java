package io.otlpgovernor.monitoring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlNamesTest {

    @Test
    void findsABareMetricAndOneWithMatchers() {
        assertThat(PromQlNames.in("up")).containsExactly("up");
        assertThat(PromQlNames.in("up{job=~\".*bridge.*\"} == 0")).containsExactly("up");
    }

    @Test
    void skipsFunctionsAggregationsAndTheirLabels() {
        assertThat(PromQlNames.in("sum by (tenant, reason) (rate(items_dropped{reason=\"quota\"}[5m]))"))
                .containsExactly("items_dropped");
        assertThat(PromQlNames.in("sum(rate(requests_total[$__rate_interval])) without (transport, signal)"))
                .containsExactly("requests_total");
        assertThat(PromQlNames.in("histogram_quantile(0.99, sum by (le) (rate(latency_bucket[5m])))"))
                .containsExactly("latency_bucket");
    }

    @Test
    void findsBothSidesOfBinaryOperationsAndSkipsKeywords() {
        assertThat(PromQlNames.in("a / on (instance) group_left (version) b > bool 0.5 and c unless d or e"))
                .containsExactly("a", "b", "c", "d", "e");
        assertThat(PromQlNames.in("time() - last_checkpoint / 1000 > 600")).containsExactly("last_checkpoint");
    }

    @Test
    void skipsDurationsNumbersAndOffsets() {
        assertThat(PromQlNames.in("x offset 10m > 1e3 + 0x1f")).containsExactly("x");
        assertThat(PromQlNames.in("max_over_time(deriv(pending[10m:1m])[1h:5m])"))
                .containsExactly("pending");
    }

    @Test
    void skipsStringArgumentsAndComments() {
        assertThat(PromQlNames.in("label_replace(m, \"dst\", \"$1\", \"src\", \"(not_a_metric)\") # comment names\n"))
                .containsExactly("m");
    }

    @Test
    void findsNamesGivenAsNameMatchers() {
        assertThat(PromQlNames.in("{__name__=\"by_name\", job=\"x\"}")).containsExactly("by_name");
    }

    @Test
    void takesNamesWithColonsAndMultilineExpressions() {
        assertThat(PromQlNames.in("sum(\n  job:requests:rate5m\n)\n  > 1")).containsExactly("job:requests:rate5m");
    }
}
