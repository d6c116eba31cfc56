package io.otlpgovernor.rules.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.rules.cardinality.MemorySeriesStore;
import io.otlpgovernor.rules.pipeline.model.AdmittedRecord;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.DecodedRecord;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.MetricPiece;
import io.otlpgovernor.rules.pipeline.model.SourcePosition;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.pipeline.registry.TenantRules;
import io.otlpgovernor.rules.retention.RetentionRules;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSet;
import io.otlpgovernor.rules.ruleset.RuleSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** Governing a tenant with cardinality limits: the pieces governing makes, and what their limit makes of them. */
class CardinalityPipelineTest {

    private static final long NOW = 1_780_000_000_000L;
    private static final int MAX_RECORD_BYTES = 64 * 1024;

    private final RequestGovernor governor = new RequestGovernor(Map.of(), MAX_RECORD_BYTES);

    @Test
    void perMetricLimitsMakeOnePiecePerMetricAndNoGovernedRecord() {
        TenantRules rules = rules("max-series-per-metric: 10");
        byte[] payload = request(gauge("logins", "u1", "u2"), gauge("carts", "c1"), gauge("logins", "u3"))
                .toByteArray();

        RequestGovernor.Outcome outcome = governor.govern(admitted(payload, 4), rules);

        assertThat(outcome.records()).as("written once the limit has seen them").isEmpty();
        assertThat(outcome.usage()).noneMatch(usage -> usage.accepted() > 0);
        assertThat(outcome.metricPieces())
                .extracting(MetricPiece::key, MetricPiece::items, MetricPiece::tier)
                .containsExactly(tuple("shop/logins", 3L, "standard"), tuple("shop/carts", 1L, "standard"));
    }

    @Test
    void aTenantWideLimitKeepsTheRequestWholeUnderTheTenantsKey() {
        TenantRules rules = rules("max-series: 10");
        byte[] payload = request(gauge("logins", "u1"), gauge("carts", "c1")).toByteArray();

        RequestGovernor.Outcome outcome = governor.govern(admitted(payload, 2), rules);

        assertThat(outcome.metricPieces()).singleElement().satisfies(piece -> {
            assertThat(piece.key()).isEqualTo("shop");
            assertThat(piece.payload())
                    .as("unchanged: the bytes it arrived with")
                    .isEqualTo(payload);
            assertThat(piece.items()).isEqualTo(2);
        });
    }

    @Test
    void theLimitWritesWhatFitsCountsWhatItDroppedAndAuditsItByMetric() {
        TenantRules rules = rules("max-series-per-metric: 2");
        MemorySeriesStore store = new MemorySeriesStore();
        MetricPiece piece = governor.govern(
                        admitted(
                                request(gauge("logins", "u1", "u2", "u3", "u4")).toByteArray(), 4),
                        rules)
                .metricPieces()
                .get(0);

        CardinalityOutput.Result result =
                CardinalityOutput.apply(piece, rules.cardinality(), store, NOW, MAX_RECORD_BYTES);

        assertThat(result.records()).singleElement().satisfies(record -> {
            assertThat(record.items()).isEqualTo(2);
            assertThat(record.signal()).isEqualTo(Signal.METRICS);
            assertThat(record.tier()).isEqualTo("standard");
            assertThat(users(record)).containsExactly("u1", "u2");
        });
        assertThat(result.usage())
                .extracting(UsageDelta::accepted, UsageDelta::droppedCardinality, UsageDelta::tier)
                .containsExactlyInAnyOrder(tuple(2L, 0L, "standard"), tuple(0L, 2L, ""));
        assertThat(result.audit())
                .extracting(AuditDelta::rule, AuditDelta::action, AuditDelta::target, AuditDelta::count)
                .containsExactly(tuple("cardinality", "cardinality-drop", "logins", 2L));
    }

    @Test
    void withoutLimitsAnyMoreAPieceIsWrittenAsItIs() {
        TenantRules rules = rules("max-series-per-metric: 1");
        MetricPiece piece = governor.govern(
                        admitted(request(gauge("logins", "u1", "u2")).toByteArray(), 2), rules)
                .metricPieces()
                .get(0);

        CardinalityOutput.Result result =
                CardinalityOutput.apply(piece, null, new MemorySeriesStore(), NOW, MAX_RECORD_BYTES);

        assertThat(result.records()).singleElement().satisfies(record -> {
            assertThat(record.payload()).isEqualTo(piece.payload());
            assertThat(record.items()).isEqualTo(2);
        });
        assertThat(result.audit()).isEmpty();
    }

    @Test
    void aPieceWhosePointsAreAllDroppedWritesNothingButCountsThem() {
        TenantRules rules = rules("max-series-per-metric: 1");
        MemorySeriesStore store = new MemorySeriesStore();
        CardinalityOutput.apply(
                governor.govern(admitted(request(gauge("logins", "u1")).toByteArray(), 1), rules)
                        .metricPieces()
                        .get(0),
                rules.cardinality(),
                store,
                NOW,
                MAX_RECORD_BYTES);

        CardinalityOutput.Result result = CardinalityOutput.apply(
                governor.govern(admitted(request(gauge("logins", "u2", "u3")).toByteArray(), 2), rules)
                        .metricPieces()
                        .get(0),
                rules.cardinality(),
                store,
                NOW,
                MAX_RECORD_BYTES);

        assertThat(result.records()).isEmpty();
        assertThat(result.usage())
                .singleElement()
                .extracting(UsageDelta::droppedCardinality)
                .isEqualTo(2L);
    }

    private static List<String> users(GovernedRecord record) {
        List<String> users = new ArrayList<>();
        try {
            OtlpTree.forEach(
                    ExportMetricsServiceRequest.parseFrom(record.payload()),
                    (point, at) -> users.add(((NumberDataPoint) point)
                            .getAttributes(0)
                            .getValue()
                            .getStringValue()));
        } catch (Exception e) {
            throw new AssertionError("a governed record parses", e);
        }
        return users;
    }

    private static Metric gauge(String name, String... users) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (String user : users) {
            gauge.addDataPoints(NumberDataPoint.newBuilder()
                    .addAttributes(KeyValue.newBuilder()
                            .setKey("user")
                            .setValue(AnyValue.newBuilder().setStringValue(user)))
                    .setTimeUnixNano(NOW * 1_000_000)
                    .setAsInt(1));
        }
        return Metric.newBuilder().setName(name).setGauge(gauge).build();
    }

    private static ExportMetricsServiceRequest request(Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
                .build();
    }

    private static AdmittedRecord admitted(byte[] payload, long items) {
        return new AdmittedRecord(
                new DecodedRecord(
                        "shop", Signal.METRICS, payload, items, NOW, null, new SourcePosition("otlp_metrics", 0, 1)),
                0,
                1);
    }

    private static TenantRules rules(String cardinality) {
        String file = "tenant: shop\nversion: 1\ncardinality:\n" + cardinality.indent(2);
        try {
            RuleSet set = RuleLoader.load(new RuleSources(Map.of("tenants/shop.yaml", file)))
                    .tenant("shop")
                    .orElseThrow();
            return TenantRules.compile(set, null, RetentionRules.BUILT_IN_TIERS.keySet());
        } catch (Exception e) {
            throw new AssertionError("test rules must load", e);
        }
    }
}
