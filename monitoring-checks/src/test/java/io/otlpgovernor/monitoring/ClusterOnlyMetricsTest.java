package io.otlpgovernor.monitoring;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The allow-list stays honest: every entry has a reason and is still used. (That none is exported is checked by ExportedMetricsIT.) */
class ClusterOnlyMetricsTest {

    @Test
    void everyEntryHasAReason() throws IOException {
        Map<String, String> allowed = ClusterOnlyMetrics.load(MonitoringFiles.CLUSTER_ONLY_METRICS);
        assertThat(allowed).isNotEmpty();
        allowed.forEach((metric, reason) ->
                assertThat(reason).as("reason for %s", metric).isNotBlank());
    }

    @Test
    void everyEntryIsUsedByTheDashboardOrTheAlerts() throws IOException {
        assertThat(MetricReferences.ofDashboardAndAlerts().names())
                .containsAll(ClusterOnlyMetrics.load(MonitoringFiles.CLUSTER_ONLY_METRICS)
                        .keySet());
    }
}
