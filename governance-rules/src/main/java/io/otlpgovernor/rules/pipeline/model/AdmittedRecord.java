package io.otlpgovernor.rules.pipeline.model;

/**
 * A request the tenant's quota let through, whole or downsampled.
 *
 * @param record           the decoded request
 * @param sampleThreshold  the 56-bit consistent-sampling threshold its items must pass (0 keeps every item)
 * @param ruleSetVersion   the version of the rule set whose quota admitted it
 */
public record AdmittedRecord(DecodedRecord record, long sampleThreshold, long ruleSetVersion) {}
