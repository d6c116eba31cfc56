package io.otlpgovernor.rules.pipeline.registry;

import java.util.Set;
import java.util.TreeSet;

import io.otlpgovernor.rules.cardinality.SeriesLimiter;
import io.otlpgovernor.rules.protection.CompiledRules;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.retention.RetentionPolicy;
import io.otlpgovernor.rules.retention.TierRouter;
import io.otlpgovernor.rules.ruleset.RuleSet;
import io.otlpgovernor.rules.sampling.head.HeadSampler;
import io.otlpgovernor.rules.sampling.tail.TailEvaluator;

/**
 * One tenant's rule set compiled for the job: built once per version in each task, shared by every record of the
 * tenant until a newer version arrives.
 *
 * @param ruleSet  the validated rule set
 * @param compiled classification and protection, compiled
 * @param router   retention tier choice and splitting
 * @param head     head sampling
 * @param tail     tail sampling, or null when the rule set has none (then spans are written as they are governed)
 * @param cardinality metric series limits, or null when the rule set has none (then data points are written as they
 *                 are governed)
 */
public record TenantRules(
        RuleSet ruleSet,
        CompiledRules compiled,
        TierRouter router,
        HeadSampler head,
        TailEvaluator tail,
        SeriesLimiter cardinality) {

    public String tenant() {
        return ruleSet.tenant();
    }

    public long version() {
        return ruleSet.version();
    }

    /**
     * Compiles {@code ruleSet}; every tier it defines must be one the job writes ({@code knownTiers}), and every
     * key its {@code hash} rules use must be in {@code keyring}. A problem is an {@link IllegalArgumentException}
     * whose message names it (never a secret).
     */
    public static TenantRules compile(RuleSet ruleSet, HmacKeyring keyring, Set<String> knownTiers) {
        Set<String> unknown = new TreeSet<>(ruleSet.retention().tiers().keySet());
        unknown.removeAll(knownTiers);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("retention tiers " + unknown
                    + " have no governed topics in this deployment"
                    + " (known tiers: " + new TreeSet<>(knownTiers) + "); create their topics and restart the job with"
                    + " rules that define them");
        }
        return new TenantRules(
                ruleSet,
                CompiledRules.compile(ruleSet, keyring),
                new TierRouter(RetentionPolicy.compile(ruleSet.retention())),
                HeadSampler.compile(ruleSet.sampling().head()),
                ruleSet.sampling().tail().map(TailEvaluator::compile).orElse(null),
                ruleSet.cardinality().map(SeriesLimiter::new).orElse(null));
    }
}
