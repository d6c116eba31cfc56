package io.otlpgovernor.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.contract.testing.Telemetry;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.TopicLayout;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.otlpgovernor.job.JobHarness.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad data end to end: malformed and hostile records, interleaved with good ones, on the job with RocksDB and
 * checkpoints against an embedded broker. Each bad record must end in the dead-letter topic with its reason, or be
 * governed normally where it is valid OTLP after all; every good record must be governed exactly once; and the job,
 * run without restarts, must still be running — a record that fails a task would fail the job.
 */
class BadDataIT {

    /** Generous: on a busy 2-core machine the whole run, 3 MiB request included, has taken up to two minutes. */
    private static final Duration TIMEOUT = Duration.ofSeconds(240);

    private static final String TENANT = "shop";
    private static final int HUGE = 3 * 1024 * 1024;
    private static final int DEEP = 1_500;
    private static final int GOVERNED_TOPIC_MAX_BYTES = 256 * 1024;
    private static final int MAX_RECORD_BYTES = 200 * 1024;

    @TempDir
    Path workDir;

    private EmbeddedKafkaBroker broker;
    private JobClient job;

    /** What should become of a record. */
    private sealed interface Outcome permits Governed, DeadLettered {}

    /** Governed: its items are found in the governed topics by these markers (span names, log bodies, metric names). */
    private record Governed(List<String> markers) implements Outcome {}

    /** Dead-lettered with a reason that starts with this text. */
    private record DeadLettered(String reasonStart) implements Outcome {}

    private record Case(
            String name, Signal signal, byte[] tenantHeader, byte[] value, Long timestamp, Outcome outcome) {}

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start(workDir.resolve("kafka"), 0);
    }

    @AfterEach
    void stop() throws Exception {
        JobHarness.cancelAndClose(job, broker);
    }

    @Test
    void deadLettersOrGovernsEveryBadRecordAndGovernsEveryGoodOneOnceWithoutARestart() throws Exception {
        broker.createTopics(topicsWithSmallGovernedRecords());
        JobSettings settings = withSmallRecordsWithoutRestarts(
                JobHarness.fastSettings(broker, workDir.resolve("checkpoints"), workDir.resolve("rules")));
        Configuration flink = settings.flinkConfiguration();
        // Without restarts, only data can fail the job here: a checkpoint that a busy machine lets expire must not.
        flink.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, Integer.MAX_VALUE);
        job = GovernorJob.onKafka(settings)
                .start(StreamExecutionEnvironment.createLocalEnvironment(flink), settings.jobName());

        List<Case> cases = interleaved(goodCases(), badCases());
        Map<Case, RecordMetadata> written = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Case c : cases) {
                written.put(c, send(producer, c));
            }
        }

        try (CommittedTopicReader governed =
                        new CommittedTopicReader(broker.bootstrapServers(), TopicLayout.governedTopics());
                CommittedTopicReader deadLetters =
                        new CommittedTopicReader(broker.bootstrapServers(), List.of(TopicNames.DEAD_LETTER))) {
            long expectedDeadLetters = cases.stream()
                    .filter(c -> c.outcome() instanceof DeadLettered)
                    .count();
            List<String> expectedMarkers = cases.stream()
                    .filter(c -> c.outcome() instanceof Governed)
                    .flatMap(c -> ((Governed) c.outcome()).markers().stream())
                    .toList();
            // Each condition names what is missing when the wait times out; a job that ended stops the wait at once.
            await().atMost(TIMEOUT)
                    .failFast(() -> JobHarness.assertRunning(job))
                    .untilAsserted(() -> {
                        assertThat(markers(governed.poll()))
                                .as("governed items")
                                .containsAll(expectedMarkers);
                        assertThat(deadLetters.poll().size()).as("dead letters").isGreaterThanOrEqualTo((int)
                                expectedDeadLetters);
                        assertThat(JobHarness.consumedEverything(
                                        broker, settings.kafka().consumerGroup()))
                                .as("the job's committed offsets are at the end of the input topics")
                                .isTrue();
                    });

            assertThat(job.getJobStatus().get(5, TimeUnit.SECONDS))
                    .as("the job never failed")
                    .isEqualTo(JobStatus.RUNNING);
            assertThat(markers(governed.poll())).containsExactlyInAnyOrderElementsOf(expectedMarkers);
            assertThat(governed.poll())
                    .filteredOn(r -> markers(r).anyMatch(m -> m.startsWith("large-request-")))
                    .as("the request larger than a governed record, in parts that fit")
                    .hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(r -> assertThat(r.value().length).isLessThanOrEqualTo(MAX_RECORD_BYTES));
            List<ConsumerRecord<byte[], byte[]>> bad = deadLetters.poll();
            assertThat(bad).hasSize((int) expectedDeadLetters);
            for (Map.Entry<Case, RecordMetadata> entry : written.entrySet()) {
                if (entry.getKey().outcome() instanceof DeadLettered expected) {
                    assertDeadLettered(entry.getKey(), entry.getValue(), expected, bad);
                }
            }
        }
    }

    private static void assertDeadLettered(
            Case c, RecordMetadata at, DeadLettered expected, List<ConsumerRecord<byte[], byte[]>> bad) {
        ConsumerRecord<byte[], byte[]> letter = bad.stream()
                .filter(r -> at.topic().equals(header(r, RecordHeaders.SOURCE_TOPIC))
                        && Long.toString(at.offset()).equals(header(r, RecordHeaders.SOURCE_OFFSET))
                        && Integer.toString(at.partition()).equals(header(r, RecordHeaders.SOURCE_PARTITION)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(c.name() + " was not dead-lettered"));
        assertThat(header(letter, RecordHeaders.DEAD_LETTER_REASON))
                .as(c.name())
                .startsWith(expected.reasonStart());
        assertThat(letter.value()).as(c.name() + ": the original bytes").isEqualTo(c.value());
    }

    // ------------------------------------------------------------------------------------------------- cases

    private static List<Case> goodCases() {
        long now = System.currentTimeMillis();
        List<Case> good = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = "good-" + i;
            good.add(
                    switch (i % 3) {
                        case 0 -> spans(name, Telemetry.spans(name, 2, now));
                        case 1 -> logs(name, Telemetry.logs(name, 2, now));
                        default -> metrics(name, Telemetry.gauge(name, 2, now));
                    });
        }
        return good;
    }

    private static List<Case> badCases() {
        long now = System.currentTimeMillis();
        byte[] good = Telemetry.spans("truncated", 3, now).toByteArray();
        return List.of(
                new Case(
                        "random bytes",
                        Signal.SPANS,
                        tenant(TENANT),
                        randomBytes(),
                        null,
                        new DeadLettered("not a valid ExportTraceServiceRequest")),
                new Case(
                        "truncated protobuf",
                        Signal.SPANS,
                        tenant(TENANT),
                        Arrays.copyOf(good, good.length - 7),
                        null,
                        new DeadLettered("not a valid ExportTraceServiceRequest")),
                hugeAttribute(now),
                new Case(
                        "kvlist nested " + DEEP + " deep",
                        Signal.LOGS,
                        tenant(TENANT),
                        deeplyNestedLogBody(now),
                        null,
                        new DeadLettered(
                                "not a valid ExportLogsServiceRequest: Protocol message had too many levels of nesting")),
                new Case(
                        "array nested " + DEEP + " deep",
                        Signal.SPANS,
                        tenant(TENANT),
                        deeplyNestedSpanAttribute(now),
                        null,
                        new DeadLettered(
                                "not a valid ExportTraceServiceRequest: Protocol message had too many levels of nesting")),
                new Case(
                        "invalid UTF-8 in a span name",
                        Signal.SPANS,
                        tenant(TENANT),
                        invalidUtf8SpanName(now),
                        null,
                        new DeadLettered("not a valid ExportTraceServiceRequest: Protocol message had invalid UTF-8")),
                absurdSpanTimes(),
                absurdLogAndPointTimes(now),
                new Case(
                        "span trace id of 5 bytes",
                        Signal.SPANS,
                        tenant(TENANT),
                        spanWithIds(now, 5, 8),
                        null,
                        new DeadLettered(
                                "resource_spans[0].scope_spans[0].spans[0].trace_id: must be 16 bytes, got 5")),
                new Case(
                        "span id of 0 bytes",
                        Signal.SPANS,
                        tenant(TENANT),
                        spanWithIds(now, 16, 0),
                        null,
                        new DeadLettered("resource_spans[0].scope_spans[0].spans[0].span_id: must be 8 bytes, got 0")),
                new Case(
                        "log span id of 9 bytes",
                        Signal.LOGS,
                        tenant(TENANT),
                        logWithSpanId(now, 9),
                        null,
                        new DeadLettered(
                                "resource_logs[0].scope_logs[0].log_records[0].span_id: must be 8 bytes or empty, got 9")),
                new Case(
                        "no tenant header",
                        Signal.SPANS,
                        null,
                        Telemetry.spans("no-header", 1, now).toByteArray(),
                        null,
                        new DeadLettered("header 'tenant': tenant id is missing")),
                new Case(
                        "empty tenant header",
                        Signal.METRICS,
                        new byte[0],
                        Telemetry.gauge("empty-header", 1, now).toByteArray(),
                        null,
                        new DeadLettered("header 'tenant': tenant id is missing")),
                new Case(
                        "garbage tenant header",
                        Signal.LOGS,
                        new byte[] {(byte) 0xFF, 0, 's', 'h', 'o', 'p', (byte) 0xC3},
                        Telemetry.logs("garbage-header", 1, now).toByteArray(),
                        null,
                        new DeadLettered("header 'tenant': tenant id is malformed")),
                kafkaTimestampZero(now),
                largerThanAGovernedRecord(now));
    }

    /**
     * 600 KiB of incompressible attribute values over 600 spans: within the input topic's limit, but more than a
     * governed topic takes in one record. Governed in several records, each span once.
     */
    private static Case largerThanAGovernedRecord(long now) {
        Random random = new Random(20261128L);
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            byte[] noise = new byte[768];
            random.nextBytes(noise);
            spans.add(Telemetry.span(1_000 + i, "large-request-" + i, now).toBuilder()
                    .addAttributes(KeyValue.newBuilder()
                            .setKey("noise")
                            .setValue(AnyValue.newBuilder()
                                    .setStringValue(Base64.getEncoder().encodeToString(noise))))
                    .build());
        }
        ExportTraceServiceRequest request = Telemetry.spans(spans);
        return new Case(
                "600 KiB request, more than a governed record",
                Signal.SPANS,
                tenant(TENANT),
                request.toByteArray(),
                null,
                new Governed(spanNames(request)));
    }

    /** A 3 MiB string attribute: valid OTLP, governed like any other (the test producer compresses it below Kafka's limit). */
    private static Case hugeAttribute(long now) {
        String huge = "0123456789abcdef".repeat(HUGE / 16);
        ExportTraceServiceRequest request = Telemetry.spans("huge-attribute", 1, now, "payload", huge);
        return new Case(
                "3 MiB attribute",
                Signal.SPANS,
                tenant(TENANT),
                request.toByteArray(),
                null,
                new Governed(spanNames(request)));
    }

    /** Start time 0 and end time 2^64-1 ns (a negative long): valid OTLP; retention only ages items with a positive time. */
    private static Case absurdSpanTimes() {
        Span span = Telemetry.span(77, "absurd-span-times", 0).toBuilder()
                .setStartTimeUnixNano(0)
                .setEndTimeUnixNano(-1L)
                .build();
        ExportTraceServiceRequest request = Telemetry.spans(List.of(
                span,
                Telemetry.span(78, "absurd-span-max", 0).toBuilder()
                        .setStartTimeUnixNano(Long.MAX_VALUE)
                        .setEndTimeUnixNano(Long.MIN_VALUE)
                        .build()));
        return new Case(
                "span times 0, 2^63 and 2^64-1 ns",
                Signal.SPANS,
                tenant(TENANT),
                request.toByteArray(),
                null,
                new Governed(spanNames(request)));
    }

    /** Log time 2^63-1 ns (year 2262, as far as a signed 64-bit count reaches) and a data point at 0. */
    private static Case absurdLogAndPointTimes(long now) {
        ExportLogsServiceRequest.Builder logs = Telemetry.logs("absurd-log-time", 1, now).toBuilder();
        logs.getResourceLogsBuilder(0)
                .getScopeLogsBuilder(0)
                .getLogRecordsBuilder(0)
                .setTimeUnixNano(Long.MAX_VALUE)
                .setObservedTimeUnixNano(-1L);
        return new Case(
                "log time in 2262, observed 2^64-1 ns",
                Signal.LOGS,
                tenant(TENANT),
                logs.build().toByteArray(),
                null,
                new Governed(List.of("absurd-log-time")));
    }

    /**
     * A good request whose Kafka timestamp — the job's clock — is 1970: the bridge never writes one, another producer
     * could. Valid: governed, its usage counted in the minute of 1970.
     */
    private static Case kafkaTimestampZero(long now) {
        ExportTraceServiceRequest request = Telemetry.spans("kafka-time-zero", 1, now);
        return new Case(
                "Kafka timestamp 0",
                Signal.SPANS,
                tenant(TENANT),
                request.toByteArray(),
                0L,
                new Governed(spanNames(request)));
    }

    // ------------------------------------------------------------------------------------------------ builders

    private static Case spans(String name, ExportTraceServiceRequest request) {
        return new Case(
                name, Signal.SPANS, tenant(TENANT), request.toByteArray(), null, new Governed(spanNames(request)));
    }

    private static Case logs(String name, ExportLogsServiceRequest request) {
        List<String> bodies = request.getResourceLogs(0).getScopeLogs(0).getLogRecordsList().stream()
                .map(r -> r.getBody().getStringValue())
                .toList();
        return new Case(name, Signal.LOGS, tenant(TENANT), request.toByteArray(), null, new Governed(bodies));
    }

    private static Case metrics(String name, ExportMetricsServiceRequest request) {
        int points = request.getResourceMetrics(0)
                .getScopeMetrics(0)
                .getMetrics(0)
                .getGauge()
                .getDataPointsCount();
        return new Case(
                name,
                Signal.METRICS,
                tenant(TENANT),
                request.toByteArray(),
                null,
                new Governed(Collections.nCopies(points, name)));
    }

    private static List<String> spanNames(ExportTraceServiceRequest request) {
        return request.getResourceSpans(0).getScopeSpans(0).getSpansList().stream()
                .map(Span::getName)
                .toList();
    }

    private static byte[] tenant(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4096];
        new Random(20261127L).nextBytes(bytes);
        return bytes;
    }

    /**
     * A log whose body is a key-value list nested {@link #DEEP} levels — far past protobuf's limit of 100. Written on
     * the wire by hand: protobuf's own serializer recurses once per level and would overflow this thread's stack.
     */
    private static byte[] deeplyNestedLogBody(long now) {
        byte[] value = AnyValue.newBuilder().setStringValue("bottom").build().toByteArray();
        for (int i = 0; i < DEEP; i++) {
            byte[] keyValue = concat(
                    field(KeyValue.KEY_FIELD_NUMBER, "k".getBytes(StandardCharsets.UTF_8)),
                    field(KeyValue.VALUE_FIELD_NUMBER, value));
            value = field(AnyValue.KVLIST_VALUE_FIELD_NUMBER, field(KeyValueList.VALUES_FIELD_NUMBER, keyValue));
        }
        byte[] record = concat(
                Telemetry.logs("deep", 1, now).getResourceLogs(0).getScopeLogs(0).getLogRecords(0).toBuilder()
                        .clearBody()
                        .build()
                        .toByteArray(),
                field(LogRecord.BODY_FIELD_NUMBER, value));
        return field(
                ExportLogsServiceRequest.RESOURCE_LOGS_FIELD_NUMBER,
                field(ResourceLogs.SCOPE_LOGS_FIELD_NUMBER, field(ScopeLogs.LOG_RECORDS_FIELD_NUMBER, record)));
    }

    /** A span attribute that is an array nested {@link #DEEP} levels, written on the wire by hand as above. */
    private static byte[] deeplyNestedSpanAttribute(long now) {
        byte[] value = AnyValue.newBuilder().setStringValue("bottom").build().toByteArray();
        for (int i = 0; i < DEEP; i++) {
            value = field(AnyValue.ARRAY_VALUE_FIELD_NUMBER, field(ArrayValue.VALUES_FIELD_NUMBER, value));
        }
        byte[] attribute = concat(
                field(KeyValue.KEY_FIELD_NUMBER, "deep".getBytes(StandardCharsets.UTF_8)),
                field(KeyValue.VALUE_FIELD_NUMBER, value));
        byte[] span = concat(
                Telemetry.spans("deep-array", 1, now)
                        .getResourceSpans(0)
                        .getScopeSpans(0)
                        .getSpans(0)
                        .toByteArray(),
                field(Span.ATTRIBUTES_FIELD_NUMBER, attribute));
        return field(
                ExportTraceServiceRequest.RESOURCE_SPANS_FIELD_NUMBER,
                field(ResourceSpans.SCOPE_SPANS_FIELD_NUMBER, field(ScopeSpans.SPANS_FIELD_NUMBER, span)));
    }

    /** One length-delimited protobuf field. */
    private static byte[] field(int number, byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(content.length + 10);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeByteArray(number, content);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** A span named "café!" whose "é" loses its continuation byte: no longer UTF-8. */
    private static byte[] invalidUtf8SpanName(long now) {
        ExportTraceServiceRequest.Builder spans = Telemetry.spans("utf8", 1, now).toBuilder();
        spans.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(0)
                .setName("caf\u00e9!");
        byte[] bytes = spans.build().toByteArray();
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == (byte) 0xC3 && bytes[i + 1] == (byte) 0xA9) {
                bytes[i + 1] = '(';
            }
        }
        return bytes;
    }

    private static byte[] spanWithIds(long now, int traceIdBytes, int spanIdBytes) {
        ExportTraceServiceRequest.Builder spans = Telemetry.spans("ids", 1, now).toBuilder();
        spans.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(0)
                .setTraceId(ByteString.copyFrom(new byte[traceIdBytes]))
                .setSpanId(ByteString.copyFrom(new byte[spanIdBytes]));
        return spans.build().toByteArray();
    }

    private static byte[] logWithSpanId(long now, int spanIdBytes) {
        ExportLogsServiceRequest.Builder logs = Telemetry.logs("log-ids", 1, now).toBuilder();
        logs.getResourceLogsBuilder(0)
                .getScopeLogsBuilder(0)
                .getLogRecordsBuilder(0)
                .setSpanId(ByteString.copyFrom(new byte[spanIdBytes]));
        return logs.build().toByteArray();
    }

    /** Good and bad records alternate, so a bad record that disturbed the job would be followed by good ones. */
    private static List<Case> interleaved(List<Case> good, List<Case> bad) {
        List<Case> all = new ArrayList<>();
        for (int i = 0; i < Math.max(good.size(), bad.size()); i++) {
            if (i < good.size()) {
                all.add(good.get(i));
            }
            if (i < bad.size()) {
                all.add(bad.get(i));
            }
        }
        return all;
    }

    // ------------------------------------------------------------------------------------------------- Kafka

    /**
     * The governed topics take records of at most {@link #GOVERNED_TOPIC_MAX_BYTES} (compressed), the input topics
     * Kafka's default of 1 MiB: a request that fits the input may not fit a governed topic whole.
     */
    private static List<NewTopic> topicsWithSmallGovernedRecords() {
        List<NewTopic> topics = TopicLayout.topics(2, 1, (short) 1);
        for (NewTopic topic : topics) {
            if (TopicLayout.governedTopics().contains(topic.name())) {
                Map<String, String> configs = new HashMap<>(topic.configs());
                configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(GOVERNED_TOPIC_MAX_BYTES));
                topic.configs(configs);
            }
        }
        return topics;
    }

    /** No restarts: a record that failed a task would fail the job. Governed records that fit the governed topics. */
    private static JobSettings withSmallRecordsWithoutRestarts(JobSettings settings) {
        JobSettings.Kafka kafka = settings.kafka();
        return new JobSettings(
                settings.jobName(),
                settings.parallelism(),
                settings.maxParallelism(),
                new JobSettings.Kafka(
                        kafka.bootstrapServers(),
                        kafka.consumerGroup(),
                        kafka.transactionalIdPrefix(),
                        kafka.transactionTimeout(),
                        MAX_RECORD_BYTES,
                        kafka.properties()),
                settings.checkpoints(),
                new JobSettings.Restart("none", null, null, null),
                settings.rules(),
                settings.reports());
    }

    /** Compresses, as the bridge does, and allows records as large as the bridge's HTTP limit. */
    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4",
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        21 * 1024 * 1024),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, Case c) throws Exception {
        List<Header> headers = c.tenantHeader() == null
                ? List.of()
                : List.of(new RecordHeader(RecordHeaders.TENANT, c.tenantHeader()));
        return producer.send(
                        new ProducerRecord<>(c.signal().inputTopic(), null, c.timestamp(), null, c.value(), headers))
                .get(30, TimeUnit.SECONDS);
    }

    /** The markers of every item in the governed records: span names, log bodies, metric names. */
    private static List<String> markers(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().flatMap(BadDataIT::markers).toList();
    }

    private static Stream<String> markers(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.topic().startsWith("governed_spans_")) {
                return ExportTraceServiceRequest.parseFrom(record.value()).getResourceSpansList().stream()
                        .flatMap(r -> r.getScopeSpansList().stream())
                        .flatMap(s -> s.getSpansList().stream())
                        .map(Span::getName);
            }
            if (record.topic().startsWith("governed_logs_")) {
                return ExportLogsServiceRequest.parseFrom(record.value()).getResourceLogsList().stream()
                        .flatMap(r -> r.getScopeLogsList().stream())
                        .flatMap(s -> s.getLogRecordsList().stream())
                        .map(LogRecord::getBody)
                        .map(AnyValue::getStringValue);
            }
            return ExportMetricsServiceRequest.parseFrom(record.value()).getResourceMetricsList().stream()
                    .flatMap(r -> r.getScopeMetricsList().stream())
                    .flatMap(s -> s.getMetricsList().stream())
                    .flatMap(m -> Collections.nCopies(m.getGauge().getDataPointsCount(), m.getName()).stream());
        } catch (IOException e) {
            throw new AssertionError("governed record on " + record.topic() + " does not parse", e);
        }
    }
}
