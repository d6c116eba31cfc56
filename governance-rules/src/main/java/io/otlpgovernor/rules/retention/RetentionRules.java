package io.otlpgovernor.rules.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.otlpgovernor.rules.classification.ClassificationRules;
import io.otlpgovernor.rules.condition.Match;
import io.otlpgovernor.rules.yaml.Fields;

/**
 * The {@code retention} section: the tiers data can be kept in, and rules choosing a record's tier.
 *
 * @param tiers       tier name → how long data is kept; merged with the built-in tiers
 * @param defaultTier the tier of data no rule assigns; empty = {@code standard}
 * @param rules       tier assignments, first match wins
 * @param legalHold   while present, every record goes to at least this tier (by retention)
 */
public record RetentionRules(
        Map<String, Duration> tiers, Optional<String> defaultTier, List<TierRule> rules, Optional<String> legalHold) {

    /** Built-in tiers, present in every rule set unless redefined. */
    public static final Map<String, Duration> BUILT_IN_TIERS = Map.of(
            "short", Duration.ofDays(7),
            "standard", Duration.ofDays(30),
            "extended", Duration.ofDays(90),
            "compliance", Duration.ofDays(400));

    public static final RetentionRules NONE =
            new RetentionRules(Map.of(), Optional.empty(), List.of(), Optional.empty());

    private static final Pattern TIER_NAME = Pattern.compile("[a-z][a-z0-9]{0,19}");

    /**
     * @param id   rule id
     * @param tier the tier matching records go to
     * @param when what a record must match (all given conditions)
     * @param path where the rule is in its file, for problems found after reading
     */
    public record TierRule(String id, String tier, Match when, String path) {}

    public static RetentionRules read(Fields section) {
        Map<String, Duration> tiers = new LinkedHashMap<>();
        section.list("tiers", (node, path) -> {
            Fields tier = section.element(node, path);
            tier.require("name");
            tier.require("retention");
            Optional<String> name = tier.string(
                    "name",
                    s -> TIER_NAME.matcher(s).matches(),
                    "expected 1-20 lower-case letters and digits, starting with a letter (it becomes part of topic names)");
            Optional<Duration> retention = tier.duration("retention", Duration.ofHours(1), Duration.ofDays(3650));
            tier.finish();
            if (name.isPresent() && retention.isPresent() && tiers.putIfAbsent(name.get(), retention.get()) != null) {
                tier.problem("name", "tier defined twice");
            }
            return name;
        });
        Optional<String> defaultTier = section.string("default-tier");
        List<TierRule> rules =
                new ArrayList<>(section.list("rules", (node, path) -> readRule(section.element(node, path))));
        Optional<String> legalHold = section.mapping("legal-hold").flatMap(hold -> {
            hold.require("tier");
            Optional<String> tier = hold.string("tier");
            hold.finish();
            return tier;
        });
        section.finish();
        return new RetentionRules(Map.copyOf(tiers), defaultTier, List.copyOf(rules), legalHold);
    }

    private static Optional<TierRule> readRule(Fields rule) {
        rule.require("id");
        rule.require("tier");
        Optional<String> id = rule.string(
                "id",
                s -> ClassificationRules.RULE_ID.matcher(s).matches(),
                "expected lower-case letters, digits and '-', starting with a letter");
        Optional<String> tier = rule.string("tier");
        Match when = rule.mapping("when").map(Match::read).orElse(Match.ANY);
        rule.finish();
        return id.flatMap(i -> tier.map(t -> new TierRule(i, t, when, rule.path())));
    }
}
