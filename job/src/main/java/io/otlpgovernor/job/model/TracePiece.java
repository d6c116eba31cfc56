package io.otlpgovernor.job.model;

import io.otlpgovernor.rules.signal.Signal;

/**
 * The governed items of one trace from one request and one retention tier, on their way to tail sampling: spans
 * (the trace's) or log records that carry its trace id, which wait for the trace's decision and follow it.
 *
 * @param key            the tail-sampling key: {@code tenant + "/" + hex(trace id)}
 * @param tenant         the owning tenant
 * @param signal         {@link Signal#SPANS} or {@link Signal#LOGS}
 * @param tier           the retention tier chosen for these items
 * @param ruleSetVersion the version of the rule set that governed them
 * @param labels         classification labels found in the request, comma-separated and sorted
 * @param payload        a serialized export request holding only these items
 * @param items          spans or log records in it
 * @param arrivalMillis  when the request reached Kafka (epoch milliseconds)
 */
public record TracePiece(String key, String tenant, Signal signal, String tier, long ruleSetVersion, String labels,
                         byte[] payload, long items, long arrivalMillis) {
}
