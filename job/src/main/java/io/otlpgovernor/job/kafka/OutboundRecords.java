package io.otlpgovernor.job.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.TenantIds;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.rules.pipeline.model.DeadLetter;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.InputRecord;
import io.otlpgovernor.rules.pipeline.model.Report;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** How each kind of output is written to Kafka: its topic, key, value and headers, defined once. */
public final class OutboundRecords {

    private OutboundRecords() {}

    /**
     * A governed request: to its signal's topic of its retention tier, in the Collector's {@code otlp_proto}
     * encoding (the value is the serialized export request), with tenant, signal, tier, rule-set version and
     * classification labels as headers.
     */
    public static OutboundRecord governed(GovernedRecord record) {
        String[] headers = record.labels().isEmpty() ? new String[8] : new String[10];
        headers[0] = RecordHeaders.TENANT;
        headers[1] = record.tenant();
        headers[2] = RecordHeaders.SIGNAL;
        headers[3] = record.signal().id();
        headers[4] = RecordHeaders.RETENTION_TIER;
        headers[5] = record.tier();
        headers[6] = RecordHeaders.RULE_SET_VERSION;
        headers[7] = Long.toString(record.ruleSetVersion());
        if (!record.labels().isEmpty()) {
            headers[8] = RecordHeaders.LABELS;
            headers[9] = record.labels();
        }
        return new OutboundRecord(TopicNames.governed(record.signal(), record.tier()), null, record.payload(), headers);
    }

    /**
     * A dead letter: to {@link TopicNames#DEAD_LETTER}, the original bytes as the value, the reason and the source
     * coordinates as headers. The tenant header is copied only when it is a well-formed tenant id; a malformed one
     * may hold anything and is not repeated.
     */
    public static OutboundRecord deadLetter(DeadLetter letter) {
        InputRecord original = letter.original();
        List<String> headers = new ArrayList<>(10);
        headers.add(RecordHeaders.DEAD_LETTER_REASON);
        headers.add(letter.reason());
        headers.add(RecordHeaders.SOURCE_TOPIC);
        headers.add(original.topic());
        headers.add(RecordHeaders.SOURCE_PARTITION);
        headers.add(Integer.toString(original.partition()));
        headers.add(RecordHeaders.SOURCE_OFFSET);
        headers.add(Long.toString(original.offset()));
        if (TenantIds.isValid(original.tenant())) {
            headers.add(RecordHeaders.TENANT);
            headers.add(original.tenant());
        }
        return new OutboundRecord(TopicNames.DEAD_LETTER, null, original.payload(), headers.toArray(String[]::new));
    }

    /** A report document: to {@code topic}, keyed by tenant (one tenant's reports stay in order), with a tenant header. */
    public static OutboundRecord report(String topic, Report report) {
        return new OutboundRecord(topic, report.tenant().getBytes(StandardCharsets.UTF_8), report.json(), new String[] {
            RecordHeaders.TENANT, report.tenant()
        });
    }

    /** The producer record of {@code record}. */
    static ProducerRecord<byte[], byte[]> producerRecord(OutboundRecord record) {
        String[] names = record.headers();
        List<Header> headers = new ArrayList<>(names.length / 2);
        for (int i = 0; i + 1 < names.length; i += 2) {
            headers.add(new RecordHeader(names[i], names[i + 1].getBytes(StandardCharsets.UTF_8)));
        }
        return new ProducerRecord<>(record.topic(), null, null, record.key(), record.value(), headers);
    }
}
