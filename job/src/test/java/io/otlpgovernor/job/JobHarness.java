package io.otlpgovernor.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.TopicLayout;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the job's integration tests share: topics, settings for a fast local run, a producer that checks every send. */
final class JobHarness {

    /**
     * Numbers each test's transactional-id prefix: Flink's Kafka sink registers prefixes JVM-wide, and a job of an
     * earlier test whose writers are still closing would otherwise make this one fail on a duplicate prefix.
     */
    private static final AtomicInteger JOBS = new AtomicInteger();

    private JobHarness() {}

    /** Creates the input, governed and dead-letter topics, with {@code inputPartitions} partitions per input topic. */
    static void createTopics(EmbeddedKafkaBroker broker, int inputPartitions) {
        broker.createTopics(TopicLayout.topics(inputPartitions, 1, (short) 1));
    }

    /**
     * Settings for tests: checkpoints every 500 ms on RocksDB under {@code checkpoints}, quick restarts, the test
     * rules (copied to {@code rules}), reports written a second after their window.
     */
    static JobSettings fastSettings(EmbeddedKafkaBroker broker, Path checkpoints, Path rules) {
        copyTestRules(rules);
        return new JobSettings(
                "otlp-governor-test",
                1,
                128,
                new JobSettings.Kafka(
                        broker.bootstrapServers(),
                        "otlp-governor-test",
                        "otlp-governor-test-" + JOBS.incrementAndGet(),
                        "2m"),
                new JobSettings.Checkpoints("500ms", "30s", "100ms", checkpoints.toString(), true),
                new JobSettings.Restart("fixed-delay", 5, "200ms", null),
                new JobSettings.Rules(rules.toString(), null),
                new JobSettings.Reports("1s", "1s"));
    }

    /** Copies the test rule files ({@code src/test/resources/it-rules}) to {@code target}, where a test may change them. */
    static void copyTestRules(Path target) {
        Path source = Path.of("src/test/resources/it-rules");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** Sends one record and waits for Kafka's acknowledgement, so a lost write fails the test instead of hiding. */
    static void send(KafkaProducer<byte[], byte[]> producer, String topic, String tenant, byte[] value)
            throws Exception {
        send(producer, topic, tenant, value, null);
    }

    /** As {@link #send(KafkaProducer, String, String, byte[])}, with the record's timestamp (null: now). */
    static void send(KafkaProducer<byte[], byte[]> producer, String topic, String tenant, byte[] value, Long timestamp)
            throws Exception {
        List<Header> headers = tenant == null
                ? List.of()
                : List.of(new RecordHeader(RecordHeaders.TENANT, tenant.getBytes(StandardCharsets.UTF_8)));
        producer.send(new ProducerRecord<>(topic, null, timestamp, null, value, headers))
                .get(30, TimeUnit.SECONDS);
    }

    /** Whether the job's consumer group has committed offsets at the end of every input partition. */
    static boolean consumedEverything(EmbeddedKafkaBroker broker, String group) {
        return broker.hasConsumedToEnd(group, TopicLayout.inputTopics());
    }

    /**
     * Ends a test's run: cancels its job if it is still running and waits until it has ended — its Kafka writers
     * closed while the broker is still there to answer them — then closes the broker, even when the job could not be
     * cancelled: a job or broker left running would disturb the next test in this JVM.
     */
    static void cancelAndClose(JobClient job, EmbeddedKafkaBroker broker) throws Exception {
        try {
            cancel(job);
        } finally {
            broker.close();
        }
    }

    /** Cancels {@code job} (if any and still running) and waits until it has ended. */
    static void cancel(JobClient job) throws Exception {
        if (job != null && !job.getJobExecutionResult().isDone()) {
            // A job that ends by itself meanwhile refuses the cancel; either way, what counts is that it ends.
            job.cancel().handle((done, refused) -> null).get(30, TimeUnit.SECONDS);
            job.getJobExecutionResult().handle((result, failure) -> null).get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Stops {@code job} with a savepoint in {@code directory} and waits until it has ended, so that a job restored
     * from the savepoint — with the same transactional-id prefix — does not meet its writers still closing.
     */
    static String stopWithSavepoint(JobClient job, Path directory) throws Exception {
        String savepoint = job.stopWithSavepoint(false, directory.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        job.getJobExecutionResult().get(1, TimeUnit.MINUTES);
        return savepoint;
    }

    /** Fails, naming the job's failure, once the job has ended: a wait on its output can stop there. */
    static void assertRunning(JobClient job) throws Exception {
        if (job.getJobExecutionResult().isDone()) {
            Throwable failure =
                    job.getJobExecutionResult().handle((result, error) -> error).get();
            Throwable cause = failure;
            while (cause != null && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new AssertionError("the job ended" + (cause == null ? "" : ", failed by " + cause), failure);
        }
    }

    static String header(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
