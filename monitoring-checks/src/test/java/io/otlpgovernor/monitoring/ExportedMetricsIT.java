package io.otlpgovernor.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The key check: every metric the dashboard and the alerts read is one the running system really exports. Starts the
 * whole system (broker, job on a local Flink cluster with the Prometheus reporter, bridge), sends traffic that
 * exercises every governance feature (see {@link GovernanceTraffic}), waits until the metrics appear, scrapes both
 * {@code /metrics} endpoints and compares. Metrics only a real cluster has are allowed by
 * {@code cluster-only-metrics.yaml}, each with its reason. Label matchers are checked too: a label the metric does not
 * have, or an exact value no sample has, would leave a panel or an alert empty. The cardinality metrics, which the
 * alert on series limits reads, are checked for the values the traffic's series give. The last scrapes are kept in
 * {@code target/monitoring-checks/scrapes/}.
 */
class ExportedMetricsIT {

    private static final Path RULES = Path.of("src/test/resources/monitoring-rules");
    private static final Duration DECISION_TIMEOUT = Duration.ofSeconds(90);
    // The cardinality gauges appear only when the operator's minute timer first fires (processing time, at the next
    // full minute after the data points): up to a minute more than the other metrics need.
    private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(180);
    /** A key's gauges follow at its own timer, which may fire a minute after another key's of the same tenant. */
    private static final Duration GAUGES_SETTLE_TIMEOUT = Duration.ofSeconds(90);

    private static final String TAIL_DECISIONS =
            "flink_taskmanager_job_task_operator_governor_tenant_outcome_tail_decisions";
    private static final String LIMIT_USED_PERCENT =
            "flink_taskmanager_job_task_operator_governor_tenant_cardinality_limit_used_percent";
    private static final String ACTIVE_SERIES =
            "flink_taskmanager_job_task_operator_governor_tenant_cardinality_active_series";
    private static final String OVER_LIMIT_POINTS =
            "flink_taskmanager_job_task_operator_governor_tenant_action_cardinality_over_limit_points";
    private static final String ITEMS_DROPPED =
            "flink_taskmanager_job_task_operator_governor_tenant_reason_items_dropped";

    @TempDir
    static Path workDir;

    private static RunningSystem system;
    private static Set<String> allowed;
    private static Set<String> exported;
    private static SelectorLabels exportedLabels;

    @BeforeAll
    static void startSendAndScrape() throws Exception {
        allowed = ClusterOnlyMetrics.load(MonitoringFiles.CLUSTER_ONLY_METRICS).keySet();
        system = RunningSystem.start(workDir, RULES, GovernanceTraffic.TENANT_BY_KEY);
        GovernanceTraffic traffic = new GovernanceTraffic(system, RULES);
        traffic.send();
        // A late item needs its trace decided first.
        polling(DECISION_TIMEOUT).until(() -> Scrape.hasSample(system.scrapeJob(), TAIL_DECISIONS, "outcome=\"keep\""));
        traffic.sendLateSpan();
        MetricReferences references = MetricReferences.ofDashboardAndAlerts();
        try {
            polling(METRICS_TIMEOUT)
                    .until(() -> references.missingFrom(scrapeBoth(), allowed).isEmpty());
        } catch (ConditionTimeoutException e) {
            // The test below names what is still missing.
        }
        exported = scrapeBoth();
        exportedLabels = new SelectorLabels(system.scrapeJob(), system.scrapeBridge());
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void everyMetricTheDashboardAndAlertsUseIsExported() throws IOException {
        List<String> missing = MetricReferences.ofDashboardAndAlerts().missingFrom(exported, allowed);
        assertThat(missing)
                .as("metrics the dashboard or the alerts use that the system does not export "
                        + "(scrapes in target/monitoring-checks/scrapes/)")
                .isEmpty();
    }

    @Test
    void everyLabelTheQueriesMatchOnIsExported() throws IOException {
        AlertRuleFile alerts = AlertRuleFile.load(MonitoringFiles.ALERTS);
        List<Query> queries =
                new ArrayList<>(GrafanaDashboard.load(MonitoringFiles.DASHBOARD).allQueries());
        queries.addAll(alerts.queries());
        List<String> problems = new ArrayList<>();
        for (Query query : queries) {
            problems.addAll(exportedLabels.problems(
                    new Query(query.where(), GrafanaDashboard.substituteVariables(query.expr()))));
        }
        assertThat(problems).as("label matchers that match no exported series").isEmpty();
    }

    @Test
    void theCardinalityMetricsCountTheSeriesOfTheTraffic() {
        String tenant = "tenant=\"" + GovernanceTraffic.TENANT + "\"";
        int overLimit = GovernanceTraffic.CROWDED_SERIES - GovernanceTraffic.SERIES_PER_METRIC;
        polling(GAUGES_SETTLE_TIMEOUT).untilAsserted(() -> {
            String job = system.scrapeJob();
            assertThat(Scrape.values(job, LIMIT_USED_PERCENT, tenant))
                    .as("%s of the tenant: both metrics' limits are full", LIMIT_USED_PERCENT)
                    .isNotEmpty()
                    .allMatch(percent -> percent <= 100.0)
                    .contains(100.0);
            assertThat(sum(Scrape.values(job, ACTIVE_SERIES, tenant)))
                    .as(
                            "%s of the tenant: the fitting metric's series and the limit's worth of the other's",
                            ACTIVE_SERIES)
                    .isEqualTo(GovernanceTraffic.FITTING_SERIES + GovernanceTraffic.SERIES_PER_METRIC);
            // The reporter writes label values with '_' for '-': the action cardinality-drop is cardinality_drop.
            assertThat(sum(Scrape.values(job, OVER_LIMIT_POINTS, tenant, "action=\"cardinality_drop\"")))
                    .as("%s of the tenant, action cardinality_drop", OVER_LIMIT_POINTS)
                    .isEqualTo(overLimit);
            assertThat(sum(Scrape.values(job, ITEMS_DROPPED, tenant, "reason=\"cardinality\"")))
                    .as("%s of the tenant, reason cardinality", ITEMS_DROPPED)
                    .isEqualTo(overLimit);
        });
    }

    @Test
    void noClusterOnlyMetricIsExportedBySystem() {
        assertThat(allowed)
                .as("entries of cluster-only-metrics.yaml that the system exports: remove them")
                .doesNotContainAnyElementsOf(exported);
    }

    @Test
    void aDashboardNamingAMetricThatDoesNotExistFails() throws IOException {
        List<Query> queries =
                new ArrayList<>(GrafanaDashboard.load(MonitoringFiles.DASHBOARD).allQueries());
        queries.add(new Query(
                "dashboard panel 99 \"Typo\" query A",
                "sum(rate(otlp_bridge_request_total{tenant=~\"$tenant\"}[$__rate_interval]))"));
        queries.add(new Query(
                "dashboard panel 98 \"Wrong group\" query A",
                "sum(flink_taskmanager_job_task_operator_governor_items_dropped)"));
        assertThat(MetricReferences.of(queries, List.of()).missingFrom(exported, allowed))
                .containsExactly(
                        "flink_taskmanager_job_task_operator_governor_items_dropped — used by dashboard panel 98 \"Wrong group\" query A",
                        "otlp_bridge_request_total — used by dashboard panel 99 \"Typo\" query A");
    }

    @Test
    void aQueryMatchingOnALabelOrValueThatDoesNotExistFails() {
        String dropped = "flink_taskmanager_job_task_operator_governor_tenant_reason_items_dropped";
        assertThat(exportedLabels.problems(
                        new Query("alert rule Y", "rate(" + dropped + "{reason=\"qouta\", cause=\"x\"}[5m])")))
                .containsExactly(
                        dropped + " has no sample with reason=\"qouta\" — used by alert rule Y",
                        dropped + " has no label cause — used by alert rule Y");
    }

    @Test
    void aMetricTheSystemDoesNotExportIsOnlyAcceptedFromTheAllowList() {
        MetricReferences references = MetricReferences.of(List.of(new Query("alert rule X", "up == 0")), List.of());
        assertThat(references.missingFrom(exported, Set.of())).containsExactly("up — used by alert rule X");
        assertThat(references.missingFrom(exported, allowed)).isEmpty();
    }

    /**
     * A wait of at most {@code atMost} on scrapes: a scrape that fails (an endpoint closed a connection between two
     * polls) is retried at the next poll, within the same bound, and named in the timeout if it keeps failing.
     */
    private static ConditionFactory polling(Duration atMost) {
        return await().atMost(atMost).ignoreExceptionsInstanceOf(UncheckedIOException.class);
    }

    private static double sum(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The metric names both endpoints serve now; the scrapes are written to target/ for whoever reads a failure. */
    private static Set<String> scrapeBoth() throws IOException {
        String job = system.scrapeJob();
        String bridge = system.scrapeBridge();
        Path dir = MonitoringFiles.SCRATCH.resolve("scrapes");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("job.prom"), job);
        Files.writeString(dir.resolve("bridge.prom"), bridge);
        Set<String> names = new TreeSet<>(Scrape.metricNames(job));
        names.addAll(Scrape.metricNames(bridge));
        return names;
    }
}
