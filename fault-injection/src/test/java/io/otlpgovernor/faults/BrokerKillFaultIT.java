package io.otlpgovernor.faults;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of one of the three Kafka nodes during ingest, and its return: the bridge's writes (acks=all, min ISR 2)
 * and the job's transactions go on with two nodes; the node rejoins on its data; nothing acknowledged is lost and
 * the read_committed output is exact.
 */
class BrokerKillFaultIT extends FaultScenario {

    @Test
    @Tag("full")
    void governsEverySpanExactlyOnceWhenABrokerIsKilledDuringIngestAndBroughtBack() throws Exception {
        system = FaultSystem.start("broker-kill");
        try (Verifier verifier = new Verifier(system.kafka().bootstrapServers());
                Workload workload = Scenarios.workload(system)) {
            Scenarios.awaitProgress(workload, 0.3);
            system.kafka().kill(1);
            // Ingest goes on with two nodes for a while before the third comes back.
            Scenarios.awaitProgress(workload, 0.6);
            system.kafka().restart(1);

            Verifier.Outcome outcome = system.settle(workload, verifier);

            Scenarios.assertExactlyOnce("broker-kill", outcome, 1);
        }
    }
}
