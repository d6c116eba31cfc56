package io.otlpgovernor.rules.retention;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.rules.condition.When;

/**
 * A tenant's retention rules, compiled: chooses the tier of a record and says whether the record is already older
 * than its tier keeps data. Immutable and thread-safe.
 *
 * <p>Choice: the first tier rule whose conditions all hold; otherwise the default tier. A legal hold raises the
 * choice to the hold's tier when that tier keeps data longer — a hold never shortens retention.
 */
public final class RetentionPolicy {

    private final Map<String, Duration> tiers;
    private final String defaultTier;
    private final List<RetentionRules.TierRule> rules;
    /** The compiled {@code when} of each rule, by the rule's index. */
    private final List<When> conditions;

    private final Optional<String> legalHold;
    private final Set<String> attributeKeys;

    private RetentionPolicy(
            Map<String, Duration> tiers,
            String defaultTier,
            List<RetentionRules.TierRule> rules,
            Optional<String> legalHold) {
        this.tiers = tiers;
        this.defaultTier = defaultTier;
        this.rules = rules;
        this.conditions = rules.stream().map(rule -> When.compile(rule.when())).toList();
        this.legalHold = legalHold;
        this.attributeKeys = rules.stream()
                .flatMap(rule -> rule.when().attributes().keySet().stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Compiles validated (merged) rules: every tier they name exists. */
    public static RetentionPolicy compile(RetentionRules rules) {
        String defaultTier = rules.defaultTier().orElse(TopicNames.DEFAULT_TIER);
        if (!rules.tiers().containsKey(defaultTier)) {
            throw new IllegalArgumentException("default tier '" + defaultTier + "' is not defined");
        }
        return new RetentionPolicy(
                Map.copyOf(rules.tiers()), defaultTier, List.copyOf(rules.rules()), rules.legalHold());
    }

    /**
     * What is known about a record when its tier is chosen: what a {@link When} condition reads.
     *
     * @param signal             its signal
     * @param labels             classification labels attached to it
     * @param service            its resource's {@code service.name}, {@code ""} when none
     * @param attributes         its own attributes (they win over the resource's on a clash)
     * @param resourceAttributes its resource's attributes
     */
    public record Subject(
            Signal signal,
            Set<String> labels,
            String service,
            List<KeyValue> attributes,
            List<KeyValue> resourceAttributes) {}

    /** The chosen tier and the rule that chose it ({@code default} or {@code legal-hold} when no rule did). */
    public record Choice(String tier, String ruleId, Duration retention) {}

    public Choice choose(Subject subject) {
        Choice choice = new Choice(defaultTier, "default", tiers.get(defaultTier));
        for (int i = 0; i < rules.size(); i++) {
            if (conditions
                    .get(i)
                    .matches(
                            subject.signal(),
                            subject.service(),
                            subject.labels(),
                            subject.attributes(),
                            subject.resourceAttributes())) {
                RetentionRules.TierRule rule = rules.get(i);
                choice = new Choice(rule.tier(), rule.id(), tiers.get(rule.tier()));
                break;
            }
        }
        if (legalHold.isPresent() && tiers.get(legalHold.get()).compareTo(choice.retention()) > 0) {
            return new Choice(legalHold.get(), "legal-hold", tiers.get(legalHold.get()));
        }
        return choice;
    }

    /** Whether data observed at {@code observedAtNanos} (Unix epoch) is past {@code choice}'s retention at {@code nowNanos}. */
    public static boolean expired(Choice choice, long observedAtNanos, long nowNanos) {
        return observedAtNanos > 0
                && nowNanos - observedAtNanos > choice.retention().toNanos();
    }

    /**
     * The attribute keys some tier rule tests: an item holding none of them is chosen for by its signal, labels and
     * resource alone, so callers choosing per item can reuse the choice of the item before.
     */
    public Set<String> attributeKeys() {
        return attributeKeys;
    }

    /** Tier name → retention, for deriving topic settings. */
    public Map<String, Duration> tiers() {
        return tiers;
    }
}
