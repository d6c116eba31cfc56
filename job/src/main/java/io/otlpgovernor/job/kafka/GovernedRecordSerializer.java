package io.otlpgovernor.job.kafka;

import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a governed request as {@link OutboundRecords#governed} describes. */
public final class GovernedRecordSerializer implements KafkaRecordSerializationSchema<GovernedRecord> {

    @Override
    public ProducerRecord<byte[], byte[]> serialize(GovernedRecord record, KafkaSinkContext context, Long timestamp) {
        return OutboundRecords.producerRecord(OutboundRecords.governed(record));
    }
}
