package io.otlpgovernor.rules.cardinality;

import java.util.Map;

import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSet;
import io.otlpgovernor.rules.ruleset.RuleSources;

/** Cardinality rules read from a tenant file, as the job reads them. */
final class CardinalityFixtures {

    private CardinalityFixtures() {}

    /** The rules of a tenant file whose {@code cardinality:} section is {@code section} (indented by two). */
    static CardinalityRules rules(String section) {
        return ruleSet(section).cardinality().orElseThrow();
    }

    static RuleSet ruleSet(String section) {
        String file =
                "tenant: t\nversion: 1\ncardinality:\n" + section.stripIndent().indent(2);
        try {
            return RuleLoader.load(new RuleSources(Map.of("tenants/t.yaml", file)))
                    .tenant("t")
                    .orElseThrow();
        } catch (Exception e) {
            throw new AssertionError("test rules must load", e);
        }
    }
}
