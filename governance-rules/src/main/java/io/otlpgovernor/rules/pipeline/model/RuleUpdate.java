package io.otlpgovernor.rules.pipeline.model;

/**
 * One record of the rules topic or of the subjects topic, not yet validated: both reach the operators on the one
 * broadcast stream, so a suppression is ordered with the rule sets and checkpointed with them.
 *
 * @param tenant the record key, or null when the record has none: the tenant id for a rule set, {@code
 *               <tenant>/<entry id>} for a subject entry
 * @param value  the record value: a rule set message or a subject entry as JSON, if all is well; null for a
 *               deletion marker (which lifts a subject's suppression)
 * @param offset its offset in its topic
 * @param kind   which topic it came from
 */
public record RuleUpdate(String tenant, byte[] value, long offset, Kind kind) {

    /** The topic a broadcast update came from. */
    public enum Kind {
        RULE_SET,
        SUBJECT
    }

    /** A rules-topic record. */
    public RuleUpdate(String tenant, byte[] value, long offset) {
        this(tenant, value, offset, Kind.RULE_SET);
    }

    public boolean isSubject() {
        return kind == Kind.SUBJECT;
    }
}
