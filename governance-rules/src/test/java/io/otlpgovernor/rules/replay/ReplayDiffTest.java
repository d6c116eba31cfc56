package io.otlpgovernor.rules.replay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayDiffTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant FROM = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-07T11:00:00Z");

    @Test
    void totalsSumUsageAndAuditDocumentsPerTenantSignalTierRuleAndMinute() {
        ReplayTotals totals = ReplayTotals.of(
                List.of(usage("acme", "10:00", 100, 80, 20), usage("acme", "10:01", 50, 50, 0), cardinality()),
                List.of(audit("acme", "email", "hash", "pii", 7), audit("acme", "email", "hash", "pii", 3)));

        assertThat(totals.count("acme", "spans", "received")).isEqualTo(150);
        assertThat(totals.count("acme", "spans", "accepted")).isEqualTo(130);
        assertThat(totals.count("acme", "spans", "dropped.quota")).isEqualTo(20);
        assertThat(totals.count("acme", "spans", "tier.standard")).isEqualTo(130);
        assertThat(totals.count("acme", ReplayTotals.QUOTA_DROPS, "2026-12-07T10:00:00Z"))
                .isEqualTo(20);
        assertThat(totals.count("acme", ReplayTotals.MINUTES, "2026-12-07T10:01:00Z spans accepted"))
                .isEqualTo(50);
        assertThat(totals.count("acme", ReplayTotals.RULES, "email hash pii")).isEqualTo(10);
        assertThat(totals.tenants()).containsExactly("acme");
    }

    @Test
    void theDiffMarksWhatChangesInTheTableAndListsItInTheJson() throws Exception {
        ReplayTotals baseline = ReplayTotals.of(List.of(usage("acme", "10:00", 100, 100, 0)), List.of());
        ReplayTotals candidate = ReplayTotals.of(List.of(usage("acme", "10:00", 100, 60, 40)), List.of());

        ReplayDiff diff = new ReplayDiff(FROM, TO, baseline, candidate);

        assertThat(diff.table())
                .contains("tenant acme")
                .contains("* spans accepted")
                .contains("-40")
                .contains("  spans received")
                .contains("* quota-drops 2026-12-07T10:00:00Z")
                .doesNotContain("minutes 2026-12-07T10:00:00Z spans received");
        JsonNode json = JSON.readTree(diff.json());
        assertThat(json.at("/tenants/acme/spans/accepted/candidate").asLong()).isEqualTo(60);
        assertThat(json.path("changes")).anySatisfy(change -> {
            assertThat(change.path("name").asText()).isEqualTo("dropped.quota");
            assertThat(change.path("change").asLong()).isEqualTo(40);
        });
        assertThat(diff.perTenant()).containsOnlyKeys("acme");
        assertThat(new ReplayDiff(FROM, TO, baseline, baseline).changes()).isEmpty();
    }

    private static byte[] usage(String tenant, String minute, long received, long accepted, long quota) {
        return ("{\"type\":\"usage\",\"tenant\":\"" + tenant + "\",\"minute\":\"2026-12-07T" + minute + ":00Z\","
                        + "\"signals\":{\"spans\":{\"received\":" + received + ",\"accepted\":" + accepted
                        + ",\"dropped\":{\"quota\":" + quota + ",\"tail\":0},\"invalid_requests\":0,\"bytes_in\":10,"
                        + "\"bytes_out\":5,\"represented\":" + accepted + ".0,\"tiers\":{\"standard\":{\"items\":"
                        + accepted + "}}}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] cardinality() {
        return "{\"type\":\"cardinality\",\"tenant\":\"acme\",\"metrics\":{}}".getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] audit(String tenant, String rule, String action, String label, long count) {
        return ("{\"type\":\"governance-summary\",\"tenant\":\"" + tenant + "\",\"entries\":[{\"rule\":\"" + rule
                        + "\",\"label\":\"" + label + "\",\"action\":\"" + action
                        + "\",\"field\":\"span.attributes[e]\","
                        + "\"count\":" + count + "}]}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
