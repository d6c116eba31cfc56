package io.otlpgovernor.rules.pipeline.reports;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.pipeline.registry.RuleChange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportsTest {

    private static final long MINUTE = 1_764_000_000_000L - 1_764_000_000_000L % 60_000;

    @Test
    void usageSumsPerSignalAndTier() {
        UsageReports usage = new UsageReports();
        SortedMap<String, Bucket> lines = new TreeMap<>();
        for (UsageDelta delta : List.of(
                UsageDelta.received("shop", Signal.SPANS, MINUTE + 5, 10, 1000),
                UsageDelta.overQuota("shop", Signal.SPANS, MINUTE, 2),
                UsageDelta.removed("shop", Signal.SPANS, MINUTE, 0, 1, 1),
                UsageDelta.accepted("shop", Signal.SPANS, MINUTE, "standard", 4, 300, 8.0),
                UsageDelta.droppedByTail("shop", Signal.SPANS, MINUTE, 3),
                UsageDelta.accepted("shop", Signal.SPANS, MINUTE, "compliance", 2, 200, 2.0),
                UsageDelta.invalid("shop", Signal.LOGS, MINUTE, 50))) {
            lines.merge(usage.line(delta), usage.amounts(delta), Bucket::plus);
        }

        String json = new String(usage.write("shop", MINUTE, lines), StandardCharsets.UTF_8);

        assertThat(json)
                .contains("\"type\":\"usage\"", "\"tenant\":\"shop\"", "\"minute\":\"2025-11-24T16:00:00Z\"")
                .contains(
                        "\"spans\":{\"received\":10,\"accepted\":6,\"dropped\":{\"quota\":2,\"sampling\":0,\"policy\":1,\"age\":1,\"tail\":3,\"cardinality\":0},"
                                + "\"invalid_requests\":0,\"bytes_in\":1000,\"bytes_out\":500,\"represented\":10.0,"
                                + "\"tiers\":{\"compliance\":{\"items\":2,\"bytes_out\":200,\"represented\":2.0},"
                                + "\"standard\":{\"items\":4,\"bytes_out\":300,\"represented\":8.0}}}")
                .contains(
                        "\"logs\":{\"received\":0,\"accepted\":0,\"dropped\":{\"quota\":0,\"sampling\":0,\"policy\":0,\"age\":0,\"tail\":0,\"cardinality\":0},"
                                + "\"invalid_requests\":1,\"bytes_in\":50");
        assertThat(usage.timeOf(UsageDelta.received("shop", Signal.SPANS, MINUTE + 59_999, 1, 1)))
                .isEqualTo(MINUTE);
    }

    @Test
    void auditListsActionsByRuleVersionAndPathButNeverValues() {
        AuditReports audit = new AuditReports(Duration.ofSeconds(10));
        SortedMap<String, Bucket> lines = new TreeMap<>();
        for (AuditDelta delta : List.of(
                new AuditDelta("shop", MINUTE, 10, "email", "pii", "redact", "span.attributes[user.email]", 2),
                new AuditDelta("shop", MINUTE + 1, 10, "email", "pii", "redact", "span.attributes[user.email]", 3),
                new AuditDelta("shop", MINUTE, 9, "cards-kept-long", "", "route", "compliance", 4))) {
            lines.merge(audit.line(delta), audit.amounts(delta), Bucket::plus);
        }

        String json = new String(audit.write("shop", MINUTE, lines), StandardCharsets.UTF_8);

        assertThat(json)
                .isEqualTo(
                        "{\"type\":\"governance-summary\",\"tenant\":\"shop\",\"window_start\":\"2025-11-24T16:00:00Z\","
                                + "\"window_end\":\"2025-11-24T16:00:10Z\",\"entries\":["
                                + "{\"rule_set_version\":9,\"rule\":\"cards-kept-long\",\"action\":\"route\",\"tier\":\"compliance\",\"count\":4},"
                                + "{\"rule_set_version\":10,\"rule\":\"email\",\"label\":\"pii\",\"action\":\"redact\",\"field\":\"span.attributes[user.email]\",\"count\":5}]}");
    }

    @Test
    void ruleChangesAreReportedWithTheirProblems() {
        String json = new String(
                AuditReports.ruleChange(new RuleChange(
                        RuleChange.Outcome.REJECTED,
                        "shop",
                        5,
                        4,
                        List.of("tenants/shop.yaml:5 quotas.rate.per-second: must be at least 1"),
                        12)),
                StandardCharsets.UTF_8);

        assertThat(json)
                .isEqualTo("{\"type\":\"rule-set-change\",\"tenant\":\"shop\",\"outcome\":\"rejected\",\"version\":5,"
                        + "\"previous_version\":4,\"problems\":[\"tenants/shop.yaml:5 quotas.rate.per-second: must be at least 1\"],"
                        + "\"rules_topic_offset\":12}");
    }
}
