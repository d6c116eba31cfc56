package io.otlpgovernor.rules.pipeline.model;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.sampling.tail.TraceSummary;

/**
 * The governed items of one trace from one request and one retention tier, on their way to tail sampling: spans
 * (the trace's) or log records that carry its trace id, which wait for the trace's decision and follow it.
 *
 * @param key            the tail-sampling key: {@code tenant + "/" + hex(trace id)}
 * @param tenant         the owning tenant
 * @param signal         {@link Signal#SPANS} or {@link Signal#LOGS}
 * @param tier           the retention tier chosen for these items
 * @param ruleSetVersion the version of the rule set that governed them
 * @param labels         classification labels found in the request's items of this tier, comma-separated and sorted
 * @param payload        a serialized export request holding only these items
 * @param items          spans or log records in it
 * @param represented    the sum of their adjusted counts, as they are in {@code payload}
 * @param arrivalMillis  when the request reached Kafka (epoch milliseconds)
 * @param summary        for spans, their {@link TraceSummary} by the tenant's tail rules, computed where they were
 *                       parsed anyway; null for log records, and once the piece is buffered (the trace's summary
 *                       holds it then)
 */
public record TracePiece(
        String key,
        String tenant,
        Signal signal,
        String tier,
        long ruleSetVersion,
        String labels,
        byte[] payload,
        long items,
        double represented,
        long arrivalMillis,
        TraceSummary summary) {

    /** This piece as it is buffered: without its summary. */
    public TracePiece withoutSummary() {
        return summary == null
                ? this
                : new TracePiece(
                        key,
                        tenant,
                        signal,
                        tier,
                        ruleSetVersion,
                        labels,
                        payload,
                        items,
                        represented,
                        arrivalMillis,
                        null);
    }
}
