package io.otlpgovernor.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EmbeddedKafkaBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void committedTransactionalRecordsAreReadBack() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
            broker.createTopics("roundtrip");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            broker.bootstrapServers(),
                            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                            "roundtrip-tx"),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("roundtrip", "k", "v1"));
                producer.send(new ProducerRecord<>("roundtrip", "k", "v2"));
                producer.commitTransaction();
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                            ConsumerConfig.GROUP_ID_CONFIG, "roundtrip-reader",
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("roundtrip"));
                List<String> values = new ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                    assertThat(values).containsExactly("v1", "v2");
                });
            }
        }
    }

    @Test
    void restartsOnTheSamePortWithItsDataAfterAStop() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
            broker.createTopics("durable");
            Map<String, Object> producerConfig = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG,
                    "all");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("durable", "k", "before")).get();
            }
            int port = broker.port();

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.restart();

            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.port()).isEqualTo(port);
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("durable", "k", "after")).get();
            }
            try (CommittedTopicReader reader =
                    new CommittedTopicReader(broker.bootstrapServers(), List.of("durable"))) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    reader.poll(); // waits up to 200 ms itself
                    assertThat(reader.records())
                            .extracting(ConsumerRecord::value)
                            .containsExactly("before".getBytes(), "after".getBytes());
                });
            }
        }
    }
}
