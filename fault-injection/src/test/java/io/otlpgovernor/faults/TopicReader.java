package io.otlpgovernor.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import static org.awaitility.Awaitility.await;

/**
 * Reads topics {@code read_committed} from the beginning, and on each {@link #readToEnd()} up to the end offsets
 * of that moment (the last stable offsets). A verdict needs the whole topic: one poll returns at most
 * {@code max.poll.records}, and less while a partition's leader is moving after a broker died.
 */
final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    TopicReader(String bootstrapServers, Collection<String> topics) {
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        partitions = topics.stream()
                .flatMap(topic -> consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(info -> new TopicPartition(topic, info.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Everything committed up to now, from the beginning. */
    List<ConsumerRecord<byte[], byte[]>> readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        await("reading " + partitions + " to " + end)
                .atMost(Duration.ofMinutes(2))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                });
        return List.copyOf(records);
    }

    /** What the last {@link #readToEnd()} returned. */
    List<ConsumerRecord<byte[], byte[]>> records() {
        return List.copyOf(records);
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
