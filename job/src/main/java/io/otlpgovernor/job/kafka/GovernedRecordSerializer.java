package io.otlpgovernor.job.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Writes a governed request to its signal's topic of its retention tier in the Collector's {@code otlp_proto}
 * encoding (the value is the serialized export request), with tenant, signal, tier, rule-set version and
 * classification labels as headers.
 */
public final class GovernedRecordSerializer implements KafkaRecordSerializationSchema<GovernedRecord> {

    @Override
    public ProducerRecord<byte[], byte[]> serialize(GovernedRecord record, KafkaSinkContext context, Long timestamp) {
        List<Header> headers = new ArrayList<>(5);
        headers.add(header(RecordHeaders.TENANT, record.tenant()));
        headers.add(header(RecordHeaders.SIGNAL, record.signal().id()));
        headers.add(header(RecordHeaders.RETENTION_TIER, record.tier()));
        headers.add(header(RecordHeaders.RULE_SET_VERSION, Long.toString(record.ruleSetVersion())));
        if (!record.labels().isEmpty()) {
            headers.add(header(RecordHeaders.LABELS, record.labels()));
        }
        return new ProducerRecord<>(
                TopicNames.governed(record.signal(), record.tier()), null, null, null, record.payload(), headers);
    }

    static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
