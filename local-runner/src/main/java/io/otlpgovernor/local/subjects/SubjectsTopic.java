package io.otlpgovernor.local.subjects;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.otlpgovernor.cli.CompactedTopic;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.rules.subjects.SubjectEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The compacted subjects topic, as the commands write and read it. */
final class SubjectsTopic {

    private SubjectsTopic() {}

    /** Writes {@code entry} (acks=all); a tombstone when {@code entry} is null. */
    static void write(String bootstrap, String key, SubjectEntry entry) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        15_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        20_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        10_000),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            TopicNames.SUBJECTS,
                            key.getBytes(StandardCharsets.UTF_8),
                            entry == null ? null : entry.toJson()))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException(unreachable(bootstrap));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted");
        }
    }

    /** The tenant's entries in force; a record that is not an entry is reported to {@code err} and skipped. */
    static List<SubjectEntry> entries(String bootstrap, String tenant, PrintWriter err) {
        List<SubjectEntry> entries = new ArrayList<>();
        Map<String, CompactedTopic.Latest> latest;
        try {
            latest = CompactedTopic.read(bootstrap, TopicNames.SUBJECTS);
        } catch (KafkaException e) {
            throw new KafkaException(unreachable(bootstrap));
        }
        latest.forEach((key, record) -> {
            if (key.startsWith(tenant + "/")) {
                try {
                    entries.add(SubjectEntry.fromJson(key, record.value()));
                } catch (IllegalArgumentException e) {
                    // The job rejects it the same way: it is not in force.
                    err.println("skipping record at offset " + record.offset() + " of " + TopicNames.SUBJECTS + ": "
                            + e.getMessage());
                }
            }
        });
        return entries;
    }

    static String unreachable(String bootstrap) {
        return "cannot reach Kafka at " + bootstrap + " (or write " + TopicNames.SUBJECTS + ")";
    }
}
