package io.otlpgovernor.rules.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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
import io.otlpgovernor.contract.otlp.OtlpPayloads;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.rules.retention.TierRouter.Part;
import io.otlpgovernor.rules.retention.TierRouter.Routed;
import io.otlpgovernor.rules.retention.TierRouter.TierChoice;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TierRouterTest {

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
                    signals: [logs, metrics]
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

    private static final TierRouter ROUTER = router(RULES);
    private static final long NOW = 1_800_000_000_000_000_000L;
    private static final long RECENT = daysAgo(1);
    private static final Set<String> PII = Set.of("pii");
    private static final Set<String> NONE = Set.of();

    private static TierRouter router(String retention) {
        try {
            String tenant = "tenant: t\nversion: 1\nclassification:\n  detectors:\n    - id: email\n" + retention;
            return new TierRouter(
                    RetentionPolicy.compile(RuleLoader.load(new RuleSources(Map.of("tenants/t.yaml", tenant)))
                            .tenant("t")
                            .orElseThrow()
                            .retention()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static long daysAgo(int days) {
        return NOW - Duration.ofDays(days).toNanos();
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    private static Resource resource(String service, KeyValue... attributes) {
        return Resource.newBuilder()
                .addAttributes(attribute("service.name", service))
                .addAllAttributes(List.of(attributes))
                .build();
    }

    private static InstrumentationScope scope(String name) {
        return InstrumentationScope.newBuilder().setName(name).setVersion("1.0").build();
    }

    private static Span span(String name, long end, KeyValue... attributes) {
        return Span.newBuilder()
                .setName(name)
                .setStartTimeUnixNano(end == 0 ? 0 : end - 1)
                .setEndTimeUnixNano(end)
                .addAllAttributes(List.of(attributes))
                .build();
    }

    private static LogRecord log(String body, long time, KeyValue... attributes) {
        return LogRecord.newBuilder()
                .setBody(AnyValue.newBuilder().setStringValue(body))
                .setTimeUnixNano(time)
                .addAllAttributes(List.of(attributes))
                .build();
    }

    private static ExportTraceServiceRequest spans(Resource resource, Span... spans) {
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource)
                        .addScopeSpans(
                                ScopeSpans.newBuilder().setScope(scope("lib")).addAllSpans(List.of(spans))))
                .build();
    }

    private static ExportLogsServiceRequest logs(Resource resource, LogRecord... records) {
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(resource)
                        .addScopeLogs(
                                ScopeLogs.newBuilder().setScope(scope("lib")).addAllLogRecords(List.of(records))))
                .build();
    }

    private static List<String> spanNames(ExportTraceServiceRequest request) {
        return request.getResourceSpansList().stream()
                .flatMap(r -> r.getScopeSpansList().stream())
                .flatMap(s -> s.getSpansList().stream())
                .map(Span::getName)
                .toList();
    }

    private static List<String> logBodies(ExportLogsServiceRequest request) {
        return request.getResourceLogsList().stream()
                .flatMap(r -> r.getScopeLogsList().stream())
                .flatMap(s -> s.getLogRecordsList().stream())
                .map(r -> r.getBody().getStringValue())
                .toList();
    }

    /** Tier → the items of its part, named by {@code names}. */
    private static <T> Map<String, List<String>> byTier(Routed<T> routed, Function<T, List<String>> names) {
        Map<String, List<String>> tiers = new java.util.LinkedHashMap<>();
        for (Part<T> part : routed.parts()) {
            List<String> items = names.apply(part.request());
            assertThat(part.items()).as("items of %s", part.tier()).isEqualTo(items.size());
            tiers.put(part.tier(), items);
        }
        return tiers;
    }

    private static List<Set<String>> labels(int count) {
        return Collections.nCopies(count, NONE);
    }

    @Test
    void routesByLabelElseToTheDefaultTier() {
        ExportTraceServiceRequest request =
                spans(resource("checkout"), span("a", RECENT), span("b", RECENT), span("c", RECENT));

        Routed<ExportTraceServiceRequest> routed =
                ROUTER.routeSpans(request, List.of(PII, NONE, Set.of("phi", "other")), NOW);

        assertThat(byTier(routed, TierRouterTest::spanNames))
                .containsExactly(Map.entry("extended", List.of("a", "c")), Map.entry("standard", List.of("b")));
        assertThat(routed.chosenBy())
                .containsOnly(
                        Map.entry(new TierChoice("extended", "personal-long"), 2L),
                        Map.entry(new TierChoice("standard", "default"), 1L));
        assertThat(routed.expired()).isEmpty();
    }

    @Test
    void routesByTheResourcesServiceName() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addAllResourceSpans(
                        spans(resource("checkout"), span("a", RECENT)).getResourceSpansList())
                .addAllResourceSpans(
                        spans(resource("billing"), span("b", RECENT)).getResourceSpansList())
                .addAllResourceSpans(spans(
                                Resource.newBuilder()
                                        .addAttributes(KeyValue.newBuilder()
                                                .setKey("service.name")
                                                .setValue(AnyValue.newBuilder().setIntValue(7)))
                                        .build(),
                                span("c", RECENT))
                        .getResourceSpansList())
                .build();

        Routed<ExportTraceServiceRequest> routed = ROUTER.routeSpans(request, labels(3), NOW);

        assertThat(byTier(routed, TierRouterTest::spanNames))
                .containsExactly(Map.entry("audit", List.of("b")), Map.entry("standard", List.of("a", "c")));
    }

    @Test
    void routesByStringAttributesOfTheResourceAndTheItemTheItemWinning() {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addAllResourceLogs(logs(
                                resource("checkout"),
                                log("own-debug", RECENT, attribute("severity", "debug")),
                                log("none", RECENT),
                                log(
                                        "not-text",
                                        RECENT,
                                        KeyValue.newBuilder()
                                                .setKey("severity")
                                                .setValue(AnyValue.newBuilder()
                                                        .setArrayValue(
                                                                io.opentelemetry.proto.common.v1.ArrayValue.newBuilder()
                                                                        .addValues(AnyValue.newBuilder()
                                                                                .setStringValue("debug"))))
                                                .build()))
                        .getResourceLogsList())
                .addAllResourceLogs(logs(
                                resource("checkout", attribute("severity", "debug")),
                                log("resource-debug", RECENT),
                                log("own-info", RECENT, attribute("severity", "info")))
                        .getResourceLogsList())
                .build();

        Routed<ExportLogsServiceRequest> routed = ROUTER.routeLogs(request, labels(5), NOW);

        assertThat(byTier(routed, TierRouterTest::logBodies))
                .containsExactly(
                        Map.entry("short", List.of("own-debug", "resource-debug")),
                        Map.entry("standard", List.of("none", "not-text", "own-info")));
    }

    @Test
    void routesBySignal() {
        ExportTraceServiceRequest spans =
                spans(resource("checkout"), span("debug", RECENT, attribute("severity", "debug")));
        ExportLogsServiceRequest logs =
                logs(resource("checkout"), log("debug", RECENT, attribute("severity", "debug")));

        assertThat(ROUTER.routeSpans(spans, labels(1), NOW).parts())
                .extracting(Part::tier)
                .containsExactly("standard");
        assertThat(ROUTER.routeLogs(logs, labels(1), NOW).parts())
                .extracting(Part::tier)
                .containsExactly("short");
    }

    @Test
    void theFirstMatchingRuleWins() {
        ExportLogsServiceRequest request =
                logs(resource("billing"), log("debug-pii", RECENT, attribute("severity", "debug")), log("pii", RECENT));

        Routed<ExportLogsServiceRequest> routed = ROUTER.routeLogs(request, List.of(PII, PII), NOW);

        assertThat(routed.chosenBy())
                .containsOnly(
                        Map.entry(new TierChoice("short", "debug-short"), 1L),
                        Map.entry(new TierChoice("audit", "billing-audit"), 1L));
    }

    @Test
    void aLegalHoldRaisesShorterTiersToItsOwn() {
        TierRouter held = router(RULES + "  legal-hold:\n    tier: compliance\n");
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addAllResourceSpans(
                        spans(resource("checkout"), span("a", RECENT)).getResourceSpansList())
                .addAllResourceSpans(
                        spans(resource("billing"), span("b", RECENT)).getResourceSpansList())
                .build();

        Routed<ExportTraceServiceRequest> routed = held.routeSpans(request, labels(2), NOW);

        assertThat(byTier(routed, TierRouterTest::spanNames))
                .containsExactly(Map.entry("audit", List.of("b")), Map.entry("compliance", List.of("a")));
        assertThat(routed.chosenBy())
                .containsOnly(
                        Map.entry(new TierChoice("audit", "billing-audit"), 1L),
                        Map.entry(new TierChoice("compliance", "legal-hold"), 1L));
    }

    @Test
    void splitsOneRequestIntoOnePerTierKeepingItsStructure() {
        Resource checkout = resource("checkout", attribute("region", "eu"));
        ResourceSpans billing = ResourceSpans.newBuilder()
                .setResource(resource("billing"))
                .setSchemaUrl("https://schema/billing")
                .addScopeSpans(ScopeSpans.newBuilder()
                        .setScope(scope("c"))
                        .addSpans(span("s5", RECENT))
                        .addSpans(span("s6", RECENT)))
                .build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(checkout)
                        .setSchemaUrl("https://schema/checkout")
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(scope("a"))
                                .setSchemaUrl("https://schema/a")
                                .addSpans(span("s1", RECENT))
                                .addSpans(span("s2", RECENT))
                                .addSpans(span("s3", RECENT)))
                        .addScopeSpans(
                                ScopeSpans.newBuilder().setScope(scope("b")).addSpans(span("s4", RECENT))))
                .addResourceSpans(billing)
                .build();

        Routed<ExportTraceServiceRequest> routed =
                ROUTER.routeSpans(request, List.of(PII, NONE, PII, NONE, NONE, PII), NOW);

        assertThat(byTier(routed, TierRouterTest::spanNames))
                .containsExactly(
                        Map.entry("audit", List.of("s5", "s6")),
                        Map.entry("extended", List.of("s1", "s3")),
                        Map.entry("standard", List.of("s2", "s4")));
        assertThat(routed.parts().get(0).request().getResourceSpans(0))
                .as("a resource wholly in one tier is passed on as it is")
                .isSameAs(billing);
        ResourceSpans extended = routed.parts().get(1).request().getResourceSpans(0);
        assertThat(extended.getResource()).isEqualTo(checkout);
        assertThat(extended.getSchemaUrl()).isEqualTo("https://schema/checkout");
        assertThat(extended.getScopeSpansList()).as("scope b has nothing here").hasSize(1);
        assertThat(extended.getScopeSpans(0).getScope()).isEqualTo(scope("a"));
        assertThat(extended.getScopeSpans(0).getSchemaUrl()).isEqualTo("https://schema/a");
        ResourceSpans standard = routed.parts().get(2).request().getResourceSpans(0);
        assertThat(standard.getScopeSpansList())
                .extracting(s -> s.getScope().getName())
                .containsExactly("a", "b");
        assertThat(standard.getScopeSpans(1))
                .isSameAs(request.getResourceSpans(0).getScopeSpans(1));
        List<String> all = new ArrayList<>();
        routed.parts().forEach(part -> all.addAll(spanNames(part.request())));
        assertThat(all).containsExactlyInAnyOrderElementsOf(spanNames(request));
    }

    @Test
    void dropsItemsOlderThanTheirTierKeepsDataAndCountsThemPerTier() {
        ExportLogsServiceRequest request = logs(
                resource("checkout"),
                log("debug-8d", daysAgo(8), attribute("severity", "debug")),
                log("debug-6d", daysAgo(6), attribute("severity", "debug")),
                log("standard-8d", daysAgo(8)),
                log("standard-31d", daysAgo(31)),
                log("pii-31d", daysAgo(31)),
                log("debug-100d", daysAgo(100), attribute("severity", "debug")));

        Routed<ExportLogsServiceRequest> routed =
                ROUTER.routeLogs(request, List.of(NONE, NONE, NONE, NONE, PII, NONE), NOW);

        assertThat(byTier(routed, TierRouterTest::logBodies))
                .containsExactly(
                        Map.entry("extended", List.of("pii-31d")),
                        Map.entry("short", List.of("debug-6d")),
                        Map.entry("standard", List.of("standard-8d")));
        assertThat(routed.expired()).containsOnly(Map.entry("short", 2L), Map.entry("standard", 1L));
        assertThat(routed.expiredItems()).isEqualTo(3);
        assertThat(routed.chosenBy())
                .as("expired items count for the rule that chose their tier")
                .containsOnly(
                        Map.entry(new TierChoice("short", "debug-short"), 3L),
                        Map.entry(new TierChoice("standard", "default"), 2L),
                        Map.entry(new TierChoice("extended", "personal-long"), 1L));
    }

    @Test
    void aRequestWhollyInOneTierButPartlyExpiredIsCopiedWithoutTheExpired() {
        ExportTraceServiceRequest request = spans(resource("checkout"), span("old", daysAgo(31)), span("new", RECENT));

        Routed<ExportTraceServiceRequest> routed = ROUTER.routeSpans(request, labels(2), NOW);

        assertThat(routed.parts()).hasSize(1);
        assertThat(routed.parts().get(0).request()).isNotSameAs(request);
        assertThat(spanNames(routed.parts().get(0).request())).containsExactly("new");
        assertThat(routed.expired()).containsOnly(Map.entry("standard", 1L));
    }

    @Test
    void aRequestWhollyExpiredHasNoParts() {
        Routed<ExportTraceServiceRequest> routed =
                ROUTER.routeSpans(spans(resource("checkout"), span("old", daysAgo(31))), labels(1), NOW);

        assertThat(routed.parts()).isEmpty();
        assertThat(routed.expiredItems()).isEqualTo(1);
    }

    @Test
    void unknownAndFutureTimesNeverExpireAndFallBackToTheOtherTimestamp() {
        Span unknown = Span.newBuilder().setName("unknown").build();
        Span startOnly = Span.newBuilder()
                .setName("start-only")
                .setStartTimeUnixNano(daysAgo(31))
                .build();
        Span future = span("future", NOW + Duration.ofDays(365).toNanos());
        LogRecord observedOnly = LogRecord.newBuilder()
                .setBody(AnyValue.newBuilder().setStringValue("observed-only"))
                .setObservedTimeUnixNano(daysAgo(31))
                .build();
        LogRecord observedLater = log("time-wins", RECENT).toBuilder()
                .setObservedTimeUnixNano(daysAgo(31))
                .build();
        LogRecord noTime = LogRecord.newBuilder()
                .setBody(AnyValue.newBuilder().setStringValue("no-time"))
                .build();

        Routed<ExportTraceServiceRequest> spans =
                ROUTER.routeSpans(spans(resource("checkout"), unknown, startOnly, future), labels(3), NOW);
        Routed<ExportLogsServiceRequest> logs =
                ROUTER.routeLogs(logs(resource("checkout"), observedOnly, observedLater, noTime), labels(3), NOW);

        assertThat(spanNames(spans.parts().get(0).request())).containsExactly("unknown", "future");
        assertThat(spans.expiredItems()).isEqualTo(1);
        assertThat(logBodies(logs.parts().get(0).request())).containsExactly("time-wins", "no-time");
        assertThat(logs.expiredItems()).isEqualTo(1);
    }

    @Test
    void returnsTheSameRequestWhenEverythingGoesToOneTier() {
        ExportTraceServiceRequest spans = OtlpFixtures.spans("s", 50);
        ExportLogsServiceRequest logs = OtlpFixtures.logs("l", 20);
        ExportMetricsServiceRequest metrics = OtlpFixtures.gaugePoints("g", 10);
        long arrival = 1_700_000_001_000_000_000L;

        Routed<ExportTraceServiceRequest> routedSpans = ROUTER.routeSpans(spans, labels(50), arrival);
        Routed<ExportLogsServiceRequest> routedLogs = ROUTER.routeLogs(logs, Collections.nCopies(20, PII), arrival);
        Routed<ExportMetricsServiceRequest> routedMetrics = ROUTER.routeMetrics(metrics, labels(10), arrival);

        assertThat(routedSpans.parts()).containsExactly(new Part<>("standard", spans, 50, Set.of()));
        assertThat(routedSpans.parts().get(0).request()).isSameAs(spans);
        assertThat(routedSpans.chosenBy()).containsOnly(Map.entry(new TierChoice("standard", "default"), 50L));
        assertThat(routedLogs.parts().get(0).request()).isSameAs(logs);
        assertThat(routedLogs.parts().get(0).tier()).isEqualTo("extended");
        assertThat(routedMetrics.parts().get(0).request()).isSameAs(metrics);
        assertThat(routedMetrics.parts().get(0).items()).isEqualTo(10);
    }

    @Test
    void anEmptyRequestHasNoParts() {
        Routed<ExportTraceServiceRequest> routed =
                ROUTER.routeSpans(ExportTraceServiceRequest.getDefaultInstance(), List.of(), NOW);

        assertThat(routed.parts()).isEmpty();
        assertThat(routed.chosenBy()).isEmpty();
    }

    @Test
    void splitsMetricsOfEveryTypeByDataPoint() {
        Metric gauge = Metric.newBuilder()
                .setName("gauge")
                .setUnit("1")
                .setGauge(Gauge.newBuilder()
                        .addDataPoints(NumberDataPoint.newBuilder()
                                .setTimeUnixNano(RECENT)
                                .setAsInt(1))
                        .addDataPoints(NumberDataPoint.newBuilder()
                                .setTimeUnixNano(RECENT)
                                .setAsInt(2)))
                .build();
        Metric sum = Metric.newBuilder()
                .setName("sum")
                .setSum(Sum.newBuilder()
                        .setIsMonotonic(true)
                        .addDataPoints(NumberDataPoint.newBuilder()
                                .setTimeUnixNano(RECENT)
                                .setAsInt(1))
                        .addDataPoints(NumberDataPoint.newBuilder()
                                .setTimeUnixNano(RECENT)
                                .setAsInt(2)))
                .build();
        Metric histogram = Metric.newBuilder()
                .setName("histogram")
                .setHistogram(Histogram.newBuilder()
                        .addDataPoints(HistogramDataPoint.newBuilder()
                                .setTimeUnixNano(RECENT)
                                .setCount(1))
                        .addDataPoints(HistogramDataPoint.newBuilder()
                                .setTimeUnixNano(RECENT)
                                .setCount(2)))
                .build();
        Metric exponential = Metric.newBuilder()
                .setName("exponential")
                .setExponentialHistogram(ExponentialHistogram.newBuilder()
                        .addDataPoints(ExponentialHistogramDataPoint.newBuilder()
                                .setTimeUnixNano(RECENT)
                                .setCount(1))
                        .addDataPoints(ExponentialHistogramDataPoint.newBuilder()
                                .setTimeUnixNano(RECENT)
                                .setCount(2)))
                .build();
        Metric summary = Metric.newBuilder()
                .setName("summary")
                .setSummary(Summary.newBuilder()
                        .addDataPoints(SummaryDataPoint.newBuilder()
                                .setTimeUnixNano(RECENT)
                                .setCount(1))
                        .addDataPoints(SummaryDataPoint.newBuilder()
                                .setTimeUnixNano(RECENT)
                                .setCount(2)))
                .build();
        Metric whole = Metric.newBuilder()
                .setName("whole")
                .setGauge(Gauge.newBuilder()
                        .addDataPoints(NumberDataPoint.newBuilder()
                                .setTimeUnixNano(RECENT)
                                .setAsInt(2)))
                .build();
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource("checkout"))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .setScope(scope("lib"))
                                .addMetrics(gauge)
                                .addMetrics(sum)
                                .addMetrics(histogram)
                                .addMetrics(exponential)
                                .addMetrics(summary)
                                .addMetrics(whole)))
                .build();
        List<Set<String>> labels = List.of(PII, NONE, PII, NONE, PII, NONE, PII, NONE, PII, NONE, NONE);

        Routed<ExportMetricsServiceRequest> routed = ROUTER.routeMetrics(request, labels, NOW);

        assertThat(routed.parts())
                .extracting(Part::tier, Part::items)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("extended", 5L),
                        org.assertj.core.groups.Tuple.tuple("standard", 6L));
        List<Metric> extended = routed.parts()
                .get(0)
                .request()
                .getResourceMetrics(0)
                .getScopeMetrics(0)
                .getMetricsList();
        List<Metric> standard = routed.parts()
                .get(1)
                .request()
                .getResourceMetrics(0)
                .getScopeMetrics(0)
                .getMetricsList();
        assertThat(extended)
                .extracting(Metric::getName)
                .containsExactly("gauge", "sum", "histogram", "exponential", "summary");
        assertThat(standard)
                .extracting(Metric::getName)
                .containsExactly("gauge", "sum", "histogram", "exponential", "summary", "whole");
        assertThat(extended)
                .allSatisfy(m -> assertThat(OtlpPayloads.dataPointCount(m)).isEqualTo(1));
        assertThat(standard.subList(0, 5))
                .allSatisfy(m -> assertThat(OtlpPayloads.dataPointCount(m)).isEqualTo(1));
        assertThat(standard.get(5)).isSameAs(whole);
        assertThat(extended.get(0).getUnit()).isEqualTo("1");
        assertThat(extended.get(1).getSum().getIsMonotonic()).isTrue();
        assertThat(List.of(
                        extended.get(0).getGauge().getDataPoints(0).getAsInt(),
                        extended.get(1).getSum().getDataPoints(0).getAsInt(),
                        extended.get(2).getHistogram().getDataPoints(0).getCount(),
                        extended.get(3)
                                .getExponentialHistogram()
                                .getDataPoints(0)
                                .getCount(),
                        extended.get(4).getSummary().getDataPoints(0).getCount()))
                .containsOnly(1L);
        assertThat(List.of(
                        standard.get(0).getGauge().getDataPoints(0).getAsInt(),
                        standard.get(1).getSum().getDataPoints(0).getAsInt(),
                        standard.get(2).getHistogram().getDataPoints(0).getCount(),
                        standard.get(3)
                                .getExponentialHistogram()
                                .getDataPoints(0)
                                .getCount(),
                        standard.get(4).getSummary().getDataPoints(0).getCount()))
                .containsOnly(2L);
    }

    @Test
    void routesDataPointsByTheirOwnAttributesAndRemovesMetricsLeftWithoutPoints() {
        Metric debugOnly = Metric.newBuilder()
                .setName("debug-only")
                .setSum(Sum.newBuilder()
                        .addDataPoints(NumberDataPoint.newBuilder()
                                .setTimeUnixNano(RECENT)
                                .addAttributes(attribute("severity", "debug"))))
                .build();
        Metric mixed = Metric.newBuilder()
                .setName("mixed")
                .setSum(Sum.newBuilder()
                        .addDataPoints(NumberDataPoint.newBuilder()
                                .setTimeUnixNano(daysAgo(8))
                                .addAttributes(attribute("severity", "debug")))
                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(RECENT)))
                .build();
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource("checkout"))
                        .addScopeMetrics(
                                ScopeMetrics.newBuilder().addMetrics(debugOnly).addMetrics(mixed)))
                .build();

        Routed<ExportMetricsServiceRequest> routed = ROUTER.routeMetrics(request, labels(3), NOW);

        assertThat(routed.parts()).extracting(Part::tier).containsExactly("short", "standard");
        assertThat(routed.parts()
                        .get(0)
                        .request()
                        .getResourceMetrics(0)
                        .getScopeMetrics(0)
                        .getMetricsList())
                .as("the mixed metric's debug point expired")
                .containsExactly(debugOnly);
        assertThat(routed.parts()
                        .get(1)
                        .request()
                        .getResourceMetrics(0)
                        .getScopeMetrics(0)
                        .getMetricsList())
                .extracting(Metric::getName)
                .containsExactly("mixed");
        assertThat(routed.expired()).containsOnly(Map.entry("short", 1L));
    }

    @Test
    void refusesALabelListThatDoesNotMatchTheItems() {
        assertThatThrownBy(() -> ROUTER.routeSpans(OtlpFixtures.spans("s", 2), labels(3), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("3 label entries for 2 spans");
        assertThatThrownBy(() -> ROUTER.routeLogs(OtlpFixtures.logs("l", 2), labels(1), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("1 label entries for 2 log records");
        assertThatThrownBy(() -> ROUTER.routeMetrics(OtlpFixtures.gaugePoints("g", 2), List.of(), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("0 label entries for 2 data points");
    }
}
