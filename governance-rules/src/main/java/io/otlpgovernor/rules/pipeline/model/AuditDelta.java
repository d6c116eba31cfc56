package io.otlpgovernor.rules.pipeline.model;

/**
 * A contribution to one tenant's audit summary: a governance action taken, by which rule of which rule-set
 * version, on which field path, how many times. Never a value.
 *
 * @param tenant         the tenant
 * @param arrivalMillis  when the data it concerns reached Kafka (epoch milliseconds)
 * @param ruleSetVersion the rule set's version
 * @param rule           the rule's id ({@code quota}, a detector or pattern id, a retention rule id …)
 * @param label          the classification label, or "" where none applies
 * @param action         what was done: redact, hash, drop-attribute, drop-record, tag, quota-drop, downsample,
 *                       route, expire
 * @param target         the field path acted on, or for {@code route}/{@code expire} the tier
 * @param count          occurrences (protection) or items (the others)
 */
public record AuditDelta(
        String tenant,
        long arrivalMillis,
        long ruleSetVersion,
        String rule,
        String label,
        String action,
        String target,
        long count) {}
