package io.otlpgovernor.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a compacted topic whole, as the job's sources do: committed records only, the latest value per key. */
public final class CompactedTopic {

    /** A key's latest value and where it was read. */
    public record Latest(byte[] value, long offset) {}

    private CompactedTopic() {}

    /** Key → latest value in {@code topic} at {@code bootstrap}, from the beginning to its end now; tombstones remove. */
    public static Map<String, Latest> read(String bootstrap, String topic) {
        Map<String, Latest> latest = new LinkedHashMap<>();
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
                    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        latest.remove(key);
                    } else {
                        latest.put(key, new Latest(record.value(), record.offset()));
                    }
                }
            }
        }
        return latest;
    }
}
