package io.otlpgovernor.rules.classification;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.otlpgovernor.rules.classification.detectors.BuiltInDetectors;
import io.otlpgovernor.rules.yaml.Fields;

/**
 * The {@code classification} section of a rule file: which detectors and custom patterns run, on which fields,
 * and which label each attaches.
 *
 * @param detectors   built-in detectors by id, with the label each attaches, in the order written
 * @param defaultLabelled detectors listed without a label (they take the detector's default label, or, when
 *                    merged over a preset that labels them, the preset's label)
 * @param patterns    custom patterns
 * @param keyNames    classification of attributes by their key's name (password, authorization …)
 * @param fields      which fields are looked at; empty when the section does not say (defaults apply)
 * @param excludeKeys attribute keys never classified (exact match)
 */
public record ClassificationRules(
        Map<String, String> detectors,
        Set<String> defaultLabelled,
        List<PatternRule> patterns,
        Optional<KeyNameRule> keyNames,
        Optional<FieldScope> fields,
        Set<String> excludeKeys) {

    /** Labels: lower-case words such as pii, phi, pci, secret. */
    public static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    /** Rule ids: lower-case words joined by dashes. */
    public static final Pattern RULE_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    public static final ClassificationRules NONE =
            new ClassificationRules(Map.of(), Set.of(), List.of(), Optional.empty(), Optional.empty(), Set.of());

    public ClassificationRules {
        // Insertion order is rule-set order: it decides ties between detectors, so it must not vary between runs.
        detectors = Collections.unmodifiableMap(new LinkedHashMap<>(detectors));
        defaultLabelled = Set.copyOf(defaultLabelled);
        patterns = List.copyOf(patterns);
        excludeKeys = Set.copyOf(excludeKeys);
    }

    /**
     * @param id    rule id, unique within the rule set
     * @param regex the RE2 pattern (linear-time; no backreferences or lookaround)
     * @param label the label a match attaches
     * @param keys  attribute keys the pattern is limited to; empty = every classified field
     */
    public record PatternRule(String id, String regex, String label, Set<String> keys) {}

    /**
     * @param enabled whether attribute keys naming secrets or personal data classify their values
     * @param label   the label attached; default {@code secret}
     * @param extra   further key names (normalised like the built-in ones) to treat as sensitive
     */
    public record KeyNameRule(boolean enabled, String label, Set<String> extra) {}

    /**
     * @param attributes which attribute sites are classified
     * @param spanNames  whether span names are classified
     * @param logBodies  whether log bodies are classified
     */
    public record FieldScope(Set<FieldSite> attributes, boolean spanNames, boolean logBodies) {
        public static final FieldScope DEFAULT = new FieldScope(EnumSet.allOf(FieldSite.class), false, true);
    }

    /** Reads the section; problems go to {@code section}'s collector. */
    public static ClassificationRules read(Fields section) {
        Map<String, String> detectors = new LinkedHashMap<>();
        Set<String> defaultLabelled = new LinkedHashSet<>();
        section.list("detectors", (node, path) -> {
            Fields entry = section.element(node, path);
            entry.require("id");
            Optional<String> id = entry.string(
                    "id",
                    BuiltInDetectors.ids()::contains,
                    "unknown detector (built-in detectors: "
                            + String.join(", ", new java.util.TreeSet<>(BuiltInDetectors.ids())) + ")");
            Optional<String> label = label(entry);
            entry.finish();
            id.ifPresent(d -> {
                if (detectors.putIfAbsent(d, label.orElse(BuiltInDetectors.defaultLabel(d))) != null) {
                    entry.problem("id", "detector listed twice");
                } else if (label.isEmpty() && !entry.has("label")) {
                    defaultLabelled.add(d);
                }
            });
            return id;
        });
        List<PatternRule> patterns = section.list("patterns", (node, path) -> readPattern(section.element(node, path)));
        Set<String> patternIds = new LinkedHashSet<>();
        for (int i = 0; i < patterns.size(); i++) {
            if (!patternIds.add(patterns.get(i).id())) {
                section.problem("patterns", "pattern id '" + patterns.get(i).id() + "' is used twice");
            }
        }
        Optional<KeyNameRule> keyNames = section.mapping("key-names").map(ClassificationRules::readKeyNames);
        Optional<FieldScope> fields = section.mapping("fields").map(ClassificationRules::readScope);
        Set<String> exclude = new LinkedHashSet<>(section.strings("exclude-keys"));
        section.finish();
        return new ClassificationRules(detectors, defaultLabelled, patterns, keyNames, fields, exclude);
    }

    private static Optional<PatternRule> readPattern(Fields entry) {
        entry.require("id");
        entry.require("regex");
        entry.require("label");
        Optional<String> id = entry.string(
                "id",
                s -> RULE_ID.matcher(s).matches(),
                "expected lower-case letters, digits and '-', starting with a letter");
        Optional<String> regex = entry.string("regex")
                .flatMap(r -> RegexCheck.problem(r)
                        .map(reason -> {
                            entry.problem("regex", reason);
                            return Optional.<String>empty();
                        })
                        .orElse(Optional.of(r)));
        Optional<String> label = label(entry);
        Set<String> keys = new LinkedHashSet<>(entry.strings("keys"));
        entry.finish();
        if (id.isEmpty() || regex.isEmpty() || label.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PatternRule(id.get(), regex.get(), label.get(), Set.copyOf(keys)));
    }

    private static KeyNameRule readKeyNames(Fields entry) {
        boolean enabled = entry.bool("enabled").orElse(true);
        String label = label(entry).orElse("secret");
        Set<String> extra = new LinkedHashSet<>(entry.strings("extra"));
        entry.finish();
        return new KeyNameRule(enabled, label, Set.copyOf(extra));
    }

    private static FieldScope readScope(Fields entry) {
        Set<FieldSite> sites = EnumSet.noneOf(FieldSite.class);
        List<String> named = entry.list(
                "attributes",
                (node, path) -> entry.scalar(node, path, "a field site").flatMap(id -> {
                    Optional<FieldSite> site = FieldSite.forId(id);
                    if (site.isEmpty()) {
                        entry.problems()
                                .add(
                                        entry.file(),
                                        node,
                                        path,
                                        "unknown field site (expected one of: resource, scope, span, "
                                                + "span-event, span-link, log, data-point)");
                    }
                    return site.map(FieldSite::id);
                }));
        named.forEach(id -> sites.add(FieldSite.forId(id).orElseThrow()));
        boolean attributesGiven = entry.has("attributes");
        boolean spanNames = entry.bool("span-names").orElse(false);
        boolean logBodies = entry.bool("log-bodies").orElse(true);
        entry.finish();
        return new FieldScope(
                attributesGiven ? Set.copyOf(sites) : FieldScope.DEFAULT.attributes(), spanNames, logBodies);
    }

    static Optional<String> label(Fields entry) {
        return entry.string(
                "label",
                s -> LABEL.matcher(s).matches(),
                "expected a label of lower-case letters, digits and '-' (such as pii, phi, pci, secret)");
    }
}
