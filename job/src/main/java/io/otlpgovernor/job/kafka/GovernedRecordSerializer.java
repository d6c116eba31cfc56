package io.otlpgovernor.job.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.otlpgovernor.job.model.GovernedRecord;
import io.otlpgovernor.rules.contract.RecordHeaders;
import io.otlpgovernor.rules.contract.TopicNames;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Writes a governed request to its signal's governed topic in the Collector's {@code otlp_proto} encoding (the
 * value is the serialized export request), with tenant, signal and retention tier as headers.
 */
public final class GovernedRecordSerializer implements KafkaRecordSerializationSchema<GovernedRecord> {

    @Override
    public ProducerRecord<byte[], byte[]> serialize(GovernedRecord record, KafkaSinkContext context, Long timestamp) {
        String tier = TopicNames.DEFAULT_TIER;
        List<Header> headers = List.of(
                header(RecordHeaders.TENANT, record.tenant()),
                header(RecordHeaders.SIGNAL, record.signal().id()),
                header(RecordHeaders.RETENTION_TIER, tier));
        return new ProducerRecord<>(TopicNames.governed(record.signal(), tier), null, null, null, record.payload(), headers);
    }

    static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
