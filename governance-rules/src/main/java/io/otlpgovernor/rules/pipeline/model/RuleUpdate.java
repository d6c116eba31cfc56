package io.otlpgovernor.rules.pipeline.model;

/**
 * One record of the rules topic, not yet validated.
 *
 * @param tenant the record key (the tenant id), or null when the record has none
 * @param value  the record value: a rule set message as JSON, if all is well; null for a deletion marker
 * @param offset its offset in the rules topic
 */
public record RuleUpdate(String tenant, byte[] value, long offset) {}
