package io.otlpgovernor.job.kafka;

import java.util.ArrayList;
import java.util.List;

import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.TenantIds;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.rules.pipeline.model.DeadLetter;
import io.otlpgovernor.rules.pipeline.model.InputRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

import static io.otlpgovernor.job.kafka.GovernedRecordSerializer.header;

/**
 * Writes a dead letter to {@link TopicNames#DEAD_LETTER}: the original bytes as the value, the reason and the
 * source coordinates as headers. The tenant header is copied only when it is a well-formed tenant id; a malformed
 * one may hold anything and is not repeated.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        InputRecord original = letter.original();
        List<Header> headers = new ArrayList<>(5);
        headers.add(header(RecordHeaders.DEAD_LETTER_REASON, letter.reason()));
        headers.add(header(RecordHeaders.SOURCE_TOPIC, original.topic()));
        headers.add(header(RecordHeaders.SOURCE_PARTITION, Integer.toString(original.partition())));
        headers.add(header(RecordHeaders.SOURCE_OFFSET, Long.toString(original.offset())));
        if (TenantIds.isValid(original.tenant())) {
            headers.add(header(RecordHeaders.TENANT, original.tenant()));
        }
        return new ProducerRecord<>(TopicNames.DEAD_LETTER, null, null, null, original.payload(), headers);
    }
}
