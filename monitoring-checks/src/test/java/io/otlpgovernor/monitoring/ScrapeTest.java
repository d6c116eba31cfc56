package io.otlpgovernor.monitoring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScrapeTest {

    private static final String SCRAPE = """
            # HELP active active series
            # TYPE active gauge
            active{tenant="acme",subtask_index="0",} 4.0
            active{tenant="acme",subtask_index="1",} 3.0
            active{tenant="acme_two",subtask_index="0",} 7.0
            active_total{tenant="acme",} 9.0
            over{tenant="acme",action="cardinality_drop",} 3.0 1718000000000
            plain 1.5
            """;

    @Test
    void namesAreThoseOfSamples() {
        assertThat(Scrape.metricNames(SCRAPE)).containsExactly("active", "active_total", "over", "plain");
    }

    @Test
    void valuesAreThoseOfSamplesWithEveryLabelPair() {
        assertThat(Scrape.values(SCRAPE, "active", "tenant=\"acme\"")).containsExactly(4.0, 3.0);
        assertThat(Scrape.values(SCRAPE, "active", "tenant=\"acme\"", "subtask_index=\"1\""))
                .containsExactly(3.0);
        assertThat(Scrape.values(SCRAPE, "over", "action=\"cardinality_drop\"")).containsExactly(3.0);
        assertThat(Scrape.values(SCRAPE, "plain")).containsExactly(1.5);
    }

    @Test
    void anotherNameOrLabelValueMatchesNothing() {
        assertThat(Scrape.values(SCRAPE, "activ", "tenant=\"acme\"")).isEmpty();
        assertThat(Scrape.values(SCRAPE, "active", "tenant=\"acm\"")).isEmpty();
        assertThat(Scrape.values(SCRAPE, "over", "action=\"cardinality_tag\"")).isEmpty();
    }
}
