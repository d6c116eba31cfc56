package io.otlpgovernor.job.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.otlpgovernor.rules.contract.TopicNames;
import io.otlpgovernor.rules.signal.Signal;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics the job reads and writes, as one definition that the local stack and the tests create from.
 */
public final class TopicLayout {

    private TopicLayout() {
    }

    /**
     * Input topics with {@code inputPartitions} partitions each; governed and dead-letter topics with
     * {@code outputPartitions}; the compacted rules topic.
     */
    public static List<NewTopic> topics(int inputPartitions, int outputPartitions, short replication) {
        List<NewTopic> topics = new ArrayList<>();
        for (Signal signal : Signal.values()) {
            topics.add(new NewTopic(signal.inputTopic(), inputPartitions, replication));
            topics.add(new NewTopic(TopicNames.governed(signal, TopicNames.DEFAULT_TIER), outputPartitions, replication));
        }
        topics.add(new NewTopic(TopicNames.DEAD_LETTER, outputPartitions, replication));
        // One partition keeps every tenant's rule sets in one ordered log; compaction keeps the latest per tenant.
        topics.add(new NewTopic(TopicNames.RULES, 1, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        return topics;
    }

    /** The input topic names. */
    public static List<String> inputTopics() {
        return List.of(Signal.SPANS.inputTopic(), Signal.METRICS.inputTopic(), Signal.LOGS.inputTopic());
    }

    /** The governed topic names of the default tier. */
    public static List<String> governedTopics() {
        return List.of(TopicNames.governed(Signal.SPANS, TopicNames.DEFAULT_TIER),
                TopicNames.governed(Signal.METRICS, TopicNames.DEFAULT_TIER),
                TopicNames.governed(Signal.LOGS, TopicNames.DEFAULT_TIER));
    }
}
