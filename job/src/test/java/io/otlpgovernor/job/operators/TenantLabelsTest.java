package io.otlpgovernor.job.operators;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TenantLabelsTest {

    @Test
    void labelsTheFirstTenantsByNameAndLaterOnesAsOverflow() {
        TenantLabels labels = new TenantLabels(2);

        assertThat(labels.labelFor("acme")).isEqualTo("acme");
        assertThat(labels.labelFor("globex")).isEqualTo("globex");
        assertThat(labels.labelFor("initech")).isEqualTo(TenantLabels.OVERFLOW);
        assertThat(labels.labelFor("umbrella")).isEqualTo("_other");
    }

    @Test
    void keepsTheLabelOfATenantSeenBefore() {
        TenantLabels labels = new TenantLabels(1);
        labels.labelFor("acme");

        assertThat(labels.labelFor("globex")).isEqualTo(TenantLabels.OVERFLOW);
        assertThat(labels.labelFor("acme")).isEqualTo("acme");
        assertThat(labels.labelFor("globex")).isEqualTo(TenantLabels.OVERFLOW);
    }

    @Test
    void labelsEveryTenantAsOverflowWhenTheLimitIsZero() {
        assertThat(new TenantLabels(0).labelFor("acme")).isEqualTo(TenantLabels.OVERFLOW);
    }
}
