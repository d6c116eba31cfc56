package io.otlpgovernor.rules.ruleset;

import java.util.Map;
import java.util.Optional;

/**
 * Every tenant's effective, validated rules.
 *
 * @param tenants tenant id → rule set
 * @param sources the files they were loaded from
 */
public record RuleBook(Map<String, RuleSet> tenants, RuleSources sources) {

    public RuleBook {
        tenants = Map.copyOf(tenants);
    }

    public Optional<RuleSet> tenant(String tenant) {
        return Optional.ofNullable(tenants.get(tenant));
    }
}
