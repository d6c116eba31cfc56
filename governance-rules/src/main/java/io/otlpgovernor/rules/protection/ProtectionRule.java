package io.otlpgovernor.rules.protection;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import io.otlpgovernor.rules.classification.ClassificationRules;
import io.otlpgovernor.rules.yaml.Fields;

/**
 * One entry of the {@code protection} list: what to do with values that carry a label, or that one rule (a
 * detector or pattern id) found. Rule-specific entries take precedence over label entries.
 *
 * @param label  the label this entry protects, or empty when it names a rule
 * @param rule   the detector or pattern id this entry protects, or empty when it names a label
 * @param action what to do
 * @param keyId  for {@link Action#HASH}: the id of the tenant's HMAC key to use (the key itself is never in rule
 *               files); empty = the tenant's current key
 * @param path   where the entry is in its file ({@code protection[2]}), for problems found after reading
 */
public record ProtectionRule(
        Optional<String> label, Optional<String> rule, Action action, Optional<String> keyId, String path) {

    /** The label or rule this entry is about, for messages. */
    public String subject() {
        return label.map(l -> "label " + l).orElseGet(() -> "rule " + rule.orElse("?"));
    }

    /** Reads one list entry. */
    public static Optional<ProtectionRule> read(Fields entry) {
        Optional<String> label = entry.string(
                "label",
                s -> ClassificationRules.LABEL.matcher(s).matches(),
                "expected a label of lower-case letters, digits and '-'");
        Optional<String> rule = entry.string(
                "rule", s -> ClassificationRules.RULE_ID.matcher(s).matches(), "expected a detector or pattern id");
        if (entry.has("label") == entry.has("rule")) {
            entry.problems().add(entry.file(), entry.node(), entry.path(), "name exactly one of 'label' or 'rule'");
        }
        entry.require("action");
        Optional<Action> action = entry.string("action").flatMap(id -> {
            Optional<Action> parsed = Action.forId(id);
            if (parsed.isEmpty()) {
                entry.problem(
                        "action",
                        "expected one of "
                                + Arrays.stream(Action.values()).map(Action::id).collect(Collectors.joining(", ")));
            }
            return parsed;
        });
        Optional<String> keyId = entry.string(
                "key-id",
                s -> s.matches("[A-Za-z0-9._-]{1,64}"),
                "expected a key id of letters, digits, '.', '_' or '-'");
        if (action.isPresent() && action.get() != Action.HASH && entry.has("key-id")) {
            entry.problem("key-id", "only applies to action hash");
        }
        entry.finish();
        if (action.isEmpty() || (label.isEmpty() && rule.isEmpty()) || (label.isPresent() && rule.isPresent())) {
            return Optional.empty();
        }
        return Optional.of(new ProtectionRule(label, rule, action.get(), keyId, entry.path()));
    }
}
