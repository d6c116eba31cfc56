package io.otlpgovernor.rules.ruleset;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.otlpgovernor.rules.cardinality.CardinalityRules;
import io.otlpgovernor.rules.protection.Action;
import io.otlpgovernor.rules.protection.ProtectionRule;
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
    void theShippedTenantsLimitMetricCardinality() throws Exception {
        RuleBook book = RuleLoader.load(RuleSources.fromDirectory(SHIPPED));

        // acme: generous per metric, tight on the metric ./otlp-governor demo explode explodes.
        CardinalityRules acme = book.tenant("acme").orElseThrow().cardinality().orElseThrow();
        assertThat(acme.keyedByMetric()).isTrue();
        assertThat(acme.limitOf("orders.placed")).hasValue(100);
        assertThat(acme.limitOf("http.server.requests")).hasValue(2000);
        assertThat(acme.overLimit()).isEqualTo(CardinalityRules.OverLimit.DROP_NEW_SERIES);
        assertThat(acme.seriesTtl()).isEqualTo(Duration.ofMinutes(10));
        CardinalityRules globex =
                book.tenant("globex").orElseThrow().cardinality().orElseThrow();
        assertThat(globex.keyedByMetric()).isFalse();
        assertThat(globex.maxSeries()).hasValue(5000);
        assertThat(globex.attributeValues()).containsExactly(Map.entry("department", 50L));
        assertThat(globex.overLimit()).isEqualTo(CardinalityRules.OverLimit.STRIP_ATTRIBUTES);
        assertThat(globex.stripAttributes()).isEmpty();
        CardinalityRules paynow =
                book.tenant("paynow").orElseThrow().cardinality().orElseThrow();
        assertThat(paynow.limitOf("payments.amount")).hasValue(1000);
        assertThat(paynow.overLimit()).isEqualTo(CardinalityRules.OverLimit.TAG_ONLY);
        assertThat(paynow.seriesTtl()).isEqualTo(Duration.ofMinutes(30));
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
