package io.otlpgovernor.rules.pipeline.model;

import io.otlpgovernor.contract.Signal;

/**
 * A valid OTLP export request of a well-formed tenant, with what the quota needs to know without parsing it again.
 *
 * @param tenant        the owning tenant
 * @param signal        the request's signal
 * @param payload       the serialized request, as received
 * @param items         spans, data points or log records it holds
 * @param arrivalMillis when it reached Kafka (epoch milliseconds)
 * @param randomness16  the high 16 bits of each item's sampling randomness, in item order, or null when its items
 *                      cannot be sampled (metric data points)
 * @param source        where it was read from, for dead letters
 */
public record DecodedRecord(
        String tenant,
        Signal signal,
        byte[] payload,
        long items,
        long arrivalMillis,
        char[] randomness16,
        SourcePosition source) {}
