package io.otlpgovernor.rules.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionPolicyTest {

    private static RetentionPolicy policy(String retention) throws Exception {
        String tenant = "tenant: t\nversion: 1\nclassification:\n  detectors:\n    - id: email\n" + retention;
        return RetentionPolicy.compile(RuleLoader.load(new RuleSources(Map.of("tenants/t.yaml", tenant)))
                .tenant("t")
                .orElseThrow()
                .retention());
    }

    private static final String RULES = """
            retention:
              default-tier: standard
              tiers:
                - name: audit
                  retention: 2557d
              rules:
                - id: debug-short
                  tier: short
                  when:
                    signals: [logs]
                    attributes:
                      severity: debug
                - id: billing-audit
                  tier: audit
                  when:
                    services: [billing]
                - id: personal-long
                  tier: extended
                  when:
                    labels: [pii, phi]
            """;

    @Test
    void choosesTheFirstMatchingRuleElseTheDefault() throws Exception {
        RetentionPolicy policy = policy(RULES);

        assertThat(policy.choose(subject(Signal.LOGS, Set.of("pii"), "billing", Map.of("severity", "debug"))))
                .isEqualTo(new RetentionPolicy.Choice("short", "debug-short", Duration.ofDays(7)));
        assertThat(policy.choose(subject(Signal.SPANS, Set.of("pii"), "billing", Map.of("severity", "debug")))
                        .ruleId())
                .isEqualTo("billing-audit");
        assertThat(policy.choose(subject(Signal.SPANS, Set.of("phi"), "checkout", Map.of()))
                        .tier())
                .isEqualTo("extended");
        assertThat(policy.choose(subject(Signal.METRICS, Set.of(), null, Map.of())))
                .isEqualTo(new RetentionPolicy.Choice("standard", "default", Duration.ofDays(30)));
    }

    @Test
    void attributesAreMatchedAsSamplingMatchesThemTypedValuesAndTheResourcesToo() throws Exception {
        RetentionPolicy policy = policy(RULES);
        KeyValue debugAsResource = KeyValue.newBuilder()
                .setKey("severity")
                .setValue(AnyValue.newBuilder().setStringValue("debug"))
                .build();
        KeyValue info = KeyValue.newBuilder()
                .setKey("severity")
                .setValue(AnyValue.newBuilder().setStringValue("info"))
                .build();

        assertThat(policy.choose(new RetentionPolicy.Subject(
                                Signal.LOGS, Set.of(), "", List.of(), List.of(debugAsResource)))
                        .ruleId())
                .as("a resource attribute counts when the record has none of that key")
                .isEqualTo("debug-short");
        assertThat(policy.choose(new RetentionPolicy.Subject(
                                Signal.LOGS, Set.of(), "", List.of(info), List.of(debugAsResource)))
                        .ruleId())
                .as("the record's own attribute wins")
                .isEqualTo("default");
    }

    @Test
    void aLegalHoldOnlyEverLengthensRetention() throws Exception {
        RetentionPolicy policy = policy(RULES + "  legal-hold:\n    tier: compliance\n");

        assertThat(policy.choose(subject(Signal.LOGS, Set.of(), null, Map.of("severity", "debug"))))
                .isEqualTo(new RetentionPolicy.Choice("compliance", "legal-hold", Duration.ofDays(400)));
        assertThat(policy.choose(subject(Signal.SPANS, Set.of(), "billing", Map.of()))
                        .tier())
                .as("the audit tier keeps data longer than the hold's")
                .isEqualTo("audit");
    }

    @Test
    void dataOlderThanItsTierOnArrivalIsExpired() throws Exception {
        RetentionPolicy.Choice shortTier =
                policy(RULES).choose(subject(Signal.LOGS, Set.of(), null, Map.of("severity", "debug")));
        long now = Duration.ofDays(1000).toNanos();

        assertThat(RetentionPolicy.expired(shortTier, now - Duration.ofDays(8).toNanos(), now))
                .isTrue();
        assertThat(RetentionPolicy.expired(shortTier, now - Duration.ofDays(6).toNanos(), now))
                .isFalse();
        assertThat(RetentionPolicy.expired(shortTier, 0, now))
                .as("no timestamp: never expired")
                .isFalse();
    }

    @Test
    void namesTheAttributeKeysItsRulesTest() throws Exception {
        assertThat(policy(RULES).attributeKeys()).containsExactly("severity");
        assertThat(policy("retention:\n  rules:\n    - id: all-short\n      tier: short\n")
                        .attributeKeys())
                .isEmpty();
    }

    /** A subject whose own attributes are these strings, under a resource without attributes. */
    private static RetentionPolicy.Subject subject(
            Signal signal, Set<String> labels, String service, Map<String, String> attributes) {
        List<KeyValue> own = new ArrayList<>();
        attributes.forEach((key, value) -> own.add(KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build()));
        return new RetentionPolicy.Subject(signal, labels, service == null ? "" : service, own, List.of());
    }
}
