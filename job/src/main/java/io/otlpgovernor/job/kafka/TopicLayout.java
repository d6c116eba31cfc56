package io.otlpgovernor.job.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.rules.retention.RetentionRules;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics the job reads and writes, as one definition that the local stack, the tests and the deployment's
 * topic resources are made from. A governed topic's {@code retention.ms} is its tier's retention, from the same
 * tier definitions the rules use.
 */
public final class TopicLayout {

    /** Audit and usage records are evidence: kept as long as the longest built-in tier. */
    public static final Duration REPORT_RETENTION = Collections.max(RetentionRules.BUILT_IN_TIERS.values());

    private TopicLayout() {}

    /** {@link #topics(int, int, short, Map)} with the built-in tiers. */
    public static List<NewTopic> topics(int inputPartitions, int outputPartitions, short replication) {
        return topics(inputPartitions, outputPartitions, replication, RetentionRules.BUILT_IN_TIERS);
    }

    /**
     * Input topics with {@code inputPartitions} partitions each; governed topics for every signal and tier, audit,
     * usage and dead-letter topics with {@code outputPartitions}; the compacted rules topic.
     *
     * @param tiers tier → retention
     */
    public static List<NewTopic> topics(
            int inputPartitions, int outputPartitions, short replication, Map<String, Duration> tiers) {
        List<NewTopic> topics = new ArrayList<>();
        for (Signal signal : Signal.values()) {
            topics.add(new NewTopic(signal.inputTopic(), inputPartitions, replication));
            new TreeMap<>(tiers)
                    .forEach((tier, retention) -> topics.add(new NewTopic(
                                    TopicNames.governed(signal, tier), outputPartitions, replication)
                            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())))));
        }
        Map<String, String> evidence =
                Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(REPORT_RETENTION.toMillis()));
        topics.add(new NewTopic(TopicNames.AUDIT, outputPartitions, replication).configs(evidence));
        topics.add(new NewTopic(TopicNames.USAGE, outputPartitions, replication).configs(evidence));
        topics.add(new NewTopic(TopicNames.DEAD_LETTER, outputPartitions, replication));
        // One partition keeps every tenant's rule sets in one ordered log; compaction keeps the latest per tenant.
        topics.add(new NewTopic(TopicNames.RULES, 1, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // Suppressed data subjects, read with the rule sets: compaction keeps each entry until its tombstone.
        topics.add(new NewTopic(TopicNames.SUBJECTS, 1, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        return topics;
    }

    /** The input topic names. */
    public static List<String> inputTopics() {
        return List.of(Signal.SPANS.inputTopic(), Signal.METRICS.inputTopic(), Signal.LOGS.inputTopic());
    }

    /** The governed topic names of the built-in tiers. */
    public static List<String> governedTopics() {
        List<String> topics = new ArrayList<>();
        for (Signal signal : Signal.values()) {
            new TreeMap<>(RetentionRules.BUILT_IN_TIERS)
                    .keySet()
                    .forEach(tier -> topics.add(TopicNames.governed(signal, tier)));
        }
        return topics;
    }
}
