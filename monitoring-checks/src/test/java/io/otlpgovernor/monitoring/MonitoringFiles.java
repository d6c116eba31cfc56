package io.otlpgovernor.monitoring;

import java.nio.file.Path;

/** Where the checked files live (paths from this module's directory, where Maven runs the tests). */
final class MonitoringFiles {

    static final Path CHART_FILES = Path.of("../helm/otlp-governor/files");
    static final Path DASHBOARD = CHART_FILES.resolve("dashboards/otlp-governor.json");
    static final Path ALERTS = CHART_FILES.resolve("alerts/otlp-governor-alerts.yaml");
    static final Path ALERT_TESTS = CHART_FILES.resolve("alerts/tests/otlp-governor-alerts.test.yaml");
    static final Path MONITORING_DOC = Path.of("../docs/monitoring.md");
    /** Metrics the dashboard and alerts may use although the system under test does not export them, with reasons. */
    static final Path CLUSTER_ONLY_METRICS = Path.of("cluster-only-metrics.yaml");
    /** Scratch space for generated rule files and copies; under target/, like every test file. */
    static final Path SCRATCH = Path.of("target/monitoring-checks");

    private MonitoringFiles() {}
}
