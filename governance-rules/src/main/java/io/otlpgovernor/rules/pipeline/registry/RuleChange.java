package io.otlpgovernor.rules.pipeline.registry;

import java.util.List;

/**
 * What the job made of one record of the rules topic. Every task decides the same from the same inputs, so the
 * broadcast state stays identical across tasks.
 *
 * @param outcome         accepted, rejected, stale (not newer than the version in force) or unchanged
 * @param tenant          the tenant the record is about (its key; may be malformed when rejected)
 * @param version         the version the record carries, or -1 when it could not be read
 * @param previousVersion the version in force before, or -1 when the tenant had none
 * @param problems        why it was rejected: file, line, path and reason each; never a rule file's values
 * @param offset          its offset in the rules topic
 */
public record RuleChange(
        Outcome outcome, String tenant, long version, long previousVersion, List<String> problems, long offset) {

    public enum Outcome {
        ACCEPTED,
        REJECTED,
        STALE,
        UNCHANGED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public RuleChange {
        problems = List.copyOf(problems);
    }
}
