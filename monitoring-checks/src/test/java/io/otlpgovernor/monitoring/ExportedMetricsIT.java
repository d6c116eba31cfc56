package io.otlpgovernor.monitoring;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportedMetricsIT {

    private static final Path RULES = Path.of("src/test/resources/monitoring-rules");
    private static final String TAIL_DECISIONS = "flink_taskmanager_job_task_operator_governor_tenant_outcome_tail_decisions";
    private static final String LATE_ITEMS = "flink_taskmanager_job_task_operator_governor_tenant_signal_tail_late_items";

    @TempDir
    static Path workDir;

    private static RunningSystem system;

    @BeforeAll
    static void startAndSendTraffic() throws Exception {
        system = RunningSystem.start(workDir, RULES, GovernanceTraffic.TENANT_BY_KEY);
        GovernanceTraffic traffic = new GovernanceTraffic(system, RULES);
        traffic.send();
        await().atMost(Duration.ofSeconds(90)).until(() -> Scrape.hasSample(system.scrapeJob(), TAIL_DECISIONS, "outcome=\"keep\""));
        traffic.sendLateSpan();
        await().atMost(Duration.ofSeconds(90)).until(() -> Scrape.metricNames(system.scrapeJob()).contains(LATE_ITEMS));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void dump() throws Exception {
        Files.createDirectories(Path.of("target/scrapes"));
        Files.writeString(Path.of("target/scrapes/job.prom"), system.scrapeJob());
        Files.writeString(Path.of("target/scrapes/bridge.prom"), system.scrapeBridge());
    }
}
