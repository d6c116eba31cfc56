package io.otlpgovernor.monitoring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every PromQL expression of the dashboard parses as Prometheus parses it ({@code promtool check rules}). */
class DashboardQueriesTest {

    @Test
    void everyDashboardQueryIsValidPromQl() throws Exception {
        List<Query> queries = GrafanaDashboard.load(MonitoringFiles.DASHBOARD).allQueries();
        Path file = MonitoringFiles.SCRATCH.resolve("dashboard-queries.yaml");
        Map<String, String> whereByRule = RecordingRules.write(queries, file);
        Promtool.Result result = Promtool.run(
                file.getParent(), "check", "rules", file.getFileName().toString());
        assertThat(result.succeeded())
                .as("promtool check rules on the dashboard's queries, %s:%n%s", whereByRule, result.output())
                .isTrue();
        assertThat(result.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    @Test
    void aQueryThatDoesNotParseFailsTheCheckAndIsNamed() throws Exception {
        List<Query> queries =
                new ArrayList<>(GrafanaDashboard.load(MonitoringFiles.DASHBOARD).allQueries());
        queries.add(new Query(
                "dashboard panel 99 \"Broken\" query A", "sum(rate(otlp_bridge_requests_total[$__rate_interval])"));
        Promtool.Result result = check(queries, "broken-dashboard-queries.yaml");
        assertThat(result.succeeded()).isFalse();
        // The broken query is the last rule: its name says which one failed.
        assertThat(result.output()).contains("dashboard:q" + queries.size()).contains("could not parse expression");
    }

    @Test
    void grafanaVariablesAreReplacedByWhatPrometheusWouldGet() {
        assertThat(
                        GrafanaDashboard.substituteVariables(
                                "rate(m{tenant=~\"$tenant\", ns=~\"${namespace}\", j=~\"${job_name:regex}\"}[$__rate_interval]) offset $__interval"))
                .isEqualTo("rate(m{tenant=~\".*\", ns=~\".*\", j=~\".*\"}[5m]) offset 1m");
        assertThat(GrafanaDashboard.substituteVariables("increase(m[$__range]) * $__range_s"))
                .isEqualTo("increase(m[1h]) * 3600");
    }

    private static Promtool.Result check(List<Query> queries, String fileName) throws Exception {
        Path file = MonitoringFiles.SCRATCH.resolve(fileName);
        RecordingRules.write(queries, file);
        return Promtool.run(
                file.getParent(), "check", "rules", file.getFileName().toString());
    }
}
