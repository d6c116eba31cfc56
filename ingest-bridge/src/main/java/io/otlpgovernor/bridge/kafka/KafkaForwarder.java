package io.otlpgovernor.bridge.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.otlpgovernor.bridge.BridgeConfig;
import io.otlpgovernor.rules.contract.RecordHeaders;
import io.otlpgovernor.rules.signal.Signal;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes OTLP requests, byte for byte, to the signal's input topic with the tenant in a header.
 *
 * <p>The producer waits for every in-sync replica ({@code acks=all}) and is idempotent, so a write the future
 * reports as done is durable and appears once however often the producer retried. Records have no key: the job
 * keys by tenant and trace itself, and unkeyed records spread evenly across partitions.
 */
public final class KafkaForwarder implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    public KafkaForwarder(BridgeConfig.Kafka config) {
        this.producer = new KafkaProducer<>(producerProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static Map<String, Object> producerProperties(BridgeConfig.Kafka config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis(config.deliveryTimeoutDuration()));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(config.requestTimeoutDuration()));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis(config.maxBlockDuration()));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "otlp-governor-bridge");
        return props;
    }

    private static int millis(Duration duration) {
        return Math.toIntExact(duration.toMillis());
    }

    /**
     * Sends {@code payload} to {@code signal}'s input topic for {@code tenant}. The future completes when Kafka has
     * acknowledged the write, or exceptionally when it did not (timeout, broker unreachable, record too large).
     */
    public CompletableFuture<RecordMetadata> forward(Signal signal, String tenant, byte[] payload) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(signal.inputTopic(), null, (byte[]) null, payload,
                List.<org.apache.kafka.common.header.Header>of(new RecordHeader(RecordHeaders.TENANT, tenant.getBytes(StandardCharsets.UTF_8))));
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            // send() throws rather than calling back when metadata or buffer space did not arrive within max.block.ms.
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Sends what is buffered and waits up to {@code timeout} for it to be acknowledged. */
    public void close(Duration timeout) {
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
