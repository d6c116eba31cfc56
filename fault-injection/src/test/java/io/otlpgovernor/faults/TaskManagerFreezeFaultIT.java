package io.otlpgovernor.faults;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGSTOP of a TaskManager under load, held until the brokers have aborted the transactions it left open (the job's
 * transaction timeout is 60 s), then SIGCONT: the JobManager has declared it lost, and when it comes back its old
 * producers are fenced; the job recovers from its checkpoint and the read_committed output is exact. Should the
 * resumed TaskManager exit on a fatal error (Flink's answer to a failure while cleaning up its cancelled tasks), it is
 * started again, as its supervisor would.
 */
class TaskManagerFreezeFaultIT extends FaultScenario {

    @Test
    @Tag("full")
    void governsEverySpanExactlyOnceWhenATaskManagerIsFrozenPastTheTransactionTimeout() throws Exception {
        system = FaultSystem.start("taskmanager-freeze");
        try (Verifier verifier = new Verifier(system.kafka().bootstrapServers());
                Workload workload = Scenarios.workload(system)) {
            Scenarios.awaitProgress(workload, 0.3);
            JavaProcess frozen = system.flink().taskManager(0);
            frozen.freeze();
            try {
                // Observed, not timed: the brokers abort a transaction only once its timeout has passed.
                await("transactions of the frozen TaskManager aborted by the brokers")
                        .atMost(Duration.ofMinutes(4))
                        .pollDelay(Duration.ofSeconds(5))
                        .pollInterval(Duration.ofSeconds(2))
                        .until(() -> !system.kafka().hasOngoingTransactions(FaultSystem.TRANSACTIONAL_ID_PREFIX));
            } finally {
                frozen.resume();
            }
            // The resumed TaskManager finds its tasks cancelled and its producers fenced. Flink may take an error
            // while cleaning those tasks up as fatal and exit the process (code 1), by design: its supervisor
            // (Kubernetes, systemd) starts it again. Here the test is the supervisor.
            await("job running again, or the resumed TaskManager exited")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> !frozen.isAlive() || system.flink().isRunning(system.jobId()));
            boolean exitedAfterResume = !frozen.isAlive();
            if (exitedAfterResume) {
                system.flink().restartTaskManager(0);
            }
            system.flink().awaitRunning(system.jobId());

            Verifier.Outcome outcome = system.settle(workload, verifier);

            assertThat(system.flink().restoredCheckpoints(system.jobId()))
                    .as("the job recovered from a checkpoint")
                    .isPositive();
            Scenarios.assertExactlyOnce(
                    exitedAfterResume ? "taskmanager-freeze (exited after resume, restarted)" : "taskmanager-freeze",
                    outcome,
                    0);
        }
    }
}
