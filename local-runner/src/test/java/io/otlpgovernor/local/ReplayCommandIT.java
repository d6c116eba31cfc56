package io.otlpgovernor.local;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.testing.Telemetry;
import io.otlpgovernor.job.kafka.TopicLayout;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import io.otlpgovernor.local.replay.ReplayCommand;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code rules replay} against an embedded broker holding five minutes-old history of demo tenant {@code acme}
 * (200 spans in one second), with the shipped rules as the baseline and a candidate that cuts acme's rate to 50
 * spans per second: the table, the JSON report and the replay topic say so; mistakes are one line with status 2.
 */
class ReplayCommandIT {

    private static final Path SHIPPED = Path.of("../governance-rules/rules");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    private static EmbeddedKafkaBroker broker;
    private static long sentAt;
    private static Path keys;
    private static Path candidate;

    @BeforeAll
    static void writeHistory() throws Exception {
        broker = EmbeddedKafkaBroker.start(workDir.resolve("kafka"), 0);
        broker.createTopics(TopicLayout.topics(1, 1, (short) 1));
        keys = LocalHmacKeys.ensure(
                Files.createDirectories(workDir.resolve("data")), Set.of("acme", "globex", "paynow"));
        candidate = Files.createDirectories(workDir.resolve("candidate/tenants"));
        Files.writeString(
                candidate.resolve("acme.yaml"),
                Files.readString(SHIPPED.resolve("tenants/acme.yaml"))
                        .replaceFirst("per-second: \\d+", "per-second: 50")
                        .replaceFirst("burst: \\d+", "burst: 50")
                        .replaceFirst("version: (\\d+)", "version: 99"));
        sentAt = System.currentTimeMillis() - 5 * 60_000;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                java.util.Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(
                                Signal.SPANS.inputTopic(),
                                null,
                                sentAt + i * 10,
                                null,
                                Telemetry.spans("order", 50, sentAt).toByteArray(),
                                List.of(new RecordHeader(
                                        RecordHeaders.TENANT, "acme".getBytes(StandardCharsets.UTF_8)))))
                        .get();
            }
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void showsWritesAndPublishesWhatTheCandidateWouldChange() throws Exception {
        Path report = workDir.resolve("report.json");
        Result result = run("--from", "-10m", "--tenant", "acme", "--output", report.toString(), "--parallelism", "1");

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("tenant acme")
                .contains("* spans dropped.quota")
                .contains("* quota-drops");
        JsonNode json = JSON.readTree(report.toFile());
        assertThat(json.path("type").asText()).isEqualTo("replay-report");
        JsonNode spans = json.at("/tenants/acme/spans");
        assertThat(spans.at("/received/baseline").asLong()).isEqualTo(200);
        assertThat(spans.at("/received/candidate").asLong()).isEqualTo(200);
        // acme downsamples over quota: at 50 spans/s, about three in four of the 200 are dropped or sampled out.
        assertThat(spans.at("/dropped.quota/baseline").asLong()).isZero();
        assertThat(spans.at("/dropped.quota/candidate").asLong()).isBetween(100L, 160L);
        try (CommittedTopicReader reader =
                new CommittedTopicReader(broker.bootstrapServers(), List.of(ReplayCommand.REPLAY_TOPIC))) {
            List<ConsumerRecord<byte[], byte[]>> published = new ArrayList<>();
            await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                published.clear();
                published.addAll(reader.poll());
                return !published.isEmpty();
            });
            assertThat(new String(published.get(0).key(), StandardCharsets.UTF_8))
                    .isEqualTo("acme");
        }
    }

    @Test
    void mistakesAreOneLineWithStatusTwo() {
        assertMistake(run("--from", "yesterday"), "--from yesterday: expected a time such as");
        assertMistake(run("--from", "-1h", "--to", "-2h"), "empty range: --from");
        assertMistake(run("--from", "-1h", "--tenant", "initech"), "unknown tenant 'initech'");
        assertMistake(run("--from", "-3d", "--to", "-2d"), "before the oldest record the input topics still hold");
    }

    private static void assertMistake(Result result, String message) {
        assertThat(result.status()).as(result.err()).isEqualTo(2);
        assertThat(result.err().lines())
                .singleElement()
                .asString()
                .startsWith("otlp-governor rules replay: ")
                .contains(message);
    }

    private record Result(int status, String out, String err) {}

    private static Result run(String... options) {
        List<String> args = new ArrayList<>(List.of(
                "replay",
                "--bootstrap",
                broker.bootstrapServers(),
                "--baseline",
                SHIPPED.toString(),
                "--rules",
                candidate.getParent().toString(),
                "--hmac-keys",
                keys.toString()));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = RulesMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args.toArray(String[]::new));
        return new Result(status, out.toString(), err.toString());
    }
}
