package io.otlpgovernor.rules.pipeline.model;

import io.otlpgovernor.contract.Signal;

/**
 * A governed OTLP export request on its way to its signal's topic of one retention tier.
 *
 * @param tenant         the owning tenant
 * @param signal         the request's signal
 * @param tier           the retention tier
 * @param ruleSetVersion the version of the tenant's rule set that governed it
 * @param labels         classification labels found in it, comma-separated and sorted ("" when none)
 * @param payload        the serialized request
 * @param items          spans, data points or log records it holds
 */
public record GovernedRecord(
        String tenant, Signal signal, String tier, long ruleSetVersion, String labels, byte[] payload, long items) {}
