package io.otlpgovernor.rules.ruleset;

import java.util.List;
import java.util.Optional;

import io.otlpgovernor.rules.cardinality.CardinalityRules;
import io.otlpgovernor.rules.classification.ClassificationRules;
import io.otlpgovernor.rules.protection.ProtectionRule;
import io.otlpgovernor.rules.quota.QuotaRules;
import io.otlpgovernor.rules.retention.RetentionRules;
import io.otlpgovernor.rules.sampling.SamplingRules;

/**
 * One tenant's effective rules: its own file merged with the presets it extends, validated.
 *
 * @param tenant         the tenant id
 * @param version        the rule set's version, from the tenant file; increases with every change
 * @param presets        the presets it extends, in order
 * @param classification detectors and patterns
 * @param protection     what happens to classified values
 * @param quotas         rate and volume limits
 * @param retention      tiers and tier assignment
 * @param sampling       head and tail sampling
 * @param cardinality    metric series limits, when the tenant has them
 */
public record RuleSet(
        String tenant,
        long version,
        List<String> presets,
        ClassificationRules classification,
        List<ProtectionRule> protection,
        QuotaRules quotas,
        RetentionRules retention,
        SamplingRules sampling,
        Optional<CardinalityRules> cardinality) {}
