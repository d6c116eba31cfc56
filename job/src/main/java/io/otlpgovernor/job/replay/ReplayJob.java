package io.otlpgovernor.job.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.job.GovernorJob;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.InputRecordDeserializer;
import io.otlpgovernor.job.kafka.JobEdges;
import io.otlpgovernor.job.kafka.OutboundRecord;
import io.otlpgovernor.job.kafka.RuleUpdateDeserializer;
import io.otlpgovernor.job.kafka.TopicLayout;
import io.otlpgovernor.rules.pipeline.model.InputRecord;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The governance job over a bounded stretch of Kafka history, in Flink's BATCH execution mode: the same graph as the
 * streaming job ({@link GovernorJob#attach}), reading the input topics from the first record that arrived at
 * {@code from} up to (not including) {@code to}, under the rules of one directory and nothing from the rules topic,
 * writing nothing anywhere. What it returns are the usage and audit documents the job would have written for that
 * stretch — the streaming job's own accounting, so a replay and the streaming job count alike by construction.
 *
 * <p>In BATCH mode each keyed operator sees all of a key's records before its timers fire at the end of input:
 * tail sampling decides every trace once all of its pieces are in (as the streaming job does after its
 * decision-wait), and the reports are written once per window.
 */
public final class ReplayJob {

    private ReplayJob() {}

    /**
     * A stretch of history.
     *
     * @param fromMillis first arrival time included (epoch milliseconds)
     * @param toMillis   first arrival time not included
     */
    public record Range(long fromMillis, long toMillis) implements java.io.Serializable {
        public boolean contains(long millis) {
            return millis >= fromMillis && millis < toMillis;
        }
    }

    /**
     * What one replay produced.
     *
     * @param usage the usage documents (JSON), as the usage topic would have had them
     * @param audit the audit documents (JSON), as the audit topic would have had them
     */
    public record Documents(List<byte[]> usage, List<byte[]> audit) {}

    /**
     * Replays {@code range} of the input topics at {@code bootstrapServers} for {@code tenants} (empty: all) under
     * {@code rules}, on a local Flink cluster of {@code parallelism} slots (or the cluster the environment of
     * {@code environment} points at, when not null).
     */
    public static Documents run(
            StreamExecutionEnvironment environment,
            String bootstrapServers,
            Properties security,
            RuleBootstrap rules,
            Range range,
            Set<String> tenants)
            throws Exception {
        Set<String> only = Set.copyOf(tenants);
        DataStream<InputRecord> input = environment
                .fromSource(
                        inputSource(bootstrapServers, security, range),
                        WatermarkStrategy.noWatermarks(),
                        "Kafka: OTLP history")
                .uid(GovernorJob.SOURCE_UID)
                .filter(record ->
                        range.contains(record.timestamp()) && (tenants.isEmpty() || tenants.contains(record.tenant())))
                .uid("replay-range")
                .name("In range and tenants");
        GovernorJob job = new GovernorJob(
                new JobEdges(
                        null, // the input is attached below, already bounded and filtered
                        nothingFromTheRulesTopic(bootstrapServers, security),
                        new DiscardingSink<>(),
                        new DiscardingSink<>(),
                        JobSettings.Kafka.DEFAULT_MAX_RECORD_BYTES),
                rules,
                new JobSettings.Reports("10s", "1s"));
        DataStream<OutboundRecord> outputs = job.attach(input);
        List<byte[]> usage = new ArrayList<>();
        List<byte[]> audit = new ArrayList<>();
        try (CloseableIterator<OutboundRecord> reports = outputs.filter(
                        record -> record.topic().equals(TopicNames.USAGE)
                                || record.topic().equals(TopicNames.AUDIT))
                .uid("replay-reports")
                .name("Usage and audit documents")
                .executeAndCollect("otlp-governor replay")) {
            reports.forEachRemaining(
                    record -> (record.topic().equals(TopicNames.USAGE) ? usage : audit).add(record.value()));
        }
        return new Documents(usage, audit);
    }

    /** A local environment in BATCH mode with {@code parallelism} slots. */
    public static StreamExecutionEnvironment localEnvironment(int parallelism) {
        Configuration configuration = new Configuration();
        configuration.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        configuration.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        configuration.set(PipelineOptions.GENERIC_TYPES, false);
        return StreamExecutionEnvironment.createLocalEnvironment(configuration);
    }

    private static KafkaSource<InputRecord> inputSource(String bootstrapServers, Properties security, Range range) {
        return KafkaSource.<InputRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(TopicLayout.inputTopics())
                .setGroupId("otlp-governor-replay")
                .setStartingOffsets(OffsetsInitializer.timestamp(range.fromMillis()))
                .setBounded(OffsetsInitializer.timestamp(range.toMillis()))
                .setDeserializer(new InputRecordDeserializer())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "false")
                .setProperties(security)
                .build();
    }

    /** The rules topic between its end and its end: the replay's rules are its directory's, and only those. */
    private static KafkaSource<RuleUpdate> nothingFromTheRulesTopic(String bootstrapServers, Properties security) {
        return KafkaSource.<RuleUpdate>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(TopicNames.RULES)
                .setGroupId("otlp-governor-replay-rules")
                .setStartingOffsets(OffsetsInitializer.latest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new RuleUpdateDeserializer())
                .setProperties(security)
                .build();
    }
}
