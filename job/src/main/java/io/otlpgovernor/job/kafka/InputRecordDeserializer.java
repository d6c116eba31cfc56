package io.otlpgovernor.job.kafka;

import java.nio.charset.StandardCharsets;

import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.pipeline.model.InputRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns an input-topic record into an {@link InputRecord} without interpreting the payload: decoding happens in
 * an operator, where a bad record can be dead-lettered instead of failing the source.
 */
public final class InputRecordDeserializer implements KafkaRecordDeserializationSchema<InputRecord> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<InputRecord> out) {
        Header tenant = record.headers().lastHeader(RecordHeaders.TENANT);
        out.collect(new InputRecord(
                Signal.forInputTopic(record.topic()).orElse(null),
                tenant == null || tenant.value() == null ? null : new String(tenant.value(), StandardCharsets.UTF_8),
                record.value(),
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp()));
    }

    @Override
    public TypeInformation<InputRecord> getProducedType() {
        return TypeInformation.of(InputRecord.class);
    }
}
