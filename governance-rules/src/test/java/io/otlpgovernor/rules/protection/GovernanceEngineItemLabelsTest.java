package io.otlpgovernor.rules.protection;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Decisions#itemLabels()}: the labels of every item kept, aligned with the governed request. */
class GovernanceEngineItemLabelsTest {

    private final GovernanceEngine engine = new GovernanceEngine(Map.of());

    /** ACME-… is pii, BADGE-… staff, HOST-… infra (all tagged); DOOM-… drops its record. */
    private static final CompiledRules RULES = rules("""
            classification:
              fields:
                span-names: true
              patterns:
                - id: loyalty
                  regex: 'ACME-[0-9]{4}'
                  label: pii
                - id: badge
                  regex: 'BADGE-[0-9]{4}'
                  label: staff
                - id: host
                  regex: 'HOST-[0-9]{4}'
                  label: infra
                - id: doom
                  regex: 'DOOM-[0-9]{4}'
                  label: doomed
            protection:
              - label: doomed
                action: drop-record
            """);

    private static CompiledRules rules(String body) {
        try {
            String tenant = "tenant: t\nversion: 1\n" + body;
            return CompiledRules.compile(
                    RuleLoader.load(new RuleSources(Map.of("tenants/t.yaml", tenant)))
                            .tenant("t")
                            .orElseThrow(),
                    null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    private static Resource resource(String... values) {
        Resource.Builder resource = Resource.newBuilder().addAttributes(attribute("service.name", "checkout"));
        for (String value : values) {
            resource.addAttributes(attribute("note", value));
        }
        return resource.build();
    }

    private static InstrumentationScope scope(String... values) {
        InstrumentationScope.Builder scope = InstrumentationScope.newBuilder().setName("lib");
        for (String value : values) {
            scope.addAttributes(attribute("note", value));
        }
        return scope.build();
    }

    private static Span span(String name, String... values) {
        Span.Builder span = Span.newBuilder().setName(name);
        for (String value : values) {
            span.addAttributes(attribute("note", value));
        }
        return span.build();
    }

    @Test
    void spansCarryTheirOwnLabelsAndTheirResourcesAndScopes() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource("HOST-0001"))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(scope())
                                .addSpans(span("plain"))
                                .addSpans(span("GET /loyalty/ACME-0001"))
                                .addSpans(span("event").toBuilder()
                                        .addEvents(Span.Event.newBuilder().addAttributes(attribute("e", "BADGE-0001")))
                                        .build())
                                .addSpans(span("link").toBuilder()
                                        .addLinks(Span.Link.newBuilder().addAttributes(attribute("l", "ACME-0002")))
                                        .build()))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(scope("BADGE-0002"))
                                .addSpans(span("attribute", "ACME-0003"))
                                .addSpans(span("plain"))))
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource())
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(scope())
                                .addSpans(span("plain"))
                                .addSpans(span("attribute", "ACME-0004"))))
                .build();

        var governed = engine.governSpans(RULES, request);

        assertThat(governed.decisions().itemLabels())
                .containsExactly(
                        Set.of("infra"),
                        Set.of("infra", "pii"),
                        Set.of("infra", "staff"),
                        Set.of("infra", "pii"),
                        Set.of("infra", "staff", "pii"),
                        Set.of("infra", "staff"),
                        Set.of(),
                        Set.of("pii"));
        assertThat(governed.decisions().itemLabels()).hasSize((int) governed.itemsOut());
    }

    @Test
    void logRecordsCarryBodyAndAttributeLabels() {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(resource())
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .setScope(scope("HOST-0001"))
                                .addLogRecords(LogRecord.newBuilder()
                                        .setBody(AnyValue.newBuilder().setStringValue("user ACME-0001 in")))
                                .addLogRecords(LogRecord.newBuilder().addAttributes(attribute("who", "BADGE-0001")))
                                .addLogRecords(LogRecord.newBuilder()
                                        .setBody(AnyValue.newBuilder().setStringValue("nothing")))))
                .build();

        var governed = engine.governLogs(RULES, request);

        assertThat(governed.decisions().itemLabels())
                .containsExactly(Set.of("infra", "pii"), Set.of("infra", "staff"), Set.of("infra"));
    }

    @Test
    void dataPointsOfEveryTypeCarryTheirLabelsInOrder() {
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource("HOST-0001"))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .setScope(scope())
                                .addMetrics(Metric.newBuilder()
                                        .setName("gauge")
                                        .setGauge(Gauge.newBuilder()
                                                .addDataPoints(NumberDataPoint.newBuilder()
                                                        .addAttributes(attribute("who", "ACME-0001")))
                                                .addDataPoints(NumberDataPoint.newBuilder())))
                                .addMetrics(Metric.newBuilder()
                                        .setName("sum")
                                        .setSum(Sum.newBuilder()
                                                .addDataPoints(NumberDataPoint.newBuilder()
                                                        .addAttributes(attribute("who", "BADGE-0001")))))
                                .addMetrics(Metric.newBuilder()
                                        .setName("histogram")
                                        .setHistogram(Histogram.newBuilder()
                                                .addDataPoints(HistogramDataPoint.newBuilder())
                                                .addDataPoints(HistogramDataPoint.newBuilder()
                                                        .addAttributes(attribute("who", "ACME-0002")))))
                                .addMetrics(Metric.newBuilder()
                                        .setName("exponential")
                                        .setExponentialHistogram(ExponentialHistogram.newBuilder()
                                                .addDataPoints(ExponentialHistogramDataPoint.newBuilder()
                                                        .addAttributes(attribute("who", "BADGE-0002")))))
                                .addMetrics(Metric.newBuilder()
                                        .setName("summary")
                                        .setSummary(Summary.newBuilder()
                                                .addDataPoints(SummaryDataPoint.newBuilder()
                                                        .addAttributes(attribute("who", "ACME-0003")))
                                                .addDataPoints(SummaryDataPoint.newBuilder())))))
                .build();

        var governed = engine.governMetrics(RULES, request);

        assertThat(governed.decisions().itemLabels())
                .containsExactly(
                        Set.of("infra", "pii"),
                        Set.of("infra"),
                        Set.of("infra", "staff"),
                        Set.of("infra"),
                        Set.of("infra", "pii"),
                        Set.of("infra", "staff"),
                        Set.of("infra", "pii"),
                        Set.of("infra"));
        assertThat(governed.decisions().itemLabels()).hasSize((int) governed.itemsOut());
    }

    @Test
    void entriesStayAlignedWhenDropRecordRulesRemoveItemsScopesAndResources() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource("DOOM-0001"))
                        .addScopeSpans(ScopeSpans.newBuilder().setScope(scope()).addSpans(span("gone", "ACME-0001"))))
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource())
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(scope("DOOM-0002", "HOST-0001"))
                                .addSpans(span("gone", "ACME-0002")))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(scope())
                                .addSpans(span("kept-1", "BADGE-0001"))
                                .addSpans(span("gone", "ACME-0003", "DOOM-0003"))
                                .addSpans(span("kept-2"))
                                .addSpans(span("gone", "DOOM-0004"))
                                .addSpans(span("kept-3", "ACME-0004"))))
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource("HOST-0002"))
                        .addScopeSpans(ScopeSpans.newBuilder().setScope(scope()).addSpans(span("gone", "DOOM-0005")))
                        .addScopeSpans(ScopeSpans.newBuilder().setScope(scope()).addSpans(span("kept-4"))))
                .build();

        var governed = engine.governSpans(RULES, request);

        List<Span> kept = governed.request().getResourceSpansList().stream()
                .flatMap(r -> r.getScopeSpansList().stream())
                .flatMap(s -> s.getSpansList().stream())
                .toList();
        assertThat(kept).extracting(Span::getName).containsExactly("kept-1", "kept-2", "kept-3", "kept-4");
        assertThat(governed.decisions().itemLabels())
                .containsExactly(Set.of("staff"), Set.of(), Set.of("pii"), Set.of("infra"));
        assertThat(governed.decisions().itemLabels()).hasSize((int) governed.itemsOut());
    }

    @Test
    void itemsWithoutLabelsShareOneEmptySetAndNeighboursWithEqualLabelsOneSet() {
        ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (int i = 0; i < 3; i++) {
            scope.addLogRecords(
                    LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("nothing")));
        }
        scope.addLogRecords(LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("ACME-0001")));
        scope.addLogRecords(LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("ACME-0002")));
        request.addResourceLogs(
                ResourceLogs.newBuilder().setResource(resource()).addScopeLogs(scope));

        List<Set<String>> labels =
                engine.governLogs(RULES, request.build()).decisions().itemLabels();

        assertThat(labels.get(1)).isSameAs(labels.get(0)).isSameAs(Set.of());
        assertThat(labels.get(2)).isSameAs(labels.get(0));
        assertThat(labels.get(4)).isSameAs(labels.get(3)).isEqualTo(Set.of("pii"));
        assertThat(labels.get(3)).isUnmodifiable();
    }

    @Test
    void logAndMetricResourcesLeftEmptyAreRemovedLikeSpanResources() {
        ExportLogsServiceRequest logs = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(resource())
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .setScope(scope("DOOM-0001"))
                                .addLogRecords(LogRecord.newBuilder())))
                .build();
        ExportMetricsServiceRequest metrics = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource())
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(Metric.newBuilder()
                                        .setName("m")
                                        .setGauge(Gauge.newBuilder()
                                                .addDataPoints(NumberDataPoint.newBuilder()
                                                        .addAttributes(attribute("who", "DOOM-0002")))))))
                .build();

        var governedLogs = engine.governLogs(RULES, logs);
        var governedMetrics = engine.governMetrics(RULES, metrics);

        assertThat(governedLogs.request().getResourceLogsList()).isEmpty();
        assertThat(governedMetrics.request().getResourceMetricsList()).isEmpty();
        assertThat(governedLogs.decisions().itemLabels()).isEmpty();
        assertThat(governedMetrics.decisions().itemLabels()).isEmpty();
    }
}
