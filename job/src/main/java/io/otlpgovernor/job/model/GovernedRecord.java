package io.otlpgovernor.job.model;

import io.otlpgovernor.rules.signal.Signal;

/**
 * A valid OTLP export request on its way to the governed topics.
 *
 * @param tenant  the owning tenant
 * @param signal  the request's signal
 * @param payload the serialized request
 * @param items   spans, data points or log records it holds
 */
public record GovernedRecord(String tenant, Signal signal, byte[] payload, long items) {
}
