package io.otlpgovernor.rules.pipeline.model;

/**
 * Where an input record was read from.
 *
 * @param topic     input topic
 * @param partition partition
 * @param offset    offset
 */
public record SourcePosition(String topic, int partition, long offset) {

    public static SourcePosition of(InputRecord record) {
        return new SourcePosition(record.topic(), record.partition(), record.offset());
    }
}
