package io.otlpgovernor.rules.protection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.otlpgovernor.rules.classification.ClassificationRules;
import io.otlpgovernor.rules.classification.ClassificationRules.FieldScope;
import io.otlpgovernor.rules.classification.ClassificationRules.KeyNameRule;
import io.otlpgovernor.rules.classification.FieldSite;
import io.otlpgovernor.rules.classification.PatternDetector;
import io.otlpgovernor.rules.classification.detectors.BuiltInDetectors;
import io.otlpgovernor.rules.classification.detectors.Detector;
import io.otlpgovernor.rules.ruleset.RuleSet;

/**
 * A tenant's rule set made ready to run: detectors instantiated, patterns compiled, protection resolved per rule.
 * Immutable and thread-safe; compile once per rule-set version and share.
 */
public final class CompiledRules {

    /** The rule id of findings made by attribute key names. */
    public static final String KEY_NAME_RULE = "sensitive-key-name";

    private final RuleSet ruleSet;
    private final List<ActiveDetector> detectors;
    private final Optional<KeyNameRule> keyNames;
    private final FieldScope scope;
    private final Set<String> excludeKeys;
    private final Map<String, Protection> protectionByRule;
    /** Attribute keys repeat endlessly: what the rules do with a key is worked out once per key (bounded). */
    private final KeyPlanCache keyPlans = new KeyPlanCache(MAX_CACHED_KEYS);

    private final java.util.function.Function<String, KeyPlan> planner = this::newPlan;

    private static final int MAX_CACHED_KEYS = 65_536;
    private final KeyPlan freeText;

    /** A detector in use, with the label it attaches and the protection of what it finds. */
    record ActiveDetector(Detector detector, String label, Protection protection, Set<String> onlyKeys) {
        boolean appliesTo(String key) {
            return onlyKeys.isEmpty() || onlyKeys.contains(key);
        }
    }

    /**
     * What the rules do with the values under one attribute key, worked out once per key: one lookup per attribute
     * instead of one per question.
     *
     * @param excluded            the tenant excluded the key from classification
     * @param sensitiveName       the key-name rule classifies the key's values whatever they are
     * @param holdsSensitiveValue a detector finds something in the key itself (maps keyed by e-mail address happen)
     * @param detectors           the detectors that apply to values under the key, in rule-set order
     */
    record KeyPlan(boolean excluded, boolean sensitiveName, boolean holdsSensitiveValue, ActiveDetector[] detectors) {}

    /** What happens to a finding of one rule. */
    record Protection(Action action, Optional<String> keyId) {
        static final Protection TAG = new Protection(Action.TAG, Optional.empty());
    }

    private CompiledRules(
            RuleSet ruleSet,
            List<ActiveDetector> detectors,
            Optional<KeyNameRule> keyNames,
            FieldScope scope,
            Set<String> excludeKeys,
            Map<String, Protection> protectionByRule) {
        this.ruleSet = ruleSet;
        this.detectors = List.copyOf(detectors);
        this.keyNames = keyNames;
        this.scope = scope;
        this.excludeKeys = excludeKeys;
        this.protectionByRule = Map.copyOf(protectionByRule);
        this.freeText = new KeyPlan(
                false,
                false,
                false,
                this.detectors.stream()
                        .filter(active -> active.onlyKeys().isEmpty())
                        .toArray(ActiveDetector[]::new));
    }

    /**
     * Compiles {@code ruleSet}. Every {@code hash} rule's key must be in {@code keyring}; a missing key is an
     * {@link IllegalArgumentException} naming the rule and key id (never a secret).
     */
    public static CompiledRules compile(RuleSet ruleSet, HmacKeyring keyring) {
        ClassificationRules classification = ruleSet.classification();
        Map<String, Protection> byRule = new HashMap<>();
        List<ActiveDetector> detectors = new ArrayList<>();
        classification.detectors().forEach((id, label) -> {
            Protection protection = protection(ruleSet, id, label, keyring);
            byRule.put(id, protection);
            detectors.add(new ActiveDetector(BuiltInDetectors.byId(id), label, protection, Set.of()));
        });
        for (ClassificationRules.PatternRule pattern : classification.patterns()) {
            Protection protection = protection(ruleSet, pattern.id(), pattern.label(), keyring);
            byRule.put(pattern.id(), protection);
            detectors.add(new ActiveDetector(
                    new PatternDetector(pattern.id(), pattern.regex()), pattern.label(), protection, pattern.keys()));
        }
        Optional<KeyNameRule> keyNames = classification.keyNames().filter(KeyNameRule::enabled);
        keyNames.ifPresent(k -> byRule.put(KEY_NAME_RULE, protection(ruleSet, KEY_NAME_RULE, k.label(), keyring)));
        return new CompiledRules(
                ruleSet,
                detectors,
                keyNames,
                classification.fields().orElse(FieldScope.DEFAULT),
                classification.excludeKeys(),
                byRule);
    }

    /** The tenant's entry for the rule if it has one, else for its label, else tag. */
    private static Protection protection(RuleSet ruleSet, String ruleId, String label, HmacKeyring keyring) {
        Optional<ProtectionRule> chosen = ruleSet.protection().stream()
                .filter(p -> p.rule().equals(Optional.of(ruleId)))
                .findFirst()
                .or(() -> ruleSet.protection().stream()
                        .filter(p -> p.label().equals(Optional.of(label)))
                        .findFirst());
        if (chosen.isEmpty()) {
            return Protection.TAG;
        }
        ProtectionRule rule = chosen.get();
        if (rule.action() == Action.HASH
                && (keyring == null || keyring.secret(rule.keyId()).isEmpty())) {
            throw new IllegalArgumentException("tenant " + ruleSet.tenant() + ": protection of " + rule.subject()
                    + " hashes with HMAC key '"
                    + (keyring == null ? rule.keyId().orElse("(current)") : keyring.resolve(rule.keyId()))
                    + "', which is not in the tenant's keyring");
        }
        return new Protection(rule.action(), rule.keyId());
    }

    public String tenant() {
        return ruleSet.tenant();
    }

    public long version() {
        return ruleSet.version();
    }

    public RuleSet ruleSet() {
        return ruleSet;
    }

    List<ActiveDetector> detectors() {
        return detectors;
    }

    Optional<KeyNameRule> keyNames() {
        return keyNames;
    }

    /** The plan for values under attribute key {@code key}; cached per key. */
    KeyPlan plan(String key) {
        return keyPlans.get(key, planner);
    }

    private KeyPlan newPlan(String key) {
        return new KeyPlan(
                excludeKeys.contains(key),
                keyNames.isPresent() && KeyNames.isSensitive(key, keyNames.get()),
                freeText.detectors().length > 0
                        && java.util.Arrays.stream(freeText.detectors())
                                .anyMatch(active -> !active.detector().find(key).isEmpty()),
                detectors.stream().filter(active -> active.appliesTo(key)).toArray(ActiveDetector[]::new));
    }

    /** The plan for text that is not under an attribute key: span names, log bodies, attribute keys themselves. */
    KeyPlan freeText() {
        return freeText;
    }

    Protection keyNameProtection() {
        return protectionByRule.get(KEY_NAME_RULE);
    }

    boolean classifies(FieldSite site) {
        return scope.attributes().contains(site);
    }

    boolean classifiesSpanNames() {
        return scope.spanNames();
    }

    boolean classifiesLogBodies() {
        return scope.logBodies();
    }
}
