package io.otlpgovernor.rules.pipeline.registry;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.ruleset.RuleSetMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RuleRegistryTest {

    private static final Set<String> TIERS = Set.of("short", "standard", "extended", "compliance");

    private final Map<String, byte[]> state = new HashMap<>();
    private final RuleRegistry registry =
            new RuleRegistry(Map.of("shop", message("shop", 2, "").toJson()), TIERS, Map.of());

    @Test
    void startsFromTheFilesAndTakesANewerVersion() {
        assertThat(registry.rules("shop", state::get))
                .hasValueSatisfying(r -> assertThat(r.version()).isEqualTo(2));

        RuleChange change = apply(update("shop", message("shop", 3, "")));

        assertThat(change.outcome()).isEqualTo(RuleChange.Outcome.ACCEPTED);
        assertThat(change.previousVersion()).isEqualTo(2);
        assertThat(registry.rules("shop", state::get))
                .hasValueSatisfying(r -> assertThat(r.version()).isEqualTo(3));
    }

    @Test
    void olderVersionsAreStaleAndTheSameVersionAgainIsUnchanged() {
        assertThat(apply(update("shop", message("shop", 1, ""))).outcome()).isEqualTo(RuleChange.Outcome.STALE);
        assertThat(apply(update("shop", message("shop", 2, ""))).outcome()).isEqualTo(RuleChange.Outcome.UNCHANGED);
        assertThat(state).isEmpty();
    }

    @Test
    void changedRulesUnderTheSameVersionAreRejected() {
        RuleChange change = apply(update("shop", message("shop", 2, "quotas:\n  rate:\n    per-second: 5\n")));

        assertThat(change.outcome()).isEqualTo(RuleChange.Outcome.REJECTED);
        assertThat(change.problems()).containsExactly("the rules changed but version 2 did not rise");
    }

    @Test
    void invalidRulesAreRejectedWithEveryProblemAndTheLastGoodSetStays() {
        RuleChange change =
                apply(update("shop", message("shop", 3, "quotas:\n  rate:\n    per-second: -3\n  colour: red\n")));

        assertThat(change.outcome()).isEqualTo(RuleChange.Outcome.REJECTED);
        assertThat(change.problems()).hasSize(2).allSatisfy(p -> assertThat(p).startsWith("tenants/shop.yaml:"));
        assertThat(change.problems()).anySatisfy(p -> assertThat(p).contains("quotas.rate.per-second"));
        assertThat(registry.rules("shop", state::get))
                .hasValueSatisfying(r -> assertThat(r.version()).isEqualTo(2));
    }

    @Test
    void unreadableAndMisaddressedRecordsAreRejected() {
        assertThat(apply(new RuleUpdate("shop", "{not json".getBytes(StandardCharsets.UTF_8), 7))
                        .problems()
                        .get(0))
                .startsWith("not a rule set message");
        assertThat(apply(update("shop", message("other", 5, ""))).problems())
                .containsExactly("the message is for another tenant than its key");
        assertThat(apply(update("Bad Key!", message("shop", 5, ""))).problems())
                .containsExactly("record key: not a valid tenant id");
        assertThat(apply(new RuleUpdate("shop", null, 9)).problems().get(0))
                .startsWith("a deletion marker cannot remove");
        assertThat(state).isEmpty();
    }

    @Test
    void aTierWithoutTopicsOrAHashWithoutKeyIsRejected() {
        RuleChange tier = apply(update(
                "shop", message("shop", 3, "retention:\n  tiers:\n    - name: forever\n      retention: 3650d\n")));
        RuleChange hash = apply(
                update(
                        "shop",
                        message(
                                "shop",
                                4,
                                "classification:\n  detectors:\n    - id: email\nprotection:\n  - label: pii\n    action: hash\n")));

        assertThat(tier.problems())
                .singleElement()
                .asString()
                .startsWith("retention tiers [forever] have no governed topics");
        assertThat(hash.problems()).singleElement().asString().contains("not in the tenant's keyring");
    }

    @Test
    void aTenantWithoutRulesHasNoneAndSaysSo() {
        assertThat(registry.rules("stranger", state::get)).isEmpty();
        assertThat(registry.whyUnusable("stranger")).isEqualTo("tenant stranger has no rule set");
    }

    @Test
    void aNewTenantCanArriveThroughTheTopic() {
        assertThat(apply(update("fresh", message("fresh", 1, ""))).outcome()).isEqualTo(RuleChange.Outcome.ACCEPTED);
        assertThat(registry.rules("fresh", state::get)).isPresent();
    }

    private RuleChange apply(RuleUpdate update) {
        RuleChange change = registry.consider(update, state::get);
        if (change.outcome() == RuleChange.Outcome.ACCEPTED) {
            state.put(change.tenant(), update.value());
            registry.forget(change.tenant());
        }
        return change;
    }

    private static RuleUpdate update(String key, RuleSetMessage message) {
        return new RuleUpdate(key, message.toJson(), 1);
    }

    private static RuleSetMessage message(String tenant, long version, String more) {
        return new RuleSetMessage(
                tenant,
                version,
                Map.of("tenants/" + tenant + ".yaml", "tenant: " + tenant + "\nversion: " + version + "\n" + more));
    }
}
