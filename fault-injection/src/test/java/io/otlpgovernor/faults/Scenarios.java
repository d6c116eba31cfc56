package io.otlpgovernor.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the scenarios share: the workload's size, waiting for a point of the run, the exactly-once verdict. */
final class Scenarios {

    /** 600 requests of 5 spans at 20 requests per second: half a minute of ingest to inject failures into. */
    static final int REQUESTS = 600;

    static final int SPANS_PER_REQUEST = 5;
    static final int RATE = 20;

    private Scenarios() {}

    static Workload workload(FaultSystem system) {
        return new Workload(
                system.bridge().tracesUri(), system.bridge().grpcTarget(), REQUESTS, SPANS_PER_REQUEST, RATE);
    }

    /** Waits until {@code share} (0 to 1) of the requests have been acknowledged. */
    static void awaitProgress(Workload workload, double share) {
        await("workload at " + Math.round(share * 100) + " %")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> workload.done() || workload.progress() >= share);
    }

    /**
     * Every acknowledged span in Kafka; every input span governed exactly once, redacted; usage and audit counting
     * each exactly once. Appends the numbers to {@code target/fault-injection/results.txt}.
     */
    static void assertExactlyOnce(String scenario, Verifier.Outcome outcome, int kills) {
        record(scenario, outcome, kills);
        assertThat(outcome.acknowledged()).as("acknowledged spans").isEqualTo((long) REQUESTS * SPANS_PER_REQUEST);
        assertThat(outcome.lostAcknowledged())
                .as("acknowledged spans missing from Kafka: %s", outcome)
                .isZero();
        assertThat(outcome.lost()).as("input spans not governed: %s", outcome).isZero();
        assertThat(outcome.duplicated())
                .as("governed spans duplicated: %s", outcome)
                .isZero();
        assertThat(outcome.governed()).as("governed spans: %s", outcome).isEqualTo(outcome.input());
        assertThat(outcome.unredacted())
                .as("governed spans with an e-mail address: %s", outcome)
                .isZero();
        assertThat(outcome.usageAccepted()).as("usage accepted: %s", outcome).isEqualTo(outcome.input());
        assertThat(outcome.auditRedacted()).as("audit redactions: %s", outcome).isEqualTo(outcome.input());
        assertThat(outcome.auditRouted()).as("audit routings: %s", outcome).isEqualTo(outcome.input());
    }

    private static void record(String scenario, Verifier.Outcome outcome, int kills) {
        try {
            Path results = Path.of("target", "fault-injection", "results.txt");
            Files.createDirectories(results.getParent());
            Files.writeString(
                    results,
                    scenario + " kills=" + kills + " " + outcome + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
