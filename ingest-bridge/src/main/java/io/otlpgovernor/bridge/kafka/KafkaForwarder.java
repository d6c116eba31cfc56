package io.otlpgovernor.bridge.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.otlpgovernor.bridge.BridgeConfig;
import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
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

    /** Room for the record's headers and batch framing on top of the largest request. */
    private static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

    /**
     * Producer batches up to 256 KiB (the client's default is 16 KiB): a request of 100 spans is about 50 KB, so with
     * the default every request was a batch and a produce request of its own.
     */
    static final int BATCH_BYTES = 256 * 1024;

    private final KafkaProducer<byte[], byte[]> producer;

    public KafkaForwarder(BridgeConfig.Kafka config, int maxRequestBytes) {
        this.producer = new KafkaProducer<>(
                producerProperties(config, maxRequestBytes), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The producer's settings: the fixed ones that the bridge's promise depends on, then the configured ones. */
    public static Map<String, Object> producerProperties(BridgeConfig.Kafka config, int maxRequestBytes) {
        Map<String, Object> props = new HashMap<>(config.properties());
        props.putAll(clientProperties(config));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, config.bufferBytes());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes + RECORD_OVERHEAD_BYTES);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis(config.deliveryTimeoutDuration()));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(config.requestTimeoutDuration()));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis(config.maxBlockDuration()));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "otlp-governor-bridge");
        return props;
    }

    /** Bootstrap servers and security settings, shared by the producer and the health check's admin client. */
    static Map<String, Object> clientProperties(BridgeConfig.Kafka config) {
        Map<String, Object> props = new HashMap<>(config.properties());
        props.put("bootstrap.servers", config.bootstrapServers());
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
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                signal.inputTopic(),
                null,
                (byte[]) null,
                payload,
                List.<Header>of(new RecordHeader(RecordHeaders.TENANT, tenant.getBytes(StandardCharsets.UTF_8))));
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
