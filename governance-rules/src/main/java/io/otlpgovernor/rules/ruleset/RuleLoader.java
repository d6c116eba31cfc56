package io.otlpgovernor.rules.ruleset;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.otlpgovernor.rules.classification.ClassificationRules;
import io.otlpgovernor.rules.classification.ClassificationRules.FieldScope;
import io.otlpgovernor.rules.classification.ClassificationRules.KeyNameRule;
import io.otlpgovernor.rules.classification.ClassificationRules.PatternRule;
import io.otlpgovernor.rules.classification.FieldSite;
import io.otlpgovernor.rules.protection.ProtectionRule;
import io.otlpgovernor.rules.retention.RetentionRules;
import io.otlpgovernor.rules.yaml.Problems;

/**
 * Loads rule files, merges each tenant's file with the presets it extends, and validates the result. Nothing
 * is returned unless every file is valid: {@link RuleValidationException} carries all problems at once.
 *
 * <p>Merging, in the order {@code extends} lists the presets, then the tenant file:
 * <ul>
 *   <li>detectors and patterns: the union; a later entry with the same id replaces an earlier one, except that a
 *       detector listed again without a label keeps the label an earlier file gave it;</li>
 *   <li>key names: enabled if any preset enables them, unless the tenant says otherwise; extra names are
 *       united; the last label given wins;</li>
 *   <li>fields: the tenant's if it says, else the union of the presets', else the defaults;</li>
 *   <li>exclude-keys: the union;</li>
 *   <li>protection, per label or rule: the tenant's entry if it has one, else the strongest preset entry
 *       (drop-record > drop-attribute > redact > hash > tag) — presets never weaken each other;</li>
 *   <li>retention tiers: built-in tiers, then presets' (for a name defined twice, the longer retention), then the
 *       tenant's (which may shorten a tier: the tenant decides); rules: the tenant's, then the presets' in order;
 *       default tier and legal hold: the tenant's, else the last preset's;</li>
 *   <li>quotas and sampling: tenant files only.</li>
 * </ul>
 */
public final class RuleLoader {

    private RuleLoader() {}

    /** Loads and validates every tenant in {@code sources}. */
    public static RuleBook load(RuleSources sources) throws RuleValidationException {
        Problems problems = new Problems();
        Map<String, RuleDocument> presets = new LinkedHashMap<>();
        List<RuleDocument> tenants = new ArrayList<>();
        sources.files().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(file -> RuleDocument.read(file.getKey(), file.getValue(), problems)
                        .ifPresent(doc -> {
                            checkPlacement(doc, problems);
                            if (doc.isPreset()) {
                                presets.put(doc.name(), doc);
                            } else {
                                tenants.add(doc);
                            }
                        }));
        Map<String, RuleSet> ruleSets = new LinkedHashMap<>();
        Set<String> seenTenants = new HashSet<>();
        for (RuleDocument tenant : tenants) {
            if (!seenTenants.add(tenant.name())) {
                problems.add(tenant.problemAt("tenant", "tenant " + tenant.name() + " has more than one rule file"));
                continue;
            }
            merge(tenant, presets, problems).ifPresent(set -> ruleSets.put(set.tenant(), set));
        }
        if (!problems.isEmpty()) {
            throw new RuleValidationException(problems.sorted());
        }
        return new RuleBook(ruleSets, sources);
    }

    private static void checkPlacement(RuleDocument doc, Problems problems) {
        String expected = (doc.isPreset() ? RuleSources.PRESETS : RuleSources.TENANTS) + doc.name() + ".yaml";
        if (!doc.file().endsWith(expected)) {
            problems.add(doc.problemAt(
                    doc.isPreset() ? "preset" : "tenant",
                    "a " + (doc.isPreset() ? "preset" : "tenant") + " named " + doc.name() + " belongs in "
                            + expected));
        }
    }

    private static Optional<RuleSet> merge(RuleDocument tenant, Map<String, RuleDocument> presets, Problems problems) {
        List<RuleDocument> parts = new ArrayList<>();
        for (int i = 0; i < tenant.extendsList().size(); i++) {
            String name = tenant.extendsList().get(i);
            RuleDocument preset = presets.get(name);
            if (preset == null) {
                problems.add(tenant.problemAt(
                        "extends[" + i + "]",
                        "unknown preset '" + name + "' (available: " + String.join(", ", presets.keySet()) + ")"));
            } else {
                parts.add(preset);
            }
        }
        parts.add(tenant);
        ClassificationRules classification = mergeClassification(parts);
        List<ProtectionRule> protection = mergeProtection(parts);
        RetentionRules retention = mergeRetention(parts);
        int before = problems.size();
        checkReferences(tenant, parts, classification, retention, problems);
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new RuleSet(
                tenant.name(),
                tenant.version(),
                List.copyOf(tenant.extendsList()),
                classification,
                protection,
                tenant.quotas(),
                retention,
                tenant.sampling(),
                tenant.cardinality()));
    }

    private static ClassificationRules mergeClassification(List<RuleDocument> parts) {
        Map<String, String> detectors = new LinkedHashMap<>();
        Map<String, PatternRule> patterns = new LinkedHashMap<>();
        Optional<KeyNameRule> keyNames = Optional.empty();
        Set<FieldSite> presetSites = EnumSet.noneOf(FieldSite.class);
        boolean presetSpanNames = false;
        boolean presetLogBodies = false;
        boolean presetScope = false;
        Optional<FieldScope> tenantScope = Optional.empty();
        Set<String> exclude = new LinkedHashSet<>();
        for (RuleDocument part : parts) {
            ClassificationRules c = part.classification();
            c.detectors().forEach((id, label) -> {
                if (!c.defaultLabelled().contains(id) || !detectors.containsKey(id)) {
                    detectors.put(id, label);
                }
            });
            c.patterns().forEach(p -> patterns.put(p.id(), p));
            if (c.keyNames().isPresent()) {
                KeyNameRule next = c.keyNames().get();
                // Presets add up (any enables); the tenant's own 'enabled' has the last word.
                keyNames = Optional.of(keyNames.map(prev -> {
                            Set<String> extra = new LinkedHashSet<>(prev.extra());
                            extra.addAll(next.extra());
                            boolean enabled = part.isPreset() ? prev.enabled() || next.enabled() : next.enabled();
                            return new KeyNameRule(enabled, next.label(), Set.copyOf(extra));
                        })
                        .orElse(next));
            }
            if (c.fields().isPresent()) {
                if (part.isPreset()) {
                    presetScope = true;
                    presetSites.addAll(c.fields().get().attributes());
                    presetSpanNames |= c.fields().get().spanNames();
                    presetLogBodies |= c.fields().get().logBodies();
                } else {
                    tenantScope = c.fields();
                }
            }
            exclude.addAll(c.excludeKeys());
        }
        Optional<FieldScope> scope = tenantScope.isPresent()
                ? tenantScope
                : presetScope
                        ? Optional.of(new FieldScope(Set.copyOf(presetSites), presetSpanNames, presetLogBodies))
                        : Optional.empty();
        return new ClassificationRules(detectors, Set.of(), List.copyOf(patterns.values()), keyNames, scope, exclude);
    }

    private static List<ProtectionRule> mergeProtection(List<RuleDocument> parts) {
        Map<String, ProtectionRule> bySubject = new LinkedHashMap<>();
        for (RuleDocument part : parts) {
            for (ProtectionRule rule : part.protection()) {
                ProtectionRule previous = bySubject.get(rule.subject());
                boolean replace = previous == null
                        || !part.isPreset()
                        || rule.action().ordinal() > previous.action().ordinal();
                if (replace) {
                    bySubject.put(rule.subject(), rule);
                }
            }
        }
        return List.copyOf(bySubject.values());
    }

    private static RetentionRules mergeRetention(List<RuleDocument> parts) {
        Map<String, Duration> tiers = new LinkedHashMap<>(RetentionRules.BUILT_IN_TIERS);
        List<RetentionRules.TierRule> rules = new ArrayList<>();
        Optional<String> defaultTier = Optional.empty();
        Optional<String> legalHold = Optional.empty();
        for (RuleDocument part : parts) {
            RetentionRules r = part.retention();
            r.tiers()
                    .forEach((name, retention) -> tiers.merge(
                            name, retention, (old, next) -> part.isPreset() && old.compareTo(next) > 0 ? old : next));
            defaultTier = r.defaultTier().isPresent() ? r.defaultTier() : defaultTier;
            legalHold = r.legalHold().isPresent() ? r.legalHold() : legalHold;
        }
        // The tenant's rules come first so they can override what presets assign.
        for (int i = parts.size() - 1; i >= 0; i--) {
            rules.addAll(parts.get(i).retention().rules());
        }
        return new RetentionRules(Map.copyOf(tiers), defaultTier, List.copyOf(rules), legalHold);
    }

    private static void checkReferences(
            RuleDocument tenant,
            List<RuleDocument> parts,
            ClassificationRules classification,
            RetentionRules retention,
            Problems problems) {
        Set<String> ruleIds = new LinkedHashSet<>(classification.detectors().keySet());
        classification.patterns().forEach(p -> ruleIds.add(p.id()));
        Set<String> labels = new LinkedHashSet<>(classification.detectors().values());
        classification.patterns().forEach(p -> labels.add(p.label()));
        classification.keyNames().filter(KeyNameRule::enabled).ifPresent(k -> {
            labels.add(k.label());
            ruleIds.add("sensitive-key-name");
        });
        for (RuleDocument part : parts) {
            for (ProtectionRule rule : part.protection()) {
                if (rule.rule().isPresent() && !ruleIds.contains(rule.rule().get())) {
                    problems.add(part.problemAt(
                            rule.path() + ".rule",
                            "no detector or pattern with id '" + rule.rule().get() + "' in this rule set"
                                    + forTenant(part, tenant)));
                }
                if (rule.label().isPresent() && !labels.contains(rule.label().get())) {
                    problems.add(part.problemAt(
                            rule.path() + ".label",
                            "no detector or pattern attaches label '"
                                    + rule.label().get() + "'" + forTenant(part, tenant)));
                }
            }
            for (RetentionRules.TierRule rule : part.retention().rules()) {
                if (!retention.tiers().containsKey(rule.tier())) {
                    problems.add(part.problemAt(
                            rule.path() + ".tier", unknownTier(rule.tier(), retention) + forTenant(part, tenant)));
                }
            }
            part.retention()
                    .defaultTier()
                    .filter(t -> !retention.tiers().containsKey(t))
                    .ifPresent(t -> problems.add(part.problemAt(
                            "retention.default-tier", unknownTier(t, retention) + forTenant(part, tenant))));
            part.retention()
                    .legalHold()
                    .filter(t -> !retention.tiers().containsKey(t))
                    .ifPresent(t -> problems.add(part.problemAt(
                            "retention.legal-hold.tier", unknownTier(t, retention) + forTenant(part, tenant))));
        }
    }

    private static String unknownTier(String tier, RetentionRules retention) {
        return "unknown tier '" + tier + "' (tiers: "
                + String.join(", ", new java.util.TreeSet<>(retention.tiers().keySet())) + ")";
    }

    private static String forTenant(RuleDocument part, RuleDocument tenant) {
        return part == tenant ? "" : " (as extended by tenant " + tenant.name() + ")";
    }
}
