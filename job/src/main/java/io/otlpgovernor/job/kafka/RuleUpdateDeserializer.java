package io.otlpgovernor.job.kafka;

import java.nio.charset.StandardCharsets;

import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads a rules-topic or subjects-topic record as it is; validation happens where it is applied, so a bad one is reported, not fatal. */
public final class RuleUpdateDeserializer implements KafkaRecordDeserializationSchema<RuleUpdate> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RuleUpdate> out) {
        String tenant = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        RuleUpdate.Kind kind =
                TopicNames.SUBJECTS.equals(record.topic()) ? RuleUpdate.Kind.SUBJECT : RuleUpdate.Kind.RULE_SET;
        out.collect(new RuleUpdate(tenant, record.value(), record.offset(), kind));
    }

    @Override
    public TypeInformation<RuleUpdate> getProducedType() {
        return TypeInformation.of(RuleUpdate.class);
    }
}
