package io.otlpgovernor.local.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.otlpgovernor.contract.Signal;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When the oldest record still in the input topics arrived: what retention has left of the history. A replay
 * before it reads less than asked, and one that ends before it reads nothing.
 */
final class HistoryBounds {

    private HistoryBounds() {}

    /** The arrival time of the oldest record in any input topic, or empty when they hold none. */
    static Optional<Instant> oldest(String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        100,
                        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        15_000),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Signal signal : Signal.values()) {
                consumer.partitionsFor(signal.inputTopic(), Duration.ofSeconds(15))
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
            List<TopicPartition> holding =
                    partitions.stream().filter(p -> ends.get(p) > starts.get(p)).toList();
            Long oldest = null;
            List<TopicPartition> unseen = new ArrayList<>(holding);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // The first record of each partition that holds any (a transaction marker may come first).
            while (!unseen.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (unseen.remove(partition)) {
                        oldest = oldest == null ? record.timestamp() : Math.min(oldest, record.timestamp());
                        consumer.pause(List.of(partition));
                    }
                }
                unseen.removeIf(p -> consumer.position(p) >= ends.get(p));
            }
            return Optional.ofNullable(oldest).map(Instant::ofEpochMilli);
        }
    }
}
