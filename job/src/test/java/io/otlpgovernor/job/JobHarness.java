package io.otlpgovernor.job;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import io.otlpgovernor.rules.contract.RecordHeaders;
import io.otlpgovernor.rules.contract.TopicNames;
import io.otlpgovernor.rules.signal.Signal;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the job's integration tests share: topics, settings for a fast local run, a producer that checks every send. */
final class JobHarness {

    private JobHarness() {
    }

    /** Creates the input, governed and dead-letter topics, each with {@code inputPartitions} input partitions. */
    static void createTopics(EmbeddedKafkaBroker broker, int inputPartitions) {
        List<NewTopic> topics = new ArrayList<>();
        for (Signal signal : Signal.values()) {
            topics.add(new NewTopic(signal.inputTopic(), inputPartitions, (short) 1));
            topics.add(new NewTopic(TopicNames.governed(signal, TopicNames.DEFAULT_TIER), 1, (short) 1));
        }
        topics.add(new NewTopic(TopicNames.DEAD_LETTER, 1, (short) 1));
        broker.createTopics(topics);
    }

    /** Settings for tests: checkpoints every 500 ms on RocksDB under {@code checkpoints}, quick restarts. */
    static JobSettings fastSettings(EmbeddedKafkaBroker broker, Path checkpoints) {
        return new JobSettings("otlp-governor-test", 1, 128,
                new JobSettings.Kafka(broker.bootstrapServers(), "otlp-governor-test", "otlp-governor-test", "2m"),
                new JobSettings.Checkpoints("500ms", "30s", "100ms", checkpoints.toString(), true),
                new JobSettings.Restart("fixed-delay", 5, "200ms", null));
    }

    static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends one record and waits for Kafka's acknowledgement, so a lost write fails the test instead of hiding. */
    static void send(KafkaProducer<byte[], byte[]> producer, String topic, String tenant, byte[] value) throws Exception {
        List<Header> headers = tenant == null ? List.of()
                : List.of(new RecordHeader(RecordHeaders.TENANT, tenant.getBytes(StandardCharsets.UTF_8)));
        producer.send(new ProducerRecord<>(topic, null, null, null, value, headers)).get(30, TimeUnit.SECONDS);
    }

    /** Whether {@code group} has committed offsets at the end of every partition of the input topics. */
    static boolean consumedEverything(EmbeddedKafkaBroker broker, String group) throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            List<String> inputs = Arrays.stream(Signal.values()).map(Signal::inputTopic).toList();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            admin.describeTopics(inputs).allTopicNames().get(10, TimeUnit.SECONDS).forEach((topic, description) ->
                    description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(end -> {
                OffsetAndMetadata done = committed.get(end.getKey());
                return end.getValue().offset() == 0 || (done != null && done.offset() >= end.getValue().offset());
            });
        }
    }

    static String header(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
