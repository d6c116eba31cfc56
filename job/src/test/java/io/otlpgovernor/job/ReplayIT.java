package io.otlpgovernor.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.contract.testing.Telemetry;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.replay.ReplayJob;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import io.otlpgovernor.rules.replay.ReplayDiff;
import io.otlpgovernor.rules.replay.ReplayTotals;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What-if replay against an embedded broker: a known history — personal data and cards for {@code shop}, a hot
 * {@code metered} tenant over its quota, error and plain traces for the tail-sampled {@code tailed}, an exploding
 * metric for {@code exploding}, a record that is not OTLP — is governed by the streaming job, and replayed in BATCH
 * mode under the same rules: every count of the replay equals what the streaming job wrote. Two replays give the same
 * report, and a candidate rule set shows exactly the difference it makes.
 */
class ReplayIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path workDir;

    private EmbeddedKafkaBroker broker;
    private JobClient job;
    private long base;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedKafkaBroker.start(workDir.resolve("kafka"), 0);
        JobHarness.createTopics(broker, 1);
        // Two minutes ago: the history's report windows are over when it is governed.
        base = (System.currentTimeMillis() / 60_000 - 2) * 60_000 + 5_000;
        writeHistory();
    }

    @AfterEach
    void stop() throws Exception {
        JobHarness.cancelAndClose(job, broker);
    }

    @Test
    void aReplayCountsExactlyWhatTheStreamingJobDidAndShowsWhatACandidateWouldChange() throws Exception {
        JobSettings settings =
                JobHarness.fastSettings(broker, workDir.resolve("checkpoints"), workDir.resolve("rules"));
        job = GovernorJob.onKafka(settings)
                .start(StreamExecutionEnvironment.createLocalEnvironment(settings.flinkConfiguration()), "streaming");
        ReplayTotals streaming = awaitStreamingTotals();
        JobHarness.cancel(job);
        job = null;

        ReplayJob.Range range = new ReplayJob.Range(base - 1_000, base + 60_000);
        ReplayTotals replayed = replay(workDir.resolve("rules"), range);

        assertThat(replayed.tenants()).containsExactlyInAnyOrder("shop", "metered", "tailed", "exploding");
        for (String tenant : replayed.tenants()) {
            assertThat(replayed.of(tenant)).as("tenant %s", tenant).isEqualTo(streaming.of(tenant));
        }
        assertThat(replay(workDir.resolve("rules"), range))
                .as("a second replay")
                .isEqualTo(replayed);

        // Candidate: the metered tenant's rate doubled.
        Path candidate = workDir.resolve("candidate");
        JobHarness.copyTestRules(candidate);
        Path metered = candidate.resolve("tenants/metered.yaml");
        Files.writeString(
                metered,
                Files.readString(metered)
                        .replace("per-second: 1000", "per-second: 2000")
                        .replace("burst: 1000", "burst: 2000")
                        .replace("version: 1", "version: 2"));
        ReplayDiff diff = new ReplayDiff(
                Instant.ofEpochMilli(range.fromMillis()),
                Instant.ofEpochMilli(range.toMillis()),
                replayed,
                replay(candidate, range));

        assertThat(diff.changes()).extracting(ReplayDiff.Row::tenant).containsOnly("metered");
        assertThat(diff.changes())
                .filteredOn(row -> row.name().equals("dropped.quota"))
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.baseline()).isEqualTo(2_000);
                    assertThat(row.candidate()).isEqualTo(1_000);
                });
        assertThat(diff.table()).contains("tenant metered", "* spans dropped.quota");
        assertThat(new String(diff.json())).doesNotContain("person0@example.org");
    }

    @Test
    void aRangeHoldsOnlyTheRecordsThatArrivedInIt() throws Exception {
        JobHarness.copyTestRules(workDir.resolve("rules"));

        ReplayTotals firstHalf = replay(workDir.resolve("rules"), new ReplayJob.Range(base - 1_000, base + 500));

        assertThat(firstHalf.count("metered", "spans", "received")).isEqualTo(1_000);
        assertThat(firstHalf.count("shop", "spans", "received")).isZero();
    }

    private ReplayTotals replay(Path rules, ReplayJob.Range range) throws Exception {
        ReplayJob.Documents documents = ReplayJob.run(
                ReplayJob.localEnvironment(1),
                broker.bootstrapServers(),
                new Properties(),
                RuleBootstrap.load(rules, null),
                range,
                Set.of());
        return ReplayTotals.of(documents.usage(), documents.audit());
    }

    /** The history: all of it within a minute from {@code base}, in arrival order. */
    private void writeHistory() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = JobHarness.producer(broker)) {
            // metered: 1,000 spans at base (within its burst), then 3,000 more a second later: 2,000 over quota.
            JobHarness.send(
                    producer,
                    Signal.SPANS.inputTopic(),
                    "metered",
                    Telemetry.spans("burst", 1_000, base).toByteArray(),
                    base);
            for (int i = 0; i < 3; i++) {
                JobHarness.send(
                        producer,
                        Signal.SPANS.inputTopic(),
                        "metered",
                        Telemetry.spans("hot", 1_000, base + 1_000).toByteArray(),
                        base + 1_000);
            }
            for (int i = 0; i < 10; i++) {
                long at = base + 2_000 + i * 100;
                String email = "person" + i + "@example.org";
                JobHarness.send(
                        producer,
                        Signal.SPANS.inputTopic(),
                        "shop",
                        Telemetry.spans(List.of(
                                        Telemetry.span(1_000 + i, "checkout by " + email, at, "user.email", email)))
                                .toByteArray(),
                        at);
                JobHarness.send(
                        producer,
                        Signal.LOGS.inputTopic(),
                        "shop",
                        Telemetry.logs("charged 4111 1111 1111 1111", 2, at, "severity", i % 2 == 0 ? "debug" : "info")
                                .toByteArray(),
                        at);
                JobHarness.send(
                        producer,
                        Signal.METRICS.inputTopic(),
                        "exploding",
                        Telemetry.gauge("logins", 1, at, "user", "u" + i).toByteArray(),
                        at);
                List<Span> trace = new ArrayList<>();
                for (int s = 0; s < 3; s++) {
                    Span span = Telemetry.span(5_000 + i, "op", at);
                    trace.add(
                            i % 3 == 0 && s == 0
                                    ? span.toBuilder()
                                            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
                                            .build()
                                    : span);
                }
                JobHarness.send(
                        producer,
                        Signal.SPANS.inputTopic(),
                        "tailed",
                        Telemetry.spans(trace).toByteArray(),
                        at);
            }
            JobHarness.send(producer, Signal.SPANS.inputTopic(), "shop", "not OTLP".getBytes(), base + 3_000);
        }
    }

    /** The streaming job's usage and audit totals once every item of the history is accounted for. */
    private ReplayTotals awaitStreamingTotals() {
        Map<String, Long> received = Map.of("metered", 4_000L, "shop", 10L, "tailed", 30L);
        try (CommittedTopicReader reader =
                new CommittedTopicReader(broker.bootstrapServers(), List.of(TopicNames.USAGE, TopicNames.AUDIT))) {
            await().atMost(TIMEOUT).until(() -> {
                JobHarness.assertRunning(job);
                ReplayTotals totals = totals(reader.poll());
                return received.entrySet().stream().allMatch(e -> settled(totals, e.getKey(), "spans", e.getValue()))
                        && settled(totals, "shop", "logs", 20)
                        && settled(totals, "exploding", "metrics", 10)
                        && totals.count("shop", "spans", "invalid_requests") == 1
                        && totals.count("tailed", ReplayTotals.RULES, "errors tail-keep -") > 0;
            });
            // Audit windows close after the usage minute: wait until the totals stop changing.
            ReplayTotals[] last = {totals(reader.poll())};
            await().atMost(TIMEOUT)
                    .pollDelay(Duration.ofSeconds(3))
                    .pollInterval(Duration.ofSeconds(3))
                    .until(() -> {
                        ReplayTotals now = totals(reader.poll());
                        boolean same = now.equals(last[0]);
                        last[0] = now;
                        return same;
                    });
            return last[0];
        }
    }

    private static boolean settled(ReplayTotals totals, String tenant, String signal, long received) {
        long accounted = totals.count(tenant, signal, "accepted");
        for (String reason : List.of("quota", "sampling", "policy", "age", "tail", "cardinality")) {
            accounted += totals.count(tenant, signal, "dropped." + reason);
        }
        return totals.count(tenant, signal, "received") == received && accounted == received;
    }

    private static ReplayTotals totals(List<ConsumerRecord<byte[], byte[]>> records) {
        List<byte[]> usage = new ArrayList<>();
        List<byte[]> audit = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            (record.topic().equals(TopicNames.USAGE) ? usage : audit).add(record.value());
        }
        return ReplayTotals.of(usage, audit);
    }
}
