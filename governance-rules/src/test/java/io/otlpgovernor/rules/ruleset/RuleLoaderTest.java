package io.otlpgovernor.rules.ruleset;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.otlpgovernor.rules.protection.Action;
import io.otlpgovernor.rules.protection.ProtectionRule;
import io.otlpgovernor.rules.yaml.Problem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RuleLoaderTest {

    private static final Path SHIPPED = Path.of("rules");

    @Test
    void loadsTheShippedPresetsAndTenants() throws Exception {
        RuleBook book = RuleLoader.load(RuleSources.fromDirectory(SHIPPED));

        assertThat(book.tenants()).containsOnlyKeys("acme", "globex", "paynow");
        RuleSet acme = book.tenant("acme").orElseThrow();
        assertThat(acme.version()).isEqualTo(1);
        assertThat(acme.presets()).containsExactly("gdpr", "pci-dss");
        assertThat(acme.classification().detectors())
                .containsEntry("email", "pii")
                .containsEntry("payment-card", "pci");
        assertThat(acme.classification().patterns()).extracting(p -> p.id()).containsExactly("loyalty-number");
        assertThat(acme.protection())
                .filteredOn(p -> p.label().equals(Optional.of("pci")))
                .extracting(ProtectionRule::action)
                .containsExactly(Action.REDACT);
        assertThat(acme.retention().tiers()).containsEntry("standard", Duration.ofDays(30));
        RuleSet paynow = book.tenant("paynow").orElseThrow();
        assertThat(paynow.presets()).containsExactly("pci-dss", "sox");
        assertThat(paynow.protection())
                .filteredOn(p -> p.rule().equals(Optional.of("bearer-token")))
                .extracting(ProtectionRule::action)
                .containsExactly(Action.DROP_RECORD);
        assertThat(paynow.retention().tiers()).containsEntry("sox", Duration.ofDays(2557));
    }

    @Test
    void everyPresetLoadsOnItsOwn() throws Exception {
        for (String preset : List.of("gdpr", "hipaa", "pci-dss", "sox")) {
            RuleSources sources = new RuleSources(Map.of(
                    "presets/" + preset + ".yaml",
                    RuleSources.fromDirectory(SHIPPED).files().get("presets/" + preset + ".yaml"),
                    "tenants/t.yaml",
                    "tenant: t\nversion: 1\nextends: [" + preset + "]\n"));
            assertThat(RuleLoader.load(sources).tenant("t")).isPresent();
        }
    }

    @Test
    void reportsEveryProblemWithFileLinePathAndReason() {
        String broken = """
                tenant: acme
                version: 0
                extends: [gdpr, hippa]
                classification:
                  detectors:
                    - id: emial
                  patterns:
                    - id: ok-pattern
                      regex: 'ACME-[0-9]{8}'
                      label: pii
                    - id: broken
                      regex: '(unclosed'
                      label: pii
                    - id: lookahead
                      regex: 'foo(?=bar)'
                      label: PII
                  colour: blue
                protection:
                  - label: pci
                    action: shred
                  - rule: nope
                    action: redact
                quotas:
                  rate:
                    per-second: ten
                retention:
                  rules:
                    - id: r1
                      tier: forever
                sampling:
                  head:
                    default-probability: 1.5
                """;
        RuleSources sources = new RuleSources(Map.of(
                "presets/gdpr.yaml",
                "preset: gdpr\nclassification:\n  detectors:\n    - id: email\n",
                "tenants/acme.yaml",
                broken));

        RuleValidationException e = catchThrowableOfType(RuleValidationException.class, () -> RuleLoader.load(sources));

        assertThat(e.problems())
                .extracting(Problem::toString)
                .containsExactly(
                        "tenants/acme.yaml:2 version: must be at least 1",
                        "tenants/acme.yaml:3 extends[1]: unknown preset 'hippa' (available: gdpr)",
                        "tenants/acme.yaml:6 classification.detectors[0].id: unknown detector (built-in detectors: bearer-token, "
                                + "cloud-access-key, email, iban, ipv4, ipv6, jwt, payment-card, phone, private-key, us-ssn)",
                        "tenants/acme.yaml:12 classification.patterns[1].regex: unbalanced parenthesis",
                        "tenants/acme.yaml:15 classification.patterns[2].regex: unsupported syntax (RE2 has no backreferences or lookaround)",
                        "tenants/acme.yaml:16 classification.patterns[2].label: expected a label of lower-case letters, digits and '-' (such as pii, phi, pci, secret)",
                        "tenants/acme.yaml:17 classification.colour: unknown key (expected one of: detectors, exclude-keys, fields, key-names, patterns)",
                        "tenants/acme.yaml:20 protection[0].action: expected one of tag, hash, redact, drop-attribute, drop-record",
                        "tenants/acme.yaml:21 protection[1].rule: no detector or pattern with id 'nope' in this rule set",
                        "tenants/acme.yaml:25 quotas.rate.per-second: expected a whole number",
                        "tenants/acme.yaml:29 retention.rules[0].tier: unknown tier 'forever' (tiers: compliance, extended, short, standard)",
                        "tenants/acme.yaml:32 sampling.head.default-probability: must be between 0.0 and 1.0");
    }

    @Test
    void reportsReferencesToUnknownPresetsRulesAndTiersOnceTheFilesParse() {
        String tenant = """
                tenant: acme
                version: 3
                extends: [gdpr, hippa]
                protection:
                  - rule: nope
                    action: redact
                  - label: phi
                    action: redact
                retention:
                  default-tier: gold
                  rules:
                    - id: r1
                      tier: forever
                """;
        RuleSources sources = new RuleSources(Map.of(
                "presets/gdpr.yaml",
                "preset: gdpr\nclassification:\n  detectors:\n    - id: email\n",
                "tenants/acme.yaml",
                tenant));

        RuleValidationException e = catchThrowableOfType(RuleValidationException.class, () -> RuleLoader.load(sources));

        assertThat(e.problems())
                .extracting(Problem::toString)
                .containsExactly(
                        "tenants/acme.yaml:3 extends[1]: unknown preset 'hippa' (available: gdpr)",
                        "tenants/acme.yaml:5 protection[0].rule: no detector or pattern with id 'nope' in this rule set",
                        "tenants/acme.yaml:7 protection[1].label: no detector or pattern attaches label 'phi'",
                        "tenants/acme.yaml:10 retention.default-tier: unknown tier 'gold' (tiers: compliance, extended, short, standard)",
                        "tenants/acme.yaml:13 retention.rules[0].tier: unknown tier 'forever' (tiers: compliance, extended, short, standard)");
    }

    @Test
    void refusesYamlSyntaxErrorsWithoutQuotingTheLine() {
        RuleSources sources =
                new RuleSources(Map.of("tenants/acme.yaml", "tenant: acme\nversion: 1\n  secret-key: \"hunter2\n"));

        RuleValidationException e = catchThrowableOfType(RuleValidationException.class, () -> RuleLoader.load(sources));

        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).toString())
                .startsWith("tenants/acme.yaml:")
                .contains("not valid YAML")
                .doesNotContain("hunter2");
    }

    @Test
    void refusesDuplicateKeysAndMisplacedFiles() {
        RuleSources sources = new RuleSources(Map.of("tenants/acme.yaml", "tenant: globex\nversion: 1\nversion: 2\n"));

        RuleValidationException e = catchThrowableOfType(RuleValidationException.class, () -> RuleLoader.load(sources));

        assertThat(e.problems())
                .extracting(Problem::toString)
                .containsExactly(
                        "tenants/acme.yaml:1 tenant: a tenant named globex belongs in tenants/globex.yaml",
                        "tenants/acme.yaml:3 version: key 'version' appears twice");
    }

    @Test
    void mergesPresetsWithTheStrongerActionAndLetsTheTenantDecide() throws Exception {
        RuleSources sources = new RuleSources(
                Map.of(
                        "presets/soft.yaml",
                                "preset: soft\nclassification:\n  detectors:\n    - id: email\nprotection:\n  - label: pii\n    action: hash\n",
                        "presets/hard.yaml",
                                "preset: hard\nclassification:\n  detectors:\n    - id: phone\nprotection:\n  - label: pii\n    action: redact\n",
                        "tenants/a.yaml", "tenant: a\nversion: 1\nextends: [hard, soft]\n",
                        "tenants/b.yaml",
                                "tenant: b\nversion: 1\nextends: [hard, soft]\nprotection:\n  - label: pii\n    action: tag\n"));

        RuleBook book = RuleLoader.load(sources);

        assertThat(book.tenant("a").orElseThrow().protection())
                .extracting(ProtectionRule::action)
                .containsExactly(Action.REDACT);
        assertThat(book.tenant("b").orElseThrow().protection())
                .extracting(ProtectionRule::action)
                .containsExactly(Action.TAG);
        assertThat(book.tenant("a").orElseThrow().classification().detectors()).containsOnlyKeys("email", "phone");
    }

    @Test
    void aDetectorListedAgainWithoutALabelKeepsThePresetsLabel() throws Exception {
        RuleSources sources = new RuleSources(
                Map.of(
                        "presets/health.yaml",
                                "preset: health\nclassification:\n  detectors:\n    - id: email\n      label: phi\n",
                        "tenants/a.yaml",
                                "tenant: a\nversion: 1\nextends: [health]\nclassification:\n  detectors:\n    - id: email\n    - id: phone\n"));

        var detectors = RuleLoader.load(sources)
                .tenant("a")
                .orElseThrow()
                .classification()
                .detectors();

        assertThat(detectors).containsEntry("email", "phi").containsEntry("phone", "pii");
        assertThat(detectors.keySet()).as("rule-set order").containsExactly("email", "phone");
    }

    @Test
    void theTenantCanTurnKeyNameClassificationOff() throws Exception {
        RuleSources sources = new RuleSources(Map.of(
                "presets/p.yaml", "preset: p\nclassification:\n  key-names:\n    enabled: true\n",
                "tenants/a.yaml",
                        "tenant: a\nversion: 1\nextends: [p]\nclassification:\n  key-names:\n    enabled: false\n",
                "tenants/b.yaml", "tenant: b\nversion: 1\nextends: [p]\n"));

        RuleBook book = RuleLoader.load(sources);

        assertThat(book.tenant("a")
                        .orElseThrow()
                        .classification()
                        .keyNames()
                        .orElseThrow()
                        .enabled())
                .isFalse();
        assertThat(book.tenant("b")
                        .orElseThrow()
                        .classification()
                        .keyNames()
                        .orElseThrow()
                        .enabled())
                .isTrue();
    }
}
