package io.otlpgovernor.rules.protection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;

import io.otlpgovernor.rules.classification.detectors.Detector;
import io.otlpgovernor.rules.classification.detectors.TextProfile;
import io.otlpgovernor.rules.protection.CompiledRules.ActiveDetector;
import io.otlpgovernor.rules.protection.CompiledRules.KeyPlan;
import io.otlpgovernor.rules.protection.CompiledRules.Protection;

/**
 * Classifies and protects one text value: runs the detectors, resolves overlapping matches, and rewrites the
 * text (redact, hash) or reports that the attribute or the whole record must go. Holds one {@link Mac} per key,
 * so an instance is not thread-safe: each engine (one per operator instance) has its own.
 */
final class ValueProtector {

    /** What happened to one value. */
    record Outcome(Action strongest, String text) {
        static final Outcome UNCHANGED = new Outcome(null, null);

        boolean changed() {
            return strongest != null && strongest != Action.TAG;
        }
    }

    private record Hit(int start, int end, ActiveDetector detector) implements Stretch {}

    private final Map<String, HmacKeyring> keyrings;
    private final Map<String, Mac> macs = new HashMap<>();

    ValueProtector(Map<String, HmacKeyring> keyrings) {
        this.keyrings = keyrings;
    }

    /**
     * Protects {@code text} found under an attribute key with plan {@code plan} (the free-text plan for span names,
     * log bodies and keys themselves); the field path is only computed when there is something to record. Records
     * findings in {@code decisions}; returns {@link Outcome#UNCHANGED} when no rule matched.
     */
    Outcome protect(CompiledRules rules, KeyPlan plan, String text, Supplier<String> fieldPath, Decisions decisions) {
        if (plan.sensitiveName()) {
            Protection protection = rules.keyNameProtection();
            decisions.record(new Finding(
                    CompiledRules.KEY_NAME_RULE, rules.keyNames().get().label(), protection.action(), fieldPath.get()));
            return new Outcome(protection.action(), rewriteWhole(rules, CompiledRules.KEY_NAME_RULE, protection, text));
        }
        List<Hit> hits = findHits(plan, text);
        if (hits.isEmpty()) {
            return Outcome.UNCHANGED;
        }
        Action strongest = Action.TAG;
        String path = fieldPath.get();
        for (Hit hit : hits) {
            Protection protection = hit.detector().protection();
            strongest = strongest.strongest(protection.action());
            decisions.record(
                    new Finding(hit.detector().detector().id(), hit.detector().label(), protection.action(), path));
        }
        if (strongest == Action.DROP_ATTRIBUTE || strongest == Action.DROP_RECORD || strongest == Action.TAG) {
            return new Outcome(strongest, text);
        }
        return new Outcome(strongest, rewrite(rules, text, hits));
    }

    private static List<Hit> findHits(KeyPlan plan, String text) {
        ActiveDetector[] detectors = plan.detectors();
        if (detectors.length == 0 || text.isEmpty()) {
            return List.of();
        }
        // One pass over the text for every detector's pre-check.
        long profile = TextProfile.of(text);
        List<Hit> hits = null;
        for (ActiveDetector active : detectors) {
            List<Detector.Match> matches = active.detector().find(text, profile);
            if (matches.isEmpty()) {
                continue;
            }
            if (hits == null) {
                hits = new ArrayList<>(matches.size());
            }
            for (Detector.Match match : matches) {
                hits.add(new Hit(match.start(), match.end(), active));
            }
        }
        if (hits == null) {
            return List.of();
        }
        // Detectors are listed in rule-set order, so ties between equal ranges go to the earlier rule.
        return Stretch.withoutOverlaps(hits);
    }

    private String rewrite(CompiledRules rules, String text, List<Hit> hits) {
        StringBuilder out = new StringBuilder(text.length() + 16 * hits.size());
        int from = 0;
        for (Hit hit : hits) {
            out.append(text, from, hit.start());
            Protection protection = hit.detector().protection();
            String value = text.substring(hit.start(), hit.end());
            out.append(replacement(rules, hit.detector().detector().id(), protection, value));
            from = hit.end();
        }
        return out.append(text, from, text.length()).toString();
    }

    private String rewriteWhole(CompiledRules rules, String ruleId, Protection protection, String text) {
        return switch (protection.action()) {
            case REDACT, HASH -> replacement(rules, ruleId, protection, text);
            default -> text;
        };
    }

    private String replacement(CompiledRules rules, String ruleId, Protection protection, String value) {
        return switch (protection.action()) {
            case HASH -> hash(rules.tenant(), protection.keyId(), value);
            case REDACT -> "[REDACTED:" + ruleId + "]";
            default -> value;
        };
    }

    /** The value's pseudonym under the rule's key (see {@link Pseudonyms}). */
    private String hash(String tenant, Optional<String> keyId, String value) {
        HmacKeyring keyring = keyrings.get(tenant);
        String resolved = keyring.resolve(keyId);
        Mac mac = macs.computeIfAbsent(
                tenant + '\u0000' + resolved,
                k -> Pseudonyms.mac(keyring.secret(keyId).orElseThrow()));
        return Pseudonyms.of(mac, resolved, value);
    }
}
