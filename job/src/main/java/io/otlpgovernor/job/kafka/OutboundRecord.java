package io.otlpgovernor.job.kafka;

/**
 * A record ready for Kafka: its topic, key, value and headers. What the job's shared sink writes, so that one
 * transactional producer per instance carries dead letters, audit, usage and tail-sampled output to their topics
 * (see {@link OutboundRecords} for how each kind becomes one).
 *
 * @param topic   the topic to write to
 * @param key     the record key, or null
 * @param value   the record value
 * @param headers header names and values, alternating ({@code name0, value0, name1, value1, …}), UTF-8 when written
 */
public record OutboundRecord(String topic, byte[] key, byte[] value, String[] headers) {}
