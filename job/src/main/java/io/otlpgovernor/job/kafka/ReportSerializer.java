package io.otlpgovernor.job.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.rules.pipeline.model.Report;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes report documents to one topic, keyed by tenant (so one tenant's reports stay in order), with a tenant header. */
public final class ReportSerializer implements KafkaRecordSerializationSchema<Report> {

    private final String topic;

    public ReportSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Report report, KafkaSinkContext context, Long timestamp) {
        byte[] key = report.tenant().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(
                topic,
                null,
                null,
                key,
                report.json(),
                List.of(GovernedRecordSerializer.header(RecordHeaders.TENANT, report.tenant())));
    }
}
