package io.otlpgovernor.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.otlpgovernor.rules.ruleset.RuleSetMessage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The rule sets published to the rules topic: what the running job has in force. */
public final class PublishedRules {

    private PublishedRules() {}

    /**
     * The latest rule set per tenant in the compacted rules {@code topic} at {@code bootstrap} (a tombstone removes
     * a tenant); a record that is not a rule set is reported to {@code err} and skipped.
     */
    public static Map<String, RuleSetMessage> latest(String bootstrap, String topic, PrintWriter err) {
        Map<String, RuleSetMessage> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        15_000),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(15)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        latest.remove(new String(record.key(), StandardCharsets.UTF_8));
                        continue;
                    }
                    try {
                        RuleSetMessage message = RuleSetMessage.fromJson(record.value());
                        latest.put(message.tenant(), message);
                    } catch (IllegalArgumentException e) {
                        err.println("skipping record at offset " + record.offset() + " of " + topic + ": "
                                + e.getMessage());
                    }
                }
            }
        }
        return latest;
    }
}
