package io.otlpgovernor.job.kafka;

import java.util.Properties;

import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.InputRecord;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Builds the job's Kafka source and sinks from its settings: the exactly-once edges of the pipeline.
 */
public final class KafkaEdges {

    /** Producer batch size; see {@link #producerSettings}. */
    static final int BATCH_BYTES = 256 * 1024;

    private KafkaEdges() {}

    /** The three input topics, read {@code read_committed} from the group's committed offsets (earliest if none). */
    public static KafkaSource<InputRecord> inputSource(JobSettings settings) {
        return KafkaSource.<InputRecord>builder()
                .setBootstrapServers(settings.kafka().bootstrapServers())
                .setTopics(TopicLayout.inputTopics())
                .setGroupId(settings.kafka().consumerGroup())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new InputRecordDeserializer())
                // KafkaSource leaves isolation at read_uncommitted; aborted upstream writes must never be governed.
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty(
                        ConsumerConfig.CLIENT_ID_CONFIG + ".prefix",
                        settings.kafka().consumerGroup())
                .setProperties(security(settings))
                .build();
    }

    /**
     * The compacted rules and subjects topics from their beginning (then from checkpointed offsets), read {@code
     * read_committed}: one source, so rule sets and suppressions reach the operators as one broadcast stream.
     */
    public static KafkaSource<RuleUpdate> rulesSource(JobSettings settings) {
        return KafkaSource.<RuleUpdate>builder()
                .setBootstrapServers(settings.kafka().bootstrapServers())
                .setTopics(TopicNames.RULES, TopicNames.SUBJECTS)
                .setGroupId(settings.kafka().consumerGroup() + "-rules")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RuleUpdateDeserializer())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty(
                        ConsumerConfig.CLIENT_ID_CONFIG + ".prefix",
                        settings.kafka().consumerGroup() + "-rules")
                .setProperties(security(settings))
                .build();
    }

    /** All of the job's edges on Kafka. */
    public static JobEdges all(JobSettings settings) {
        return new JobEdges(
                inputSource(settings),
                rulesSource(settings),
                governedSink(settings),
                outputsSink(settings),
                settings.kafka().maxRecordBytes());
    }

    /** Governed output: one topic per signal and retention tier, transactional. */
    public static KafkaSink<GovernedRecord> governedSink(JobSettings settings) {
        return transactionalSink(settings, "governed", new GovernedRecordSerializer());
    }

    /**
     * Dead letters, audit and usage documents and tail-sampled output, each to its record's topic, transactional:
     * one producer per instance for all of them (they are few records next to the governed ones).
     */
    public static KafkaSink<OutboundRecord> outputsSink(JobSettings settings) {
        return transactionalSink(settings, "outputs", new OutboundRecordSerializer());
    }

    /** The security settings ({@code kafka.properties}): only security.protocol, ssl.* and sasl.* keys. */
    public static Properties security(JobSettings settings) {
        Properties properties = new Properties();
        properties.putAll(settings.kafka().properties());
        return properties;
    }

    /**
     * The producer settings of every sink. {@code max.request.size} is checked by the producer on a record's size
     * before compression: at Kafka's default of 1 MiB, one governed or dead-lettered request larger than that — the
     * bridge accepts up to 4 MiB over gRPC and 20 MiB over HTTP — fails the sink, and the job, on every restart
     * from the same offset. Governed requests and kept traces are split into records of at most
     * {@code kafka.max-record-bytes} before they get here, so that the brokers' {@code max.message.bytes} (on
     * compressed batches) holds them; {@code max.request.size} only bounds single items and dead letters, which got
     * into the input topic under the same limit.
     *
     * <p>Batches of up to 256 KiB: a governed record is tens of kilobytes, so Kafka's default of 16 KiB gave every
     * record a batch (and a compression frame, and the broker a batch to validate and append) of its own.
     */
    public static Properties producerSettings(JobSettings settings) {
        Properties properties = security(settings);
        properties.setProperty(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Long.toString(settings.kafka().transactionTimeoutDuration().toMillis()));
        properties.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.setProperty(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(JobSettings.Kafka.MAX_RECORD_BYTES_LIMIT));
        // A record must also fit in the producer's buffer, 32 MiB by default.
        properties.setProperty(
                ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(2L * JobSettings.Kafka.MAX_RECORD_BYTES_LIMIT));
        properties.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_BYTES));
        properties.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        return properties;
    }

    private static <T> KafkaSink<T> transactionalSink(
            JobSettings settings, String name, KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(producerSettings(settings))
                .setBootstrapServers(settings.kafka().bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                // Each sink needs its own prefix: two sinks sharing one would fence each other's transactions.
                .setTransactionalIdPrefix(settings.kafka().transactionalIdPrefix() + "-" + name)
                .build();
    }
}
