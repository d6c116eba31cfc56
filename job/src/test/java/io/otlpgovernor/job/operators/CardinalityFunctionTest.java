package io.otlpgovernor.job.operators;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.otlpgovernor.contract.otlp.tree.DataPoints;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.MetricPiece;
import io.otlpgovernor.rules.pipeline.model.Report;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cardinality limit on RocksDB state, with the test tenants {@code exploding} (3 series per metric, new ones
 * dropped, series-ttl 1m) and {@code capped} (4 series for the whole tenant, user.id stripped beyond).
 */
class CardinalityFunctionTest {

    private static final long MINUTE = 60_000;
    private static final long T0 = 1_764_000_000_000L; // a whole minute
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyedBroadcastOperatorTestHarness<String, MetricPiece, RuleUpdate, GovernedRecord> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void eachMetricKeepsItsFirstSeriesAndTheMinuteDocumentSaysWhatWasRejected() throws Exception {
        harness = open(null);
        harness.setProcessingTime(T0 + 1_000);

        harness.processElement(piece("exploding", "logins", "u1", "u2", "u3", "u4", "u5"), 0);
        harness.processElement(piece("exploding", "carts", "c1", "c2"), 0);
        harness.processElement(piece("exploding", "logins", "u1", "u6"), 0);

        assertThat(harness.extractOutputValues())
                .extracting(CardinalityFunctionTest::users)
                .containsExactly(List.of("u1", "u2", "u3"), List.of("c1", "c2"), List.of("u1"));
        assertThat(side(Outputs.USAGE))
                .filteredOn(usage -> usage.droppedCardinality() > 0)
                .extracting(usage -> usage.droppedCardinality())
                .containsExactly(2L, 1L);
        assertThat(side(Outputs.AUDIT)).allSatisfy(audit -> {
            assertThat(audit.action()).isEqualTo("cardinality-drop");
            assertThat(audit.target()).isEqualTo("logins");
        });

        harness.setProcessingTime(T0 + MINUTE);
        List<JsonNode> documents = reports();
        assertThat(documents).hasSize(2);
        JsonNode logins = documents.stream()
                .filter(d -> d.path("key").asText().equals("exploding/logins"))
                .findFirst()
                .orElseThrow();
        assertThat(logins.path("type").asText()).isEqualTo("cardinality");
        assertThat(logins.path("minute").asText())
                .isEqualTo(java.time.Instant.ofEpochMilli(T0).toString());
        JsonNode metric = logins.path("metrics").path("logins");
        assertThat(metric.path("active_series").asLong()).isEqualTo(3);
        assertThat(metric.path("limit").asLong()).isEqualTo(3);
        assertThat(metric.path("data_points").asLong()).isEqualTo(7);
        assertThat(metric.path("new_series").asLong()).isEqualTo(3);
        assertThat(metric.path("rejected_points").asLong()).isEqualTo(3);
        assertThat(metric.path("over_limit_series_estimate").asLong()).isEqualTo(3);
        assertThat(logins.toString()).doesNotContain("u1", "u4");
    }

    @Test
    void aTenantWideLimitSpansItsMetricsAndStripsTheOverflow() throws Exception {
        harness = open(null);
        harness.setProcessingTime(T0);

        harness.processElement(tenantWide("capped", "logins", "u1", "u2", "u3"), 0);
        harness.processElement(tenantWide("capped", "carts", "u1", "u2"), 0);

        List<GovernedRecord> out = harness.extractOutputValues();
        assertThat(out)
                .extracting(CardinalityFunctionTest::users)
                .containsExactly(List.of("u1", "u2", "u3"), List.of("u1", "-"));
        assertThat(side(Outputs.AUDIT)).singleElement().satisfies(audit -> {
            assertThat(audit.action()).isEqualTo("cardinality-strip");
            assertThat(audit.count()).isEqualTo(1);
        });
    }

    @Test
    void theActiveSetSurvivesARestoreFromASnapshotOnRocksDb() throws Exception {
        harness = open(null);
        harness.setProcessingTime(T0);
        harness.processElement(piece("exploding", "logins", "u1", "u2", "u3"), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = open(snapshot);
        harness.setProcessingTime(T0 + 1_000);
        harness.processElement(piece("exploding", "logins", "u4", "u2"), 0);

        assertThat(harness.extractOutputValues())
                .extracting(CardinalityFunctionTest::users)
                .containsExactly(List.of("u2"));
        harness.setProcessingTime(T0 + MINUTE);
        assertThat(reports())
                .singleElement()
                .satisfies(document -> assertThat(document.path("metrics")
                                .path("logins")
                                .path("active_series")
                                .asLong())
                        .isEqualTo(3));
    }

    @Test
    void inactiveSeriesFreeTheirSlotsAndAnIdleKeyEndsWithNoStateOrTimer() throws Exception {
        harness = open(null);
        harness.setProcessingTime(T0);
        harness.processElement(piece("exploding", "logins", "u1", "u2", "u3"), 0);

        for (long at = T0 + MINUTE; at <= T0 + 4 * MINUTE; at += MINUTE) {
            harness.setProcessingTime(at);
        }
        assertThat(harness.numProcessingTimeTimers()).isZero();
        harness.processElement(piece("exploding", "logins", "u4", "u5", "u6"), 0);

        assertThat(harness.extractOutputValues())
                .extracting(CardinalityFunctionTest::users)
                .containsExactly(List.of("u1", "u2", "u3"), List.of("u4", "u5", "u6"));
    }

    private static KeyedBroadcastOperatorTestHarness<String, MetricPiece, RuleUpdate, GovernedRecord> open(
            OperatorSubtaskState state) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, MetricPiece, RuleUpdate, GovernedRecord> opened =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new CardinalityFunction(
                                        QuotaFunctionTest.RULES, JobSettings.Kafka.DEFAULT_MAX_RECORD_BYTES),
                                List.of(RulesBroadcast.RULE_SETS)),
                        MetricPiece::key,
                        Types.STRING,
                        1,
                        1,
                        0);
        opened.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (state != null) {
            opened.initializeState(state);
        }
        opened.open();
        return opened;
    }

    /** A piece of one gauge of {@code metric}, one data point per user, under the tenant's per-metric key. */
    private static MetricPiece piece(String tenant, String metric, String... users) {
        return piece(tenant, metric, metric, users);
    }

    /** As {@link #piece}, under the tenant's one key. */
    private static MetricPiece tenantWide(String tenant, String metric, String... users) {
        return piece(tenant, null, metric, users);
    }

    private static MetricPiece piece(String tenant, String keyMetric, String metric, String[] users) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (String user : users) {
            gauge.addDataPoints(NumberDataPoint.newBuilder()
                    .addAttributes(KeyValue.newBuilder()
                            .setKey("user.id")
                            .setValue(AnyValue.newBuilder().setStringValue(user)))
                    .setAsInt(1));
        }
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(Metric.newBuilder().setName(metric).setGauge(gauge))))
                .build();
        return new MetricPiece(
                MetricPiece.key(tenant, keyMetric), tenant, "standard", 1, "", request.toByteArray(), users.length, T0);
    }

    /** The user.id of each data point of a governed record, "-" for a point without one. */
    private static List<String> users(GovernedRecord record) {
        List<String> users = new ArrayList<>();
        try {
            OtlpTree.forEach(
                    ExportMetricsServiceRequest.parseFrom(record.payload()),
                    (point, at) -> users.add(DataPoints.attributes(point).stream()
                            .filter(a -> a.getKey().equals("user.id"))
                            .map(a -> a.getValue().getStringValue())
                            .findFirst()
                            .orElse("-")));
        } catch (Exception e) {
            throw new AssertionError("a governed record parses", e);
        }
        return users;
    }

    private List<JsonNode> reports() throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        for (Report report : side(CardinalityFunction.REPORTS)) {
            documents.add(JSON.readTree(report.json()));
        }
        return documents;
    }

    private <T> List<T> side(OutputTag<T> tag) {
        var queue = harness.getSideOutput(tag);
        return queue == null
                ? List.of()
                : queue.stream().map(StreamRecord::getValue).toList();
    }
}
