package io.otlpgovernor.rules.sampling.head;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.condition.Match;
import io.otlpgovernor.rules.sampling.ConsistentDecision;
import io.otlpgovernor.rules.sampling.SamplingRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.otlpgovernor.rules.sampling.SamplingFixtures.any;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.attribute;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.attributes;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.labels;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.log;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.resource;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.services;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.signals;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.span;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.stringAttribute;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeadSamplerTest {

    /** R just above and below 50 % (th:8). */
    private static final long HIGH = 0x90000000000000L;

    private static final long LOW = 0x70000000000000L;
    private static final long MAX_R = 0xffffffffffffffL;

    // Compilation

    @Test
    void withoutHeadRulesEverythingIsKeptBySameInstance() {
        HeadSampler sampler = HeadSampler.compile(Optional.empty());
        assertThat(sampler).isSameAs(HeadSampler.keepAll());
        assertThat(sampler.keepsEverything()).isTrue();

        ExportTraceServiceRequest request = spans(resourceSpans(resource("a"), span("s1", LOW), span("s2", HIGH)));
        HeadSampler.Filtered<ExportTraceServiceRequest> filtered = sampler.spans(request);
        assertThat(filtered.request()).isSameAs(request);
        assertThat(filtered.kept()).isEqualTo(2);
        assertThat(filtered.dropped()).isZero();
        assertThat(filtered.byRule())
                .containsExactly(Map.entry(HeadSampler.DEFAULT_RULE, new HeadSampler.RuleCount(2, 0)));

        ExportLogsServiceRequest logs = logs(resourceLogs(resource("a"), log("l", LOW)));
        assertThat(sampler.logs(logs).request()).isSameAs(logs);
    }

    @Test
    void rulesThatAllKeepEverythingCompileToKeepAll() {
        SamplingRules.Head head = new SamplingRules.Head(1.0, List.of(rule("r", services("a"), Set.of(), 1.0)));
        assertThat(HeadSampler.compile(head)).isSameAs(HeadSampler.keepAll());
        assertThat(HeadSampler.compile(new SamplingRules.Head(0.5, List.of())).keepsEverything())
                .isFalse();
    }

    // Which probability

    @Test
    void aRuleMatchesTheResourceService() {
        HeadSampler sampler = HeadSampler.compile(head(1.0, rule("health", services("health"), Set.of(), 0)));
        ExportTraceServiceRequest request = spans(
                resourceSpans(resource("health"), span("h1", MAX_R), span("h2", HIGH)),
                resourceSpans(resource("shop"), span("s1", LOW)),
                resourceSpans(resource(null), span("n1", LOW)));

        HeadSampler.Filtered<ExportTraceServiceRequest> filtered = sampler.spans(request);

        assertThat(names(filtered.request())).containsExactly("s1", "n1");
        // The emptied resource is removed; the others are passed on as they were.
        assertThat(filtered.request().getResourceSpansList())
                .containsExactly(request.getResourceSpans(1), request.getResourceSpans(2));
        assertThat(filtered.kept()).isEqualTo(2);
        assertThat(filtered.dropped()).isEqualTo(2);
        assertThat(filtered.byRule())
                .containsExactly(
                        Map.entry("health", new HeadSampler.RuleCount(0, 2)),
                        Map.entry(HeadSampler.DEFAULT_RULE, new HeadSampler.RuleCount(2, 0)));
    }

    @Test
    void aRuleWithSpanKindsMatchesOnlyThoseKinds() {
        HeadSampler sampler = HeadSampler.compile(head(1.0, rule("servers", any(), Set.of("server", "consumer"), 0)));
        Span server = span("server", HIGH);
        Span consumer = span("consumer", HIGH).toBuilder()
                .setKind(Span.SpanKind.SPAN_KIND_CONSUMER)
                .build();
        Span client = span("client", HIGH).toBuilder()
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .build();
        Span unspecified = span("unspecified", HIGH).toBuilder()
                .setKind(Span.SpanKind.SPAN_KIND_UNSPECIFIED)
                .build();

        HeadSampler.Filtered<ExportTraceServiceRequest> filtered =
                sampler.spans(spans(resourceSpans(resource("a"), server, consumer, client, unspecified)));

        assertThat(names(filtered.request())).containsExactly("client", "unspecified");
    }

    @Test
    void aRuleMatchesSpanAndResourceAttributesTheSpansOwnWinning() {
        HeadSampler sampler = HeadSampler.compile(head(
                1.0,
                rule(
                        "health",
                        attributes(Map.of("http.route", "/health", "deployment.environment", "prod")),
                        Set.of(),
                        0)));
        ExportTraceServiceRequest request = spans(
                resourceSpans(
                        resource("a", attribute("deployment.environment", "prod")),
                        span("health", HIGH, attribute("http.route", "/health")),
                        span("orders", HIGH, attribute("http.route", "/orders")),
                        span("no-route", HIGH),
                        // The span's own attribute wins over the resource's.
                        span(
                                "staging",
                                HIGH,
                                attribute("http.route", "/health"),
                                attribute("deployment.environment", "staging"))),
                resourceSpans(
                        resource("a", attribute("deployment.environment", "test")),
                        span("test-health", HIGH, attribute("http.route", "/health"))));

        assertThat(names(sampler.spans(request).request()))
                .containsExactly("orders", "no-route", "staging", "test-health");
    }

    @Test
    void numbersAndBooleansAreComparedAsTheTextTheyAreWrittenAs() {
        HeadSampler sampler = HeadSampler.compile(head(
                1.0,
                rule("status", attributes(Map.of("http.status_code", "200")), Set.of(), 0),
                rule("ratio", attributes(Map.of("ratio", "0.5")), Set.of(), 0),
                rule("synthetic", attributes(Map.of("synthetic", "true")), Set.of(), 0)));
        ExportTraceServiceRequest request = spans(resourceSpans(
                resource("a"),
                span("int-200", HIGH, attribute("http.status_code", 200L)),
                span("string-200", HIGH, attribute("http.status_code", "200")),
                span("double-200", HIGH, attribute("http.status_code", 200.0)),
                span("int-404", HIGH, attribute("http.status_code", 404L)),
                span("ratio", HIGH, attribute("ratio", 0.5)),
                span("bool-true", HIGH, attribute("synthetic", true)),
                span("bool-false", HIGH, attribute("synthetic", false))));

        assertThat(names(sampler.spans(request).request())).containsExactly("int-404", "bool-false");
    }

    @Test
    void theFirstMatchingRuleDecides() {
        HeadSampler sampler = HeadSampler.compile(head(
                0,
                rule("keep-checkout", services("checkout"), Set.of(), 1.0),
                rule("drop-everything", any(), Set.of(), 0)));
        ExportTraceServiceRequest request = spans(
                resourceSpans(resource("checkout"), span("c1", LOW), span("c2", LOW)),
                resourceSpans(resource("other"), span("o1", MAX_R)));

        HeadSampler.Filtered<ExportTraceServiceRequest> filtered = sampler.spans(request);

        assertThat(names(filtered.request())).containsExactly("c1", "c2");
        assertThat(filtered.byRule())
                .containsExactly(
                        Map.entry("keep-checkout", new HeadSampler.RuleCount(2, 0)),
                        Map.entry("drop-everything", new HeadSampler.RuleCount(0, 1)));
    }

    @Test
    void spansNoRuleMatchesGetTheDefaultProbability() {
        HeadSampler sampler = HeadSampler.compile(head(0.5, rule("checkout", services("checkout"), Set.of(), 1.0)));
        ExportTraceServiceRequest request = spans(
                resourceSpans(resource("checkout"), span("c-low", LOW)),
                resourceSpans(resource("other"), span("o-low", LOW), span("o-high", HIGH)));

        HeadSampler.Filtered<ExportTraceServiceRequest> filtered = sampler.spans(request);

        assertThat(names(filtered.request())).containsExactly("c-low", "o-high");
        assertThat(all(filtered.request())).extracting(Span::getTraceState).containsExactly("", "ot=th:8");
        assertThat(filtered.byRule())
                .containsExactly(
                        Map.entry("checkout", new HeadSampler.RuleCount(1, 0)),
                        Map.entry(HeadSampler.DEFAULT_RULE, new HeadSampler.RuleCount(1, 1)));
    }

    @Test
    void labelsMatchOnlyWhenTheCallerPassesThem() {
        HeadSampler sampler = HeadSampler.compile(head(1.0, rule("pii", labels("pii"), Set.of(), 0)));
        ExportTraceServiceRequest request = spans(resourceSpans(resource("a"), span("a", HIGH), span("b", HIGH)));

        assertThat(names(sampler.spans(request).request())).containsExactly("a", "b");
        assertThat(names(sampler.spans(request, List.of(Set.of("pii", "internal"), Set.of()))
                        .request()))
                .containsExactly("b");
        assertThatThrownBy(() -> sampler.spans(request, List.of(Set.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ruleSignalsChooseBetweenSpansAndLogs() {
        HeadSampler sampler = HeadSampler.compile(head(1.0, rule("logs-only", signals(Signal.LOGS), Set.of(), 0)));
        assertThat(names(sampler.spans(spans(resourceSpans(resource("a"), span("s", HIGH))))
                        .request()))
                .containsExactly("s");
        assertThat(sampler.logs(logs(resourceLogs(resource("a"), log("l", HIGH))))
                        .request()
                        .getResourceLogsCount())
                .isZero();
    }

    // Probability 0 and 1

    @Test
    void probabilityZeroDropsEverythingWhateverItsRandomness() {
        HeadSampler sampler = HeadSampler.compile(head(0));
        ExportTraceServiceRequest request = spans(resourceSpans(
                resource("a"),
                span("max", MAX_R),
                span("explicit-max", LOW).toBuilder()
                        .setTraceState("ot=rv:ffffffffffffff")
                        .build(),
                span("no-trace-id", LOW).toBuilder()
                        .setTraceId(ByteString.EMPTY)
                        .build()));

        HeadSampler.Filtered<ExportTraceServiceRequest> filtered = sampler.spans(request);

        assertThat(filtered.request().getResourceSpansCount()).isZero();
        assertThat(filtered.dropped()).isEqualTo(3);
        assertThat(filtered.kept()).isZero();

        ExportLogsServiceRequest logs = logs(resourceLogs(resource("a"), log("traced", MAX_R), log("untraced", -1)));
        HeadSampler.Filtered<ExportLogsServiceRequest> filteredLogs = sampler.logs(logs);
        assertThat(filteredLogs.request().getResourceLogsCount()).isZero();
        assertThat(filteredLogs.dropped()).isEqualTo(2);
    }

    @Test
    void probabilityOneKeepsSpansUntouchedEvenWithAnInconsistentThreshold() {
        HeadSampler sampler = HeadSampler.compile(head(0, rule("all", services("a"), Set.of(), 1.0)));
        Span inconsistent = span("inconsistent", LOW).toBuilder()
                .setTraceState("ot=th:c;xx:1,vendor=v")
                .build();
        ExportTraceServiceRequest request = spans(resourceSpans(resource("a"), inconsistent, span("plain", LOW)));

        HeadSampler.Filtered<ExportTraceServiceRequest> filtered = sampler.spans(request);

        assertThat(filtered.request()).isSameAs(request);
        assertThat(filtered.kept()).isEqualTo(2);
    }

    // Tracestate handling

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // incoming tracestate         | R               | expected outgoing tracestate (empty = dropped)
                "''                            | 90000000000000  | ot=th:8",
                "''                            | 70000000000000  | ''",
                // never lowered: a stricter incoming th stays
                "ot=th:c                       | d0000000000000  | ot=th:c",
                // raised when laxer
                "ot=th:4                       | 90000000000000  | ot=th:8",
                // unknown ot sub-keys and other vendors are kept; the modified ot entry moves first
                "vendor=x,ot=th:4;xx:yy        | 90000000000000  | ot=th:8;xx:yy,vendor=x",
                // an inconsistent th (R < T) is erased, then the stage's own applies
                "ot=th:c;xx:yy                 | 90000000000000  | ot=th:8;xx:yy",
                // explicit randomness decides over the trace id and is kept
                "ot=rv:90000000000000          | 10000000000000  | ot=th:8;rv:90000000000000",
                "ot=rv:10000000000000          | 90000000000000  | ''",
                // a malformed ot entry is replaced, other vendors kept
                "ot=th:XYZ,vendor=x            | 90000000000000  | ot=th:8,vendor=x",
            })
    void spansAtAProbabilityBetweenZeroAndOneGetTheirThresholdRaisedNeverLowered(String in, String r, String out) {
        HeadSampler sampler = HeadSampler.compile(head(0.5));
        Span span =
                span("s", Long.parseLong(r, 16)).toBuilder().setTraceState(in).build();

        HeadSampler.Filtered<ExportTraceServiceRequest> filtered =
                sampler.spans(spans(resourceSpans(resource("a"), span)));

        if (out.isEmpty()) {
            assertThat(filtered.request().getResourceSpansCount()).isZero();
            assertThat(filtered.dropped()).isEqualTo(1);
        } else {
            assertThat(all(filtered.request())).extracting(Span::getTraceState).containsExactly(out);
        }
    }

    @Test
    void aRequestWhoseSpansAllPassUnchangedIsReturnedItself() {
        HeadSampler sampler = HeadSampler.compile(head(0.5));
        ExportTraceServiceRequest request = spans(resourceSpans(
                resource("a"),
                span("a", HIGH).toBuilder().setTraceState("ot=th:8").build(),
                span("b", MAX_R).toBuilder().setTraceState("ot=th:c").build()));

        assertThat(sampler.spans(request).request()).isSameAs(request);
    }

    @Test
    void emptiedScopesAreRemovedAndUntouchedOnesKept() {
        HeadSampler sampler = HeadSampler.compile(head(0.5));
        ScopeSpans dropped = ScopeSpans.newBuilder().addSpans(span("low", LOW)).build();
        ScopeSpans kept = ScopeSpans.newBuilder()
                .addSpans(span("high", HIGH).toBuilder().setTraceState("ot=th:8"))
                .build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource("a"))
                        .addScopeSpans(dropped)
                        .addScopeSpans(kept))
                .build();

        ExportTraceServiceRequest out = sampler.spans(request).request();

        assertThat(out.getResourceSpans(0).getScopeSpansList()).containsExactly(kept);
    }

    @Test
    void spansWithoutUsableTraceIdFailClosed() {
        HeadSampler sampler = HeadSampler.compile(head(0.5));
        ExportTraceServiceRequest request = spans(resourceSpans(
                resource("a"),
                span("empty", HIGH).toBuilder().setTraceId(ByteString.EMPTY).build(),
                span("short", HIGH).toBuilder()
                        .setTraceId(ByteString.copyFrom(new byte[8]))
                        .build(),
                span("explicit", HIGH).toBuilder()
                        .setTraceId(ByteString.EMPTY)
                        .setTraceState("ot=rv:ffffffffffffff")
                        .build()));

        assertThat(names(sampler.spans(request).request())).containsExactly("explicit");
    }

    // Logs

    @Test
    void logsWithATraceIdGetTheDecisionOfTheirTrace() {
        HeadSampler sampler = HeadSampler.compile(head(0.5, rule("quarter", services("quarter"), Set.of(), 0.25)));
        List<Long> randomness = List.of(
                0x10000000000000L, 0x7fffffffffffffL, 0x80000000000000L, 0xbfffffffffffffL, 0xc0000000000000L, MAX_R);
        for (String service : List.of("half", "quarter")) {
            List<Span> spanList = new ArrayList<>();
            List<LogRecord> logList = new ArrayList<>();
            for (long r : randomness) {
                spanList.add(span(Long.toHexString(r), r));
                logList.add(log(Long.toHexString(r), r));
            }
            List<String> keptSpans =
                    names(sampler.spans(spans(resourceSpans(resource(service), spanList.toArray(Span[]::new))))
                            .request());
            HeadSampler.Filtered<ExportLogsServiceRequest> filtered =
                    sampler.logs(logs(resourceLogs(resource(service), logList.toArray(LogRecord[]::new))));
            assertThat(bodies(filtered.request())).as(service).containsExactlyElementsOf(keptSpans);
            String th = service.equals("half") ? "8" : "c";
            assertThat(records(filtered.request())).allSatisfy(record -> {
                assertThat(stringAttribute(record.getAttributesList(), ConsistentDecision.SAMPLING_THRESHOLD_ATTRIBUTE))
                        .isEqualTo(th);
                assertThat(stringAttribute(
                                record.getAttributesList(), ConsistentDecision.SAMPLING_RANDOMNESS_ATTRIBUTE))
                        .isNull();
            });
        }
    }

    @Test
    void logRulesUseTheLogsOwnServiceAndAttributesButNeverSpanKinds() {
        HeadSampler sampler = HeadSampler.compile(head(
                1.0,
                rule("server-spans", any(), Set.of("server"), 0),
                rule("debug", attributes(Map.of("level", "debug")), Set.of(), 0)));
        ExportLogsServiceRequest request = logs(resourceLogs(
                resource("a"),
                log("info", HIGH, attribute("level", "info")),
                log("debug", HIGH, attribute("level", "debug"))));

        HeadSampler.Filtered<ExportLogsServiceRequest> filtered = sampler.logs(request);

        assertThat(bodies(filtered.request())).containsExactly("info");
        assertThat(filtered.byRule())
                .containsExactly(
                        Map.entry("debug", new HeadSampler.RuleCount(0, 1)),
                        Map.entry(HeadSampler.DEFAULT_RULE, new HeadSampler.RuleCount(1, 0)));
    }

    @Test
    void logsWithoutTraceContextAreNotSampledButKeptUnchanged() {
        HeadSampler sampler = HeadSampler.compile(head(0.5));
        LogRecord untraced = log("untraced", -1, attribute("k", "v"));
        LogRecord allZeros = log("zeros", -1).toBuilder()
                .setTraceId(ByteString.copyFrom(new byte[16]))
                .build();
        ExportLogsServiceRequest request = logs(resourceLogs(resource("a"), untraced, allZeros));

        HeadSampler.Filtered<ExportLogsServiceRequest> filtered = sampler.logs(request);

        assertThat(filtered.request()).isSameAs(request);
        assertThat(filtered.kept()).isEqualTo(2);
    }

    @Test
    void logsWithExplicitRandomnessAreSampledByItAndCarryIt() {
        HeadSampler sampler = HeadSampler.compile(head(0.5));
        ExportLogsServiceRequest request = logs(resourceLogs(
                resource("a"),
                log("explicit-high", -1, attribute(ConsistentDecision.SAMPLING_RANDOMNESS_ATTRIBUTE, "90000000000000")),
                log(
                        "explicit-low",
                        HIGH,
                        attribute(ConsistentDecision.SAMPLING_RANDOMNESS_ATTRIBUTE, "10000000000000")),
                log("stricter", MAX_R, attribute(ConsistentDecision.SAMPLING_THRESHOLD_ATTRIBUTE, "e"))));

        ExportLogsServiceRequest out = sampler.logs(request).request();

        assertThat(bodies(out)).containsExactly("explicit-high", "stricter");
        LogRecord explicit = records(out).get(0);
        assertThat(stringAttribute(explicit.getAttributesList(), ConsistentDecision.SAMPLING_THRESHOLD_ATTRIBUTE))
                .isEqualTo("8");
        assertThat(stringAttribute(explicit.getAttributesList(), ConsistentDecision.SAMPLING_RANDOMNESS_ATTRIBUTE))
                .isEqualTo("90000000000000");
        assertThat(records(out).get(1))
                .isSameAs(request.getResourceLogs(0).getScopeLogs(0).getLogRecords(2));
    }

    // Helpers

    static SamplingRules.Head head(double defaultProbability, SamplingRules.HeadRule... rules) {
        return new SamplingRules.Head(defaultProbability, List.of(rules));
    }

    static SamplingRules.HeadRule rule(String id, Match when, Set<String> kinds, double probability) {
        return new SamplingRules.HeadRule(id, when, kinds, probability);
    }

    static ResourceSpans resourceSpans(Resource resource, Span... spans) {
        return ResourceSpans.newBuilder()
                .setResource(resource)
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(Arrays.asList(spans)))
                .build();
    }

    static ExportTraceServiceRequest spans(ResourceSpans... resources) {
        return ExportTraceServiceRequest.newBuilder()
                .addAllResourceSpans(Arrays.asList(resources))
                .build();
    }

    static ResourceLogs resourceLogs(Resource resource, LogRecord... records) {
        return ResourceLogs.newBuilder()
                .setResource(resource)
                .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(Arrays.asList(records)))
                .build();
    }

    static ExportLogsServiceRequest logs(ResourceLogs... resources) {
        return ExportLogsServiceRequest.newBuilder()
                .addAllResourceLogs(Arrays.asList(resources))
                .build();
    }

    static List<Span> all(ExportTraceServiceRequest request) {
        return request.getResourceSpansList().stream()
                .flatMap(r -> r.getScopeSpansList().stream())
                .flatMap(s -> s.getSpansList().stream())
                .toList();
    }

    static List<String> names(ExportTraceServiceRequest request) {
        return all(request).stream().map(Span::getName).toList();
    }

    static List<LogRecord> records(ExportLogsServiceRequest request) {
        return request.getResourceLogsList().stream()
                .flatMap(r -> r.getScopeLogsList().stream())
                .flatMap(s -> s.getLogRecordsList().stream())
                .toList();
    }

    static List<String> bodies(ExportLogsServiceRequest request) {
        return records(request).stream().map(r -> r.getBody().getStringValue()).toList();
    }

    static ByteString id(long r) {
        return traceId(r);
    }
}
