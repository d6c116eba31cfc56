package io.otlpgovernor.faults;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the bridge under load while the client retries: requests in flight get no answer and are sent again,
 * so Kafka may hold some twice (OTLP's at-least-once), but every acknowledged request is there and the job governs
 * each record of the input exactly once.
 */
class BridgeKillFaultIT extends FaultScenario {

    @Test
    @Tag("full")
    void keepsEveryAcknowledgedRequestWhenTheBridgeIsKilledUnderLoad() throws Exception {
        system = FaultSystem.start("bridge-kill");
        try (Verifier verifier = new Verifier(system.kafka().bootstrapServers());
                Workload workload = Scenarios.workload(system)) {
            Scenarios.awaitProgress(workload, 0.3);
            system.bridge().kill();
            system.bridge().restart();

            Verifier.Outcome outcome = system.settle(workload, verifier);

            assertThat(workload.retries())
                    .as("the client retried while the bridge was down")
                    .isPositive();
            Scenarios.assertExactlyOnce("bridge-kill", outcome, 1);
        }
    }
}
