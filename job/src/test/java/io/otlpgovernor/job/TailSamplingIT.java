package io.otlpgovernor.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.contract.testing.Telemetry;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.KafkaEdges;
import io.otlpgovernor.job.kafka.TopicLayout;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import io.otlpgovernor.rules.sampling.Threshold;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
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

/**
 * Tail sampling on a MiniCluster with RocksDB and checkpoints against an embedded broker. Each test sends a set of
 * traces in two requests (the second with one more span per trace, an error in every third trace, and one log
 * record per trace) and checks that exactly the traces the rules keep come out, each once and whole, their logs
 * with them: errors are kept, and the others iff their randomness reaches the one-in-ten threshold.
 */
class TailSamplingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int TRACES = 30;
    private static final long T_ONE_IN_TEN = Threshold.fromProbability(0.1).value();

    @TempDir
    Path workDir;

    private EmbeddedKafkaBroker broker;
    private JobClient job;
    private long traceBase;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start(workDir.resolve("kafka"), 0);
        JobHarness.createTopics(broker, 1);
        traceBase = System.nanoTime() & 0xffff_ffffL;
    }

    @AfterEach
    void stop() throws Exception {
        JobHarness.cancelAndClose(job, broker);
    }

    @Test
    void aTraceWhoseSpansArriveInTwoRequestsIsDecidedOnceAndWholeWithItsLogs() throws Exception {
        JobSettings settings = settings();
        job = start(settings.flinkConfiguration(), settings, null);
        try (KafkaProducer<byte[], byte[]> producer = JobHarness.producer(broker)) {
            sendFirstHalves(producer, "durable");
            // The second request once the first has been read and checkpointed (a second or more later; the
            // tenant's 10 s wait leaves room for a slow first checkpoint).
            await().atMost(TIMEOUT)
                    .until(() -> JobHarness.consumedEverything(
                            broker, settings.kafka().consumerGroup()));
            sendSecondHalves(producer, "durable");
        }
        expectExactlyTheKeptTraces("durable");
    }

    @Test
    void aTraceInFlightAcrossAStopWithSavepointAndRestoreIsDecidedOnceAndWhole() throws Exception {
        JobSettings settings = settings();
        job = start(settings.flinkConfiguration(), settings, null);
        String savepoint;
        try (KafkaProducer<byte[], byte[]> producer = JobHarness.producer(broker)) {
            sendFirstHalves(producer, "patient");
            await().atMost(TIMEOUT)
                    .until(() -> JobHarness.consumedEverything(
                            broker, settings.kafka().consumerGroup()));
            sendSecondHalves(producer, "patient");
            await().atMost(TIMEOUT)
                    .until(() -> JobHarness.consumedEverything(
                            broker, settings.kafka().consumerGroup()));
            // Every piece is buffered, none decided (the wait is 30 s): the savepoint holds the traces in flight.
            savepoint = JobHarness.stopWithSavepoint(job, workDir.resolve("savepoints"));
            job = null;
            try (CommittedTopicReader governed =
                    new CommittedTopicReader(broker.bootstrapServers(), TopicLayout.governedTopics())) {
                assertThat(governed.poll())
                        .as("no trace was decided before the savepoint")
                        .isEmpty();
            }

            Configuration restored = settings.flinkConfiguration();
            restored.setString("execution.savepoint.path", savepoint);
            job = start(restored, settings, null);
        }
        expectExactlyTheKeptTraces("patient");
    }

    @Test
    void tracesInFlightAcrossRescalingOneToTwoToOneThroughSavepointsAreDecidedOnceAndWhole() throws Exception {
        JobSettings settings = settings();
        job = start(withParallelism(settings.flinkConfiguration(), 1, null), settings, null);
        try (KafkaProducer<byte[], byte[]> producer = JobHarness.producer(broker)) {
            sendFirstHalves(producer, "patient");
            await().atMost(TIMEOUT)
                    .until(() -> JobHarness.consumedEverything(
                            broker, settings.kafka().consumerGroup()));
            String first = stopWithSavepoint("one");
            job = start(withParallelism(settings.flinkConfiguration(), 2, first), settings, null);
            sendSecondHalves(producer, "patient");
            await().atMost(TIMEOUT)
                    .until(() -> JobHarness.consumedEverything(
                            broker, settings.kafka().consumerGroup()));
            String second = stopWithSavepoint("two");
            job = start(withParallelism(settings.flinkConfiguration(), 1, second), settings, null);
        }
        expectExactlyTheKeptTraces("patient");
    }

    private static Configuration withParallelism(Configuration configuration, int parallelism, String savepoint) {
        configuration.set(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM, parallelism);
        if (savepoint != null) {
            configuration.setString("execution.savepoint.path", savepoint);
        }
        return configuration;
    }

    /** Stops the job with a savepoint, and checks nothing was decided yet (the traces are in flight in it). */
    private String stopWithSavepoint(String name) throws Exception {
        String savepoint = JobHarness.stopWithSavepoint(job, workDir.resolve("savepoints-" + name));
        job = null;
        try (CommittedTopicReader governed =
                new CommittedTopicReader(broker.bootstrapServers(), TopicLayout.governedTopics())) {
            assertThat(governed.poll())
                    .as("no trace was decided before savepoint %s", name)
                    .isEmpty();
        }
        return savepoint;
    }

    @Test
    void aTraceInFlightWhenTheJobFailsIsDecidedOnceAndWholeAfterRecovery() throws Exception {
        JobSettings settings = settings();
        GovernorJobIT.FailOnceAfterCheckpoint.reset(1); // the first span request is offset 0, the second 1
        job = start(settings.flinkConfiguration(), settings, new GovernorJobIT.FailOnceAfterCheckpoint());
        try (KafkaProducer<byte[], byte[]> producer = JobHarness.producer(broker)) {
            sendFirstHalves(producer, "patient");
            // Its offset is committed with a checkpoint, so the first halves are in checkpointed state.
            await().atMost(TIMEOUT)
                    .until(() -> JobHarness.consumedEverything(
                            broker, settings.kafka().consumerGroup()));
            sendSecondHalves(producer, "patient");
            await().atMost(TIMEOUT).untilTrue(GovernorJobIT.FailOnceAfterCheckpoint.FAILED);
        }
        expectExactlyTheKeptTraces("patient");
    }

    @Test
    void tracesOnlyTheRateLimitWouldKeepAreAdmittedWholeUpToTheServiceRateAndErrorsAlways() throws Exception {
        JobSettings settings = settings();
        job = start(settings.flinkConfiguration(), settings, null);
        // Tenant limited: 10 spans a second for service checkout, errors always. 40 traces of two spans, every
        // tenth with an error, all decided within about a second: the bucket (one second's worth) admits 5 of the
        // others, a few more if the decisions spread over more time — never all 36.
        int traces = 40;
        long now = System.currentTimeMillis();
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < traces; i++) {
            Span.Builder root = Telemetry.span(trace(i), "r" + i + "-a", now).toBuilder();
            if (i % 10 == 0) {
                root.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
            }
            spans.add(root.build());
            spans.add(Telemetry.span(trace(i), "r" + i + "-b", now).toBuilder()
                    .setParentSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 1, 1, 1, 1, 1, 1, 1}))
                    .build());
        }
        try (KafkaProducer<byte[], byte[]> producer = JobHarness.producer(broker)) {
            send(
                    producer,
                    Signal.SPANS.inputTopic(),
                    "limited",
                    Telemetry.spans(spans).toByteArray());
        }

        try (CommittedTopicReader governed =
                        new CommittedTopicReader(broker.bootstrapServers(), TopicLayout.governedTopics());
                CommittedTopicReader reports = new CommittedTopicReader(
                        broker.bootstrapServers(), List.of(TopicNames.USAGE, TopicNames.AUDIT))) {
            // Every span is accounted for: written, or dropped by tail sampling.
            await().atMost(TIMEOUT).untilAsserted(() -> {
                long written = names(governed.poll(), "limited", true).size();
                long dropped = Reports.usage(Reports.documents(reports.poll()), "limited", "spans", "dropped/tail");
                assertThat(written + dropped).isEqualTo(2L * traces);
            });
            List<String> written = names(governed.poll(), "limited", true);
            Map<String, Long> spansPerTrace = written.stream()
                    .collect(
                            Collectors.groupingBy(name -> name.substring(0, name.indexOf('-')), Collectors.counting()));
            assertThat(spansPerTrace)
                    .as("admitted whole")
                    .allSatisfy((trace, count) -> assertThat(count).isEqualTo(2));
            assertThat(spansPerTrace).containsKeys("r0", "r10", "r20", "r30");
            long admittedByLimit = spansPerTrace.size() - 4;
            assertThat(admittedByLimit).as("traces the rate limit admitted").isBetween(1L, 15L);
            // Audit windows close after the usage minutes may have: wait for them too.
            await().atMost(TIMEOUT).untilAsserted(() -> {
                List<JsonNode> documents = Reports.documents(reports.poll());
                assertThat(Reports.audited(documents, "limited", "ten-spans-a-second", "tail-keep"))
                        .isEqualTo(2 * admittedByLimit);
                assertThat(Reports.audited(documents, "limited", "ten-spans-a-second", "tail-drop"))
                        .isEqualTo(2 * (traces - 4 - admittedByLimit));
                assertThat(Reports.audited(documents, "limited", "errors", "tail-keep"))
                        .isEqualTo(8);
            });
        }
    }

    private JobSettings settings() {
        return JobHarness.fastSettings(broker, workDir.resolve("checkpoints"), workDir.resolve("rules"));
    }

    private JobClient start(
            Configuration configuration,
            JobSettings settings,
            org.apache.flink.api.common.functions.MapFunction<
                            io.otlpgovernor.rules.pipeline.model.InputRecord,
                            io.otlpgovernor.rules.pipeline.model.InputRecord>
                    tap)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(configuration);
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

    private long trace(int i) {
        return traceBase * 1000 + i;
    }

    private boolean kept(int i) {
        long randomness = java.nio.ByteBuffer.wrap(Telemetry.traceId(trace(i)).toByteArray())
                        .getLong(8)
                & 0x00ff_ffff_ffff_ffffL;
        return i % 3 == 0 || randomness >= T_ONE_IN_TEN;
    }

    /** Two spans per trace, the root among them, in one request. */
    private void sendFirstHalves(KafkaProducer<byte[], byte[]> producer, String tenant) throws Exception {
        long now = System.currentTimeMillis();
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < TRACES; i++) {
            spans.add(Telemetry.span(trace(i), "t" + i + "-a", now));
            spans.add(Telemetry.span(trace(i), "t" + i + "-b", now).toBuilder()
                    .setParentSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 1, 1, 1, 1, 1, 1, 1}))
                    .build());
        }
        send(producer, Signal.SPANS.inputTopic(), tenant, Telemetry.spans(spans).toByteArray());
    }

    /** One more span per trace (an error in every third trace), and one log record per trace. */
    private void sendSecondHalves(KafkaProducer<byte[], byte[]> producer, String tenant) throws Exception {
        long now = System.currentTimeMillis();
        List<Span> spans = new ArrayList<>();
        ScopeLogs.Builder logs = ScopeLogs.newBuilder();
        for (int i = 0; i < TRACES; i++) {
            Span.Builder span = Telemetry.span(trace(i), "t" + i + "-c", now).toBuilder()
                    .setParentSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 1, 1, 1, 1, 1, 1, 1}));
            if (i % 3 == 0) {
                span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
            }
            spans.add(span.build());
            logs.addLogRecords(LogRecord.newBuilder()
                    .setTraceId(Telemetry.traceId(trace(i)))
                    .setTimeUnixNano(now * 1_000_000)
                    .setBody(io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                            .setStringValue("log-" + i)));
        }
        send(producer, Signal.SPANS.inputTopic(), tenant, Telemetry.spans(spans).toByteArray());
        send(
                producer,
                Signal.LOGS.inputTopic(),
                tenant,
                ExportLogsServiceRequest.newBuilder()
                        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(logs))
                        .build()
                        .toByteArray());
    }

    /**
     * Waits until the governed topics hold exactly the kept traces' spans and logs, and checks that this stays so
     * for a few checkpoint intervals (a trace decided twice would show up as duplicates).
     */
    private void expectExactlyTheKeptTraces(String tenant) {
        List<String> expectedSpans = new ArrayList<>();
        List<String> expectedLogs = new ArrayList<>();
        for (int i = 0; i < TRACES; i++) {
            if (kept(i)) {
                expectedSpans.addAll(List.of("t" + i + "-a", "t" + i + "-b", "t" + i + "-c"));
                expectedLogs.add("log-" + i);
            }
        }
        assertThat(expectedSpans).hasSizeGreaterThanOrEqualTo(30);
        try (CommittedTopicReader governed =
                new CommittedTopicReader(broker.bootstrapServers(), TopicLayout.governedTopics())) {
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(names(governed.poll(), tenant, true)).containsExactlyInAnyOrderElementsOf(expectedSpans);
                assertThat(names(governed.poll(), tenant, false)).containsExactlyInAnyOrderElementsOf(expectedLogs);
            });
            await().during(Duration.ofSeconds(2))
                    .atMost(TIMEOUT)
                    .untilAsserted(() ->
                            assertThat(names(governed.poll(), tenant, true)).hasSameSizeAs(expectedSpans));
            // Whole: each trace in one record per signal, with all its spans.
            for (ConsumerRecord<byte[], byte[]> record : governed.poll()) {
                if (record.topic().startsWith("governed_spans")) {
                    List<String> spans = spanNames(record);
                    assertThat(new TreeSet<>(spans.stream()
                                    .map(n -> n.substring(0, n.indexOf('-')))
                                    .toList()))
                            .as("one trace per record")
                            .hasSize(1);
                    assertThat(spans).hasSize(3);
                }
            }
        }
    }

    private static List<String> names(List<ConsumerRecord<byte[], byte[]>> records, String tenant, boolean spans) {
        List<String> names = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!tenant.equals(header(record, RecordHeaders.TENANT))) {
                continue;
            }
            if (spans && record.topic().startsWith("governed_spans")) {
                names.addAll(spanNames(record));
            } else if (!spans && record.topic().startsWith("governed_logs")) {
                try {
                    for (ResourceLogs resource :
                            ExportLogsServiceRequest.parseFrom(record.value()).getResourceLogsList()) {
                        for (ScopeLogs scope : resource.getScopeLogsList()) {
                            scope.getLogRecordsList()
                                    .forEach(log -> names.add(log.getBody().getStringValue()));
                        }
                    }
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return names;
    }

    private static List<String> spanNames(ConsumerRecord<byte[], byte[]> record) {
        List<String> names = new ArrayList<>();
        try {
            for (ResourceSpans resource :
                    ExportTraceServiceRequest.parseFrom(record.value()).getResourceSpansList()) {
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    scope.getSpansList().forEach(span -> names.add(span.getName()));
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        return names;
    }
}
