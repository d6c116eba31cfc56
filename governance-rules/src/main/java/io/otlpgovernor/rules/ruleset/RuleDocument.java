package io.otlpgovernor.rules.ruleset;

import java.util.List;
import java.util.Optional;

import io.otlpgovernor.contract.TenantIds;
import io.otlpgovernor.rules.cardinality.CardinalityRules;
import io.otlpgovernor.rules.classification.ClassificationRules;
import io.otlpgovernor.rules.protection.ProtectionRule;
import io.otlpgovernor.rules.quota.QuotaRules;
import io.otlpgovernor.rules.retention.RetentionRules;
import io.otlpgovernor.rules.sampling.SamplingRules;
import io.otlpgovernor.rules.yaml.Fields;
import io.otlpgovernor.rules.yaml.NodePaths;
import io.otlpgovernor.rules.yaml.Problem;
import io.otlpgovernor.rules.yaml.Problems;
import io.otlpgovernor.rules.yaml.YamlSource;
import org.yaml.snakeyaml.nodes.Node;

/**
 * One rule file as written: a tenant's rules ({@code tenant:}) or a compliance preset ({@code preset:}).
 *
 * @param file        the file's name as given
 * @param root        the parsed YAML, for the lines of problems found later
 * @param isPreset    whether it is a preset
 * @param name        tenant id or preset name
 * @param version     the tenant file's version (presets: 0)
 * @param extendsList presets a tenant extends
 * @param description a preset's description
 * @param cardinality a tenant's metric series limits
 */
record RuleDocument(
        String file,
        Node root,
        boolean isPreset,
        String name,
        long version,
        List<String> extendsList,
        String description,
        ClassificationRules classification,
        List<ProtectionRule> protection,
        QuotaRules quotas,
        RetentionRules retention,
        SamplingRules sampling,
        Optional<CardinalityRules> cardinality) {

    /** A problem about the entry at {@code path} of this file. */
    Problem problemAt(String path, String reason) {
        return new Problem(file, NodePaths.line(root, path), path, reason);
    }

    /** Reads {@code text}; every problem goes to {@code problems}; empty when the file is unusable. */
    static Optional<RuleDocument> read(String file, String text, Problems problems) {
        return YamlSource.parse(file, text, problems).flatMap(root -> {
            Fields doc = Fields.of(file, "", root, problems);
            boolean preset = doc.has("preset");
            if (preset == doc.has("tenant")) {
                problems.add(
                        file,
                        root,
                        "",
                        "a rule file names either 'tenant' (a tenant's rules) or 'preset' (a compliance preset)");
            }
            Optional<String> name = preset
                    ? doc.string(
                            "preset",
                            s -> s.matches("[a-z][a-z0-9-]{0,31}"),
                            "expected a preset name of lower-case letters, digits and '-'")
                    : doc.string("tenant", TenantIds::isValid, "expected a tenant id: 1-63 of a-z, 0-9, '-', '_'");
            if (!preset) {
                doc.require("version");
            } else if (doc.has("version")) {
                doc.problem("version", "presets have no version; the tenant file's version covers them");
            }
            long version =
                    preset ? 0 : doc.integer("version", 1, Long.MAX_VALUE / 2).orElse(0L);
            List<String> extendsList = doc.strings("extends");
            String description = doc.string("description").orElse("");
            ClassificationRules classification =
                    doc.mapping("classification").map(ClassificationRules::read).orElse(ClassificationRules.NONE);
            List<ProtectionRule> protection =
                    doc.list("protection", (node, path) -> ProtectionRule.read(doc.element(node, path)));
            QuotaRules quotas = doc.mapping("quotas").map(QuotaRules::read).orElse(QuotaRules.NONE);
            RetentionRules retention =
                    doc.mapping("retention").map(RetentionRules::read).orElse(RetentionRules.NONE);
            SamplingRules sampling =
                    doc.mapping("sampling").map(SamplingRules::read).orElse(SamplingRules.NONE);
            Optional<CardinalityRules> cardinality = doc.mapping("cardinality").map(CardinalityRules::read);
            if (preset) {
                for (String tenantOnly : List.of("extends", "quotas", "sampling", "cardinality")) {
                    if (doc.has(tenantOnly)) {
                        doc.problem(tenantOnly, "only tenant files may set " + tenantOnly);
                    }
                }
            }
            doc.finish();
            return name.map(n -> new RuleDocument(
                    file,
                    root,
                    preset,
                    n,
                    version,
                    List.copyOf(extendsList),
                    description,
                    classification,
                    protection,
                    quotas,
                    retention,
                    sampling,
                    cardinality));
        });
    }
}
