package io.otlpgovernor.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

import io.otlpgovernor.rules.ruleset.RuleSetMessage;

/** The rule sets published to the rules topic: what the running job has in force. */
public final class PublishedRules {

    private PublishedRules() {}

    /**
     * The latest rule set per tenant in the compacted rules {@code topic} at {@code bootstrap} (a tombstone removes
     * a tenant); a record that is not a rule set is reported to {@code err} and skipped.
     */
    public static Map<String, RuleSetMessage> latest(String bootstrap, String topic, PrintWriter err) {
        Map<String, RuleSetMessage> latest = new HashMap<>();
        CompactedTopic.read(bootstrap, topic).forEach((tenant, record) -> {
            try {
                RuleSetMessage message = RuleSetMessage.fromJson(record.value());
                latest.put(message.tenant(), message);
            } catch (IllegalArgumentException e) {
                err.println("skipping record at offset " + record.offset() + " of " + topic + ": " + e.getMessage());
            }
        });
        return latest;
    }
}
