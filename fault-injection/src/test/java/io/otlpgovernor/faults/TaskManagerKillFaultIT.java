package io.otlpgovernor.faults;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a TaskManager under load, and its restart: the job restarts from its last checkpoint, the killed
 * TaskManager's open transactions are aborted or committed on recovery, and the read_committed output is exact.
 */
class TaskManagerKillFaultIT extends FaultScenario {

    @Test
    @Tag("ci")
    void governsEverySpanExactlyOnceWhenATaskManagerIsKilledAtThirtyPercent() throws Exception {
        killTaskManagerAt("taskmanager-kill-30", 0.3);
    }

    @Test
    @Tag("full")
    void governsEverySpanExactlyOnceWhenATaskManagerIsKilledAtSeventyPercent() throws Exception {
        killTaskManagerAt("taskmanager-kill-70", 0.7);
    }

    private void killTaskManagerAt(String scenario, double share) throws Exception {
        system = FaultSystem.start(scenario);
        try (Verifier verifier = new Verifier(system.kafka().bootstrapServers());
                Workload workload = Scenarios.workload(system)) {
            Scenarios.awaitProgress(workload, share);
            system.flink().taskManager(0).kill();
            system.flink().restartTaskManager(0);
            system.flink().awaitRunning(system.jobId());

            Verifier.Outcome outcome = system.settle(workload, verifier);

            assertThat(system.flink().restoredCheckpoints(system.jobId()))
                    .as("the job recovered from a checkpoint")
                    .isPositive();
            Scenarios.assertExactlyOnce(scenario, outcome, 1);
        }
    }
}
