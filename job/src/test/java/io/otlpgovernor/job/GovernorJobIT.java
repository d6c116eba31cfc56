package io.otlpgovernor.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.contract.testing.Telemetry;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.KafkaEdges;
import io.otlpgovernor.job.kafka.TopicLayout;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import io.otlpgovernor.rules.pipeline.model.InputRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.otlpgovernor.job.JobHarness.header;
import static io.otlpgovernor.job.JobHarness.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The job on a Flink MiniCluster with RocksDB and checkpoints, against an embedded KRaft broker. */
class GovernorJobIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path workDir;

    private EmbeddedKafkaBroker broker;
    private JobClient job;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start(workDir.resolve("kafka"), 0);
    }

    @AfterEach
    void stop() throws Exception {
        JobHarness.cancelAndClose(job, broker);
    }

    @Test
    void deadLettersMalformedRecordsWhileGoodRecordsKeepFlowing() throws Exception {
        JobHarness.createTopics(broker, 2);
        JobSettings settings =
                JobHarness.fastSettings(broker, workDir.resolve("checkpoints"), workDir.resolve("rules"));
        job = start(settings, null);

        try (KafkaProducer<byte[], byte[]> producer = JobHarness.producer(broker)) {
            long now = System.currentTimeMillis();
            send(
                    producer,
                    Signal.SPANS.inputTopic(),
                    "shop",
                    Telemetry.spans("good", 3, now).toByteArray());
            send(producer, Signal.SPANS.inputTopic(), "shop", "this is not protobuf".getBytes());
            send(
                    producer,
                    Signal.LOGS.inputTopic(),
                    null,
                    Telemetry.logs("orphan", 2, now).toByteArray());
            send(producer, Signal.SPANS.inputTopic(), "shop", shortTraceId().toByteArray());
            send(
                    producer,
                    Signal.METRICS.inputTopic(),
                    "Not A Tenant!",
                    Telemetry.gauge("cpu", 2, now).toByteArray());
            send(
                    producer,
                    Signal.METRICS.inputTopic(),
                    "metered",
                    Telemetry.gauge("cpu", 4, now).toByteArray());
            send(
                    producer,
                    Signal.LOGS.inputTopic(),
                    "stranger",
                    Telemetry.logs("no rules", 1, now).toByteArray());
        }

        try (CommittedTopicReader governed = new CommittedTopicReader(broker.bootstrapServers(), governedTopics());
                CommittedTopicReader deadLetters =
                        new CommittedTopicReader(broker.bootstrapServers(), List.of(TopicNames.DEAD_LETTER))) {
            await().atMost(TIMEOUT)
                    .until(() ->
                            governed.poll().size() >= 2 && deadLetters.poll().size() >= 5);
            await().atMost(TIMEOUT)
                    .until(() -> JobHarness.consumedEverything(
                            broker, settings.kafka().consumerGroup()));
            List<ConsumerRecord<byte[], byte[]>> good = governed.poll();
            List<ConsumerRecord<byte[], byte[]>> bad = deadLetters.poll();

            assertThat(good)
                    .extracting(r -> r.topic() + "/" + header(r, RecordHeaders.TENANT))
                    .containsExactlyInAnyOrder("governed_spans_standard/shop", "governed_metrics_standard/metered");
            assertThat(bad)
                    .extracting(r -> header(r, RecordHeaders.DEAD_LETTER_REASON))
                    .satisfiesExactlyInAnyOrder(
                            reason -> assertThat(reason).startsWith("not a valid ExportTraceServiceRequest"),
                            reason -> assertThat(reason).isEqualTo("header 'tenant': tenant id is missing"),
                            reason -> assertThat(reason)
                                    .isEqualTo(
                                            "resource_spans[0].scope_spans[0].spans[1].trace_id: must be 16 bytes, got 5"),
                            reason -> assertThat(reason)
                                    .startsWith("header 'tenant': tenant id is malformed")
                                    .doesNotContain("Not A Tenant"),
                            reason -> assertThat(reason).isEqualTo("tenant stranger has no rule set"));
            ConsumerRecord<byte[], byte[]> garbage = bad.stream()
                    .filter(r -> header(r, RecordHeaders.DEAD_LETTER_REASON).startsWith("not a valid"))
                    .findFirst()
                    .orElseThrow();
            assertThat(garbage.value()).isEqualTo("this is not protobuf".getBytes());
            assertThat(header(garbage, RecordHeaders.SOURCE_TOPIC)).isEqualTo("otlp_spans");
            assertThat(header(garbage, RecordHeaders.TENANT)).isEqualTo("shop");
            assertThat(header(garbage, RecordHeaders.SOURCE_OFFSET)).matches("\\d+");
        }
    }

    @Test
    void deliversEveryItemExactlyOnceAcrossAFailureAfterACheckpoint() throws Exception {
        JobHarness.createTopics(broker, 1);
        JobSettings settings =
                JobHarness.fastSettings(broker, workDir.resolve("checkpoints"), workDir.resolve("rules"));
        int requestsPerBatch = 20;
        int spansPerRequest = 5;
        FailOnceAfterCheckpoint.reset(requestsPerBatch);
        job = start(settings, new FailOnceAfterCheckpoint());

        List<String> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = JobHarness.producer(broker);
                CommittedTopicReader governed = new CommittedTopicReader(broker.bootstrapServers(), governedTopics())) {
            sendBatch(producer, requestsPerBatch, spansPerRequest, sent);
            // The first batch is visible only once a checkpoint has completed and committed its transaction.
            await().atMost(TIMEOUT).until(() -> governed.poll().size() >= requestsPerBatch);
            sendBatch(producer, requestsPerBatch, spansPerRequest, sent);

            await().atMost(TIMEOUT).untilTrue(FailOnceAfterCheckpoint.FAILED);
            await().atMost(TIMEOUT).until(() -> governed.poll().size() >= 2 * requestsPerBatch);
            await().atMost(TIMEOUT)
                    .until(() -> JobHarness.consumedEverything(
                            broker, settings.kafka().consumerGroup()));

            List<String> received =
                    governed.poll().stream().flatMap(GovernorJobIT::spanNames).toList();
            assertThat(received).hasSize(sent.size()).containsExactlyInAnyOrderElementsOf(sent);
        }
        // Usage and audit went through the same failure: their sums are exact too.
        try (CommittedTopicReader reports =
                new CommittedTopicReader(broker.bootstrapServers(), List.of(TopicNames.USAGE, TopicNames.AUDIT))) {
            // Received and accepted counts come from different operators and may land in different documents.
            await().atMost(TIMEOUT).until(() -> {
                List<JsonNode> usage = Reports.documents(usage(reports.poll()));
                List<JsonNode> audit = Reports.documents(audit(reports.records()));
                return Reports.usage(usage, "shop", "spans", "received") >= sent.size()
                        && Reports.usage(usage, "shop", "spans", "accepted") >= sent.size()
                        && Reports.audited(audit, "shop", "email", "redact") >= sent.size()
                        && Reports.audited(audit, "shop", "default", "route") >= sent.size();
            });
            List<JsonNode> usage = Reports.documents(usage(reports.poll()));
            List<JsonNode> audit = Reports.documents(audit(reports.records()));
            assertThat(Reports.usage(usage, "shop", "spans", "received")).isEqualTo(sent.size());
            assertThat(Reports.usage(usage, "shop", "spans", "accepted")).isEqualTo(sent.size());
            assertThat(Reports.usage(usage, "shop", "spans", "tiers/standard/items"))
                    .isEqualTo(sent.size());
            assertThat(Reports.audited(audit, "shop", "email", "redact")).isEqualTo(sent.size());
            assertThat(Reports.audited(audit, "shop", "default", "route")).isEqualTo(sent.size());
        }
        assertThat(incrementalRocksDbFiles(workDir.resolve("checkpoints")))
                .as("RocksDB incremental checkpoints upload SST files to the shared directory")
                .isNotEmpty();
    }

    private JobClient start(JobSettings settings, MapFunction<InputRecord, InputRecord> tap) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(settings.flinkConfiguration());
        GovernorJob governorJob = GovernorJob.onKafka(settings);
        if (tap == null) {
            return governorJob.start(env, settings.jobName());
        }
        governorJob.attach(
                env.fromSource(KafkaEdges.inputSource(settings), WatermarkStrategy.noWatermarks(), "Kafka source")
                        .uid(GovernorJob.SOURCE_UID)
                        .map(tap)
                        .uid("failure-injector"));
        return env.executeAsync(settings.jobName());
    }

    private static void sendBatch(KafkaProducer<byte[], byte[]> producer, int requests, int spans, List<String> sent)
            throws Exception {
        for (int i = 0; i < requests; i++) {
            ExportTraceServiceRequest request =
                    Telemetry.spans("span", spans, System.currentTimeMillis(), "user.email", "someone@example.com");
            send(producer, Signal.SPANS.inputTopic(), "shop", request.toByteArray());
            request.getResourceSpans(0).getScopeSpans(0).getSpansList().forEach(s -> sent.add(s.getName()));
        }
    }

    private static Stream<String> spanNames(ConsumerRecord<byte[], byte[]> record) {
        try {
            return ExportTraceServiceRequest.parseFrom(record.value()).getResourceSpansList().stream()
                    .flatMap(r -> r.getScopeSpansList().stream())
                    .flatMap(s -> s.getSpansList().stream())
                    .map(Span::getName);
        } catch (IOException e) {
            throw new AssertionError("governed record is not an ExportTraceServiceRequest", e);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> usage(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().filter(r -> r.topic().equals(TopicNames.USAGE)).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> audit(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().filter(r -> r.topic().equals(TopicNames.AUDIT)).toList();
    }

    private static List<String> governedTopics() {
        return TopicLayout.governedTopics();
    }

    private static ExportTraceServiceRequest shortTraceId() {
        ExportTraceServiceRequest.Builder request =
                Telemetry.spans("bad-id", 2, System.currentTimeMillis()).toBuilder();
        request.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(1)
                .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[5]));
        return request.build();
    }

    private static List<Path> incrementalRocksDbFiles(Path checkpoints) throws IOException {
        try (Stream<Path> files = Files.walk(checkpoints)) {
            return files.filter(p -> p.getParent() != null
                            && p.getParent().getFileName().toString().equals("shared"))
                    .filter(Files::isRegularFile)
                    .toList();
        }
    }

    /**
     * Throws once, on the first record at or past a given offset that it sees after a checkpoint has completed;
     * the job then restarts from that checkpoint. State is static because the MiniCluster runs in this JVM and
     * the restarted task is a new instance.
     */
    static final class FailOnceAfterCheckpoint implements MapFunction<InputRecord, InputRecord>, CheckpointListener {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        private static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
        private static volatile long failAtOffset;

        static void reset(long offset) {
            FAILED.set(false);
            CHECKPOINTED.set(false);
            failAtOffset = offset;
        }

        @Override
        public InputRecord map(InputRecord record) {
            if (CHECKPOINTED.get() && record.offset() >= failAtOffset && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at offset " + record.offset());
            }
            return record;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTED.set(true);
        }
    }
}
