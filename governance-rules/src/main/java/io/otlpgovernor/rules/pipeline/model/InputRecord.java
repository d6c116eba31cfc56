package io.otlpgovernor.rules.pipeline.model;

import io.otlpgovernor.contract.Signal;

/**
 * One record read from an input topic, not yet decoded.
 *
 * @param signal      the signal its topic carries
 * @param tenant      the tenant header's value, or {@code null} when the record has none
 * @param payload     the record value: a serialized OTLP export request, if all is well
 * @param topic       where it was read from
 * @param partition   its partition
 * @param offset      its offset
 * @param timestamp   the record's Kafka timestamp (epoch milliseconds): when the bridge accepted it. The job's
 *                    notion of time — quotas, ages and usage minutes — so a replay decides exactly as before
 */
public record InputRecord(
        Signal signal, String tenant, byte[] payload, String topic, int partition, long offset, long timestamp) {}
