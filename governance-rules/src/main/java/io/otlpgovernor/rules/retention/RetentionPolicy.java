package io.otlpgovernor.rules.retention;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;

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
     * What is known about a record when its tier is chosen.
     *
     * @param signal     its signal
     * @param labels     classification labels attached to it
     * @param service    its resource's {@code service.name}, or null
     * @param attributes string attributes of its resource and of the record itself (record wins on a clash)
     */
    public record Subject(Signal signal, Set<String> labels, String service, Map<String, String> attributes) {}

    /** The chosen tier and the rule that chose it ({@code default} or {@code legal-hold} when no rule did). */
    public record Choice(String tier, String ruleId, Duration retention) {}

    public Choice choose(Subject subject) {
        Choice choice = new Choice(defaultTier, "default", tiers.get(defaultTier));
        for (RetentionRules.TierRule rule : rules) {
            if (matches(rule.when(), subject)) {
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
     * The attribute keys some tier rule tests. A {@link Subject}'s attributes need hold only these — none at all
     * when this is empty — so callers choosing per record can skip building most attribute maps.
     */
    public Set<String> attributeKeys() {
        return attributeKeys;
    }

    /** Tier name → retention, for deriving topic settings. */
    public Map<String, Duration> tiers() {
        return tiers;
    }

    static boolean matches(RetentionRules.Match when, Subject subject) {
        if (!when.signals().isEmpty() && !when.signals().contains(subject.signal())) {
            return false;
        }
        if (!when.services().isEmpty()
                && (subject.service() == null || !when.services().contains(subject.service()))) {
            return false;
        }
        if (!when.labels().isEmpty() && when.labels().stream().noneMatch(subject.labels()::contains)) {
            return false;
        }
        for (Map.Entry<String, String> attribute : when.attributes().entrySet()) {
            if (!attribute.getValue().equals(subject.attributes().get(attribute.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
