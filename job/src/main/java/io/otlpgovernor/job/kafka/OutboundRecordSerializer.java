package io.otlpgovernor.job.kafka;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes an {@link OutboundRecord} as it is: the topic is chosen per record. */
public final class OutboundRecordSerializer implements KafkaRecordSerializationSchema<OutboundRecord> {

    @Override
    public ProducerRecord<byte[], byte[]> serialize(OutboundRecord record, KafkaSinkContext context, Long timestamp) {
        return OutboundRecords.producerRecord(record);
    }
}
