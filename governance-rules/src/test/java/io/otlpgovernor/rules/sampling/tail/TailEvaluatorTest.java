package io.otlpgovernor.rules.sampling.tail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.sampling.SamplingRules;
import io.otlpgovernor.rules.sampling.Threshold;
import org.junit.jupiter.api.Test;

import static io.otlpgovernor.rules.sampling.SamplingFixtures.attribute;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.attributes;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.labels;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.resource;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.services;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.signals;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.spanId;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

class TailEvaluatorTest {

    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long HIGH = 0x90000000000000L;
    private static final long LOW = 0x70000000000000L;
    private static final Resource SHOP = resource("shop");

    // Policies one by one

    @Test
    void statusErrorKeepsATraceWithAnErrorSpan() {
        TailEvaluator evaluator = evaluator(new SamplingRules.StatusError("errors"));
        TraceSummary ok = summarize(evaluator, SHOP, span(1, 0, 10), span(2, 1, 5));
        TraceSummary failed = evaluator.observe(
                ok,
                SHOP,
                span(3, 1, 4).toBuilder()
                        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
                        .build(),
                10);

        assertThat(evaluator.decide(ok)).isEqualTo(TailDecision.NOT_KEPT);
        assertThat(evaluator.decide(failed))
                .isEqualTo(new TailDecision(true, "errors", Threshold.ALWAYS, false, "", 0));
        // An explicit OK or unset status is no error.
        assertThat(evaluator
                        .decide(evaluator.observe(
                                ok,
                                SHOP,
                                span(4, 1, 2).toBuilder()
                                        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK))
                                        .build(),
                                1))
                        .keep())
                .isFalse();
    }

    @Test
    void latencyRunsFromTheEarliestStartToTheLatestEndAcrossSpansInAnyOrder() {
        TailEvaluator evaluator = evaluator(new SamplingRules.Latency("slow", Duration.ofSeconds(2)));
        // Neither span lasts 2 s, but the trace does: 0 ms .. 2000 ms.
        List<Span> spans = List.of(span(1, 0, 1200), span(2, 900, 2000), span(3, 100, 200));
        for (List<Span> order : List.of(
                spans,
                List.of(spans.get(2), spans.get(1), spans.get(0)),
                List.of(spans.get(1), spans.get(0), spans.get(2)))) {
            TraceSummary summary = summarize(evaluator, SHOP, order.toArray(Span[]::new));
            assertThat(summary.durationNanos()).isEqualTo(2000 * MS);
            assertThat(evaluator.decide(summary).policyId()).isEqualTo("slow");
        }
        assertThat(evaluator
                        .decide(summarize(evaluator, SHOP, span(1, 0, 1999)))
                        .keep())
                .isFalse();
        // Zero (unknown) times are ignored.
        TraceSummary unknown = summarize(
                evaluator,
                SHOP,
                span(1, 500, 1000),
                span(2, 0, 0).toBuilder()
                        .setStartTimeUnixNano(0)
                        .setEndTimeUnixNano(0)
                        .build());
        assertThat(unknown.durationNanos()).isEqualTo(500 * MS);
    }

    @Test
    void attributeValuesMatchOnSpansOrResources() {
        TailEvaluator evaluator = evaluator(attributeValues("gold", "customer.tier", "gold", "platinum"));

        assertThat(evaluator
                        .decide(summarize(
                                evaluator, SHOP, span(1, 0, 1), span(2, 0, 1, attribute("customer.tier", "gold"))))
                        .policyId())
                .isEqualTo("gold");
        assertThat(evaluator
                        .decide(summarize(
                                evaluator, resource("shop", attribute("customer.tier", "platinum")), span(1, 0, 1)))
                        .keep())
                .isTrue();
        assertThat(evaluator
                        .decide(summarize(evaluator, SHOP, span(1, 0, 1, attribute("customer.tier", "silver"))))
                        .keep())
                .isFalse();
    }

    @Test
    void attributeRegexIsFoundAnywhereInTheValue() {
        TailEvaluator evaluator = evaluator(
                new SamplingRules.AttributeMatch(
                        "admin",
                        "http.route",
                        Set.of(),
                        Optional.of("^/admin/"),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()),
                new SamplingRules.AttributeMatch(
                        "retry",
                        "note",
                        Set.of(),
                        Optional.of("retr(y|ied)"),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()));

        assertThat(decide(evaluator, span(1, 0, 1, attribute("http.route", "/admin/users")))
                        .policyId())
                .isEqualTo("admin");
        assertThat(decide(evaluator, span(1, 0, 1, attribute("http.route", "/shop/admin/")))
                        .keep())
                .isFalse();
        assertThat(decide(evaluator, span(1, 0, 1, attribute("note", "was retried twice")))
                        .policyId())
                .isEqualTo("retry");
    }

    @Test
    void attributeRangesAreInclusiveAndNumericOnly() {
        TailEvaluator evaluator = evaluator(new SamplingRules.AttributeMatch(
                "server-errors",
                "http.status_code",
                Set.of(),
                Optional.empty(),
                Optional.of(500.0),
                Optional.of(599.0),
                Optional.empty()));

        assertThat(decide(evaluator, span(1, 0, 1, attribute("http.status_code", 500L)))
                        .keep())
                .isTrue();
        assertThat(decide(evaluator, span(1, 0, 1, attribute("http.status_code", 599L)))
                        .keep())
                .isTrue();
        assertThat(decide(evaluator, span(1, 0, 1, attribute("http.status_code", 550.5)))
                        .keep())
                .isTrue();
        assertThat(decide(evaluator, span(1, 0, 1, attribute("http.status_code", 499L)))
                        .keep())
                .isFalse();
        assertThat(decide(evaluator, span(1, 0, 1, attribute("http.status_code", 600L)))
                        .keep())
                .isFalse();
        assertThat(decide(evaluator, span(1, 0, 1, attribute("http.status_code", "503")))
                        .keep())
                .isFalse();
        assertThat(decide(evaluator, span(1, 0, 1, attribute("http.status_code", Double.NaN)))
                        .keep())
                .isFalse();

        TailEvaluator atLeast = evaluator(new SamplingRules.AttributeMatch(
                "big", "size", Set.of(), Optional.empty(), Optional.of(1000.0), Optional.empty(), Optional.empty()));
        assertThat(decide(atLeast, span(1, 0, 1, attribute("size", Long.MAX_VALUE)))
                        .keep())
                .isTrue();
        assertThat(decide(atLeast, span(1, 0, 1, attribute("size", 999L))).keep())
                .isFalse();
    }

    @Test
    void attributeBoolMatchesBooleansOnly() {
        TailEvaluator evaluator = evaluator(new SamplingRules.AttributeMatch(
                "debug", "debug", Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(true)));

        assertThat(decide(evaluator, span(1, 0, 1, attribute("debug", true))).keep())
                .isTrue();
        assertThat(decide(evaluator, span(1, 0, 1, attribute("debug", false))).keep())
                .isFalse();
        assertThat(decide(evaluator, span(1, 0, 1, attribute("debug", "true"))).keep())
                .isFalse();
    }

    @Test
    void spanCountKeepsTracesWithAtLeastMinSpans() {
        TailEvaluator evaluator = evaluator(new SamplingRules.SpanCount("big", 3));
        assertThat(evaluator
                        .decide(summarize(evaluator, SHOP, span(1, 0, 1), span(2, 0, 1)))
                        .keep())
                .isFalse();
        assertThat(evaluator
                        .decide(summarize(evaluator, SHOP, span(1, 0, 1), span(2, 0, 1), span(3, 0, 1)))
                        .policyId())
                .isEqualTo("big");
    }

    @Test
    void probabilisticKeepsConsistentlyByTheTraceRandomnessAndWritesItsThreshold() {
        TailEvaluator evaluator = evaluator(new SamplingRules.Probabilistic("tenth", 0.1));
        Threshold tenth = Threshold.fromProbability(0.1);
        assertThat(tenth.thValue()).isEqualTo("e666");

        assertThat(evaluator.decide(summarize(evaluator, SHOP, span(1, 0, 1, tenth.value()))))
                .isEqualTo(new TailDecision(true, "tenth", tenth, false, "", 0));
        assertThat(evaluator
                        .decide(summarize(evaluator, SHOP, span(1, 0, 1, tenth.value() - 1)))
                        .keep())
                .isFalse();
        // Explicit randomness in the tracestate is the trace's R.
        Span explicit = span(1, 0, 1, 0).toBuilder()
                .setTraceState("ot=rv:ffffffffffffff")
                .build();
        assertThat(evaluator.decide(summarize(evaluator, SHOP, explicit)).keep())
                .isTrue();
    }

    @Test
    void probabilisticThresholdIsRaisedWithAnExistingHeadThresholdNeverLowered() {
        TailEvaluator evaluator = evaluator(new SamplingRules.Probabilistic("half", 0.5));
        long r = 0xf0000000000000L;
        // Head sampled at 25 % (th:c): stricter than the policy's th:8, so th:c stays.
        Span headSampled = span(1, 0, 1, r).toBuilder().setTraceState("ot=th:c").build();
        assertThat(evaluator.decide(summarize(evaluator, SHOP, headSampled)).threshold())
                .isEqualTo(Threshold.parse("c"));
        // Head at 75 % (th:4): raised to th:8.
        Span lax = span(1, 0, 1, r).toBuilder().setTraceState("ot=th:4").build();
        assertThat(evaluator.decide(summarize(evaluator, SHOP, lax)).threshold())
                .isEqualTo(Threshold.parse("8"));
        // A th the span's randomness contradicts (R < T) is ignored.
        Span inconsistent =
                span(1, 0, 1, HIGH).toBuilder().setTraceState("ot=th:f").build();
        TraceSummary summary = summarize(evaluator, SHOP, inconsistent);
        assertThat(summary.threshold()).isEqualTo(-1);
        assertThat(evaluator.decide(summary).threshold()).isEqualTo(Threshold.parse("8"));
    }

    @Test
    void probabilityZeroKeepsNothingAndOneKeepsEverything() {
        TailEvaluator never = evaluator(new SamplingRules.Probabilistic("never", 0));
        assertThat(never.decide(summarize(never, SHOP, span(1, 0, 1, 0xffffffffffffffL)))
                        .keep())
                .isFalse();
        TailEvaluator always = evaluator(new SamplingRules.Probabilistic("always", 1));
        assertThat(always.decide(summarize(always, SHOP, span(1, 0, 1, 0))))
                .isEqualTo(new TailDecision(true, "always", Threshold.ALWAYS, false, "", 0));
    }

    @Test
    void deterministicKeepsWriteTheHeadThresholdOrThZero() {
        TailEvaluator evaluator = evaluator(new SamplingRules.SpanCount("any", 1));
        assertThat(evaluator.decide(summarize(evaluator, SHOP, span(1, 0, 1))).threshold())
                .isEqualTo(Threshold.ALWAYS);
        Span headSampled = span(1, 0, 1, 0xf0000000000000L).toBuilder()
                .setTraceState("ot=th:c")
                .build();
        assertThat(evaluator
                        .decide(summarize(evaluator, SHOP, headSampled, span(2, 0, 1, 0xf0000000000000L)))
                        .threshold())
                .isEqualTo(Threshold.parse("c"));
    }

    @Test
    void theFirstKeepingPolicyInFileOrderIsNamedButTheThresholdIsTheLaxestThatApplies() {
        TailEvaluator evaluator =
                evaluator(new SamplingRules.Probabilistic("baseline", 0.5), new SamplingRules.StatusError("errors"));
        Span error = span(1, 0, 1, HIGH).toBuilder()
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
                .build();
        // Both keep; 'baseline' comes first. An error trace is kept whatever its R, so its threshold is 0.
        assertThat(evaluator.decide(summarize(evaluator, SHOP, error)))
                .isEqualTo(new TailDecision(true, "baseline", Threshold.ALWAYS, false, "", 0));
        // Without the error only the probabilistic policy keeps it.
        assertThat(evaluator.decide(summarize(evaluator, SHOP, span(1, 0, 1, HIGH))))
                .isEqualTo(new TailDecision(true, "baseline", Threshold.parse("8"), false, "", 0));
        // Two probabilistic policies: the laxer one's threshold is the trace's inclusion probability.
        TailEvaluator two = evaluator(
                new SamplingRules.Probabilistic("quarter", 0.25), new SamplingRules.Probabilistic("half", 0.5));
        assertThat(two.decide(summarize(two, SHOP, span(1, 0, 1, 0xd0000000000000L))))
                .isEqualTo(new TailDecision(true, "quarter", Threshold.parse("8"), false, "", 0));
        assertThat(two.decide(summarize(two, SHOP, span(1, 0, 1, HIGH))))
                .isEqualTo(new TailDecision(true, "half", Threshold.parse("8"), false, "", 0));
    }

    // and

    @Test
    void andKeepsWhatEverySubPolicyKeeps() {
        TailEvaluator evaluator = evaluator(new SamplingRules.And(
                "slow-checkout",
                List.of(
                        attributeValues("checkout-service", "service.name", "checkout"),
                        new SamplingRules.Latency("slow", Duration.ofSeconds(2)))));
        Resource checkout = resource("checkout");

        assertThat(evaluator
                        .decide(summarize(evaluator, checkout, span(1, 0, 2500)))
                        .policyId())
                .isEqualTo("slow-checkout");
        assertThat(evaluator
                        .decide(summarize(evaluator, checkout, span(1, 0, 1500)))
                        .keep())
                .isFalse();
        assertThat(evaluator
                        .decide(summarize(evaluator, SHOP, span(1, 0, 2500)))
                        .keep())
                .isFalse();
        // The conditions may be met by different spans of the trace.
        assertThat(evaluator
                        .decide(evaluator.observe(
                                summarize(evaluator, checkout, span(1, 0, 10)), SHOP, span(2, 100, 2500), 1))
                        .keep())
                .isTrue();
    }

    @Test
    void andNestsThreeDeepAndCombinesProbabilities() {
        TailEvaluator evaluator = evaluator(new SamplingRules.And(
                "outer",
                List.of(
                        new SamplingRules.And(
                                "middle",
                                List.of(
                                        new SamplingRules.And(
                                                "inner",
                                                List.of(
                                                        attributeValues("vip", "customer.tier", "gold"),
                                                        new SamplingRules.Probabilistic("half", 0.5))),
                                        new SamplingRules.SpanCount("two", 2))),
                        new SamplingRules.Probabilistic("quarter", 0.25))));
        Span vip = span(1, 0, 1, 0xd0000000000000L, attribute("customer.tier", "gold"));
        Span other = span(2, 0, 1, 0xd0000000000000L);

        // All hold; the threshold is the stricter of the two probabilities: th:c.
        assertThat(evaluator.decide(summarize(evaluator, SHOP, vip, other)))
                .isEqualTo(new TailDecision(true, "outer", Threshold.parse("c"), false, "", 0));
        // R passes 50 % but not 25 %.
        Span vipMid = span(1, 0, 1, HIGH, attribute("customer.tier", "gold"));
        assertThat(evaluator
                        .decide(summarize(evaluator, SHOP, vipMid, span(2, 0, 1, HIGH)))
                        .keep())
                .isFalse();
        // One span only.
        assertThat(evaluator.decide(summarize(evaluator, SHOP, vip)).keep()).isFalse();
        // No gold customer.
        assertThat(evaluator.decide(summarize(evaluator, SHOP, other, other)).keep())
                .isFalse();
        assertThat(evaluator.leafCount()).isEqualTo(1);
    }

    @Test
    void anEmptyAndKeepsEverything() {
        TailEvaluator evaluator = evaluator(new SamplingRules.And("vacuous", List.of()));
        assertThat(evaluator.decide(summarize(evaluator, SHOP, span(1, 0, 1))).keep())
                .isTrue();
    }

    // drop

    @Test
    void dropWinsOverEveryOtherPolicy() {
        TailEvaluator evaluator = evaluator(
                new SamplingRules.StatusError("errors"),
                new SamplingRules.Probabilistic("all", 1.0),
                new SamplingRules.RateLimit("limit", 100),
                new SamplingRules.Drop("no-synthetic", services("synthetic-monitor")),
                new SamplingRules.Drop("no-health", attributes(Map.of("http.route", "/health"))));
        Span error = span(1, 0, 1).toBuilder()
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
                .build();

        TraceSummary synthetic =
                evaluator.observe(summarize(evaluator, SHOP, error), resource("synthetic-monitor"), span(2, 0, 1), 1);
        assertThat(evaluator.decide(synthetic)).isEqualTo(new TailDecision(false, "no-synthetic", null, false, "", 0));
        TraceSummary health = summarize(evaluator, SHOP, error, span(2, 0, 1, attribute("http.route", "/health")));
        assertThat(evaluator.decide(health).policyId()).isEqualTo("no-health");
        assertThat(evaluator.decide(health).keep()).isFalse();
        // Both match: the first drop policy in file order is named.
        TraceSummary both = evaluator.observe(health, resource("synthetic-monitor"), span(3, 0, 1), 1);
        assertThat(evaluator.decide(both).policyId()).isEqualTo("no-synthetic");

        assertThat(evaluator.decide(summarize(evaluator, SHOP, error)).policyId())
                .isEqualTo("errors");
    }

    @Test
    void dropConditionsOnLabelsNeverMatchAndSignalsMustIncludeSpans() {
        TailEvaluator evaluator = evaluator(
                new SamplingRules.Drop("pii", labels("pii")),
                new SamplingRules.Drop("logs-only", signals(Signal.LOGS)),
                new SamplingRules.SpanCount("all", 1));
        assertThat(evaluator.decide(summarize(evaluator, SHOP, span(1, 0, 1))).policyId())
                .isEqualTo("all");

        TailEvaluator spansDrop = evaluator(
                new SamplingRules.Drop("spans", signals(Signal.SPANS)), new SamplingRules.SpanCount("all", 1));
        assertThat(spansDrop.decide(summarize(spansDrop, SHOP, span(1, 0, 1))).keep())
                .isFalse();
    }

    // rate-limit

    @Test
    void aTraceOnlyARateLimitWouldKeepIsReportedAsRateLimited() {
        TailEvaluator evaluator = evaluator(
                new SamplingRules.StatusError("errors"),
                new SamplingRules.RateLimit("per-service", 500),
                new SamplingRules.RateLimit("second", 5));

        TailDecision decision =
                evaluator.decide(summarize(evaluator, resource("checkout"), span(1, 0, 1), span(2, 0, 1)));

        assertThat(decision).isEqualTo(new TailDecision(true, "per-service", null, true, "per-service", 500));
        assertThat(decision.adjustedCount()).isEqualTo(1);
        Span error = span(1, 0, 1).toBuilder()
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
                .build();
        assertThat(evaluator.decide(summarize(evaluator, SHOP, error)).rateLimited())
                .isFalse();
    }

    @Test
    void withoutPoliciesNothingIsKept() {
        TailEvaluator evaluator = evaluator();
        assertThat(evaluator.decide(summarize(evaluator, SHOP, span(1, 0, 1)))).isEqualTo(TailDecision.NOT_KEPT);
        assertThat(evaluator.decide(evaluator.start())).isEqualTo(TailDecision.NOT_KEPT);
    }

    // Caps

    @Test
    void capsAreReachedBySpansOrBytes() {
        TailEvaluator evaluator = TailEvaluator.compile(
                new SamplingRules.Tail(Duration.ofSeconds(30), 3, 2048, Duration.ofMinutes(10), List.of()));
        TraceSummary s = evaluator.start();
        assertThat(evaluator.capReached(s)).isFalse();
        s = evaluator.observe(s, SHOP, span(1, 0, 1), 100);
        s = evaluator.observe(s, SHOP, span(2, 0, 1), 100);
        assertThat(evaluator.capReached(s)).isFalse();
        assertThat(evaluator.capReached(evaluator.observe(s, SHOP, span(3, 0, 1), 100)))
                .isTrue();
        // Two spans and bytes: 200 + 1848 reaches 2048 bytes; 200 + 1847 does not.
        TraceSummary one = evaluator.observe(evaluator.start(), SHOP, span(1, 0, 1), 200);
        assertThat(evaluator.capReached(evaluator.observe(one, SHOP, span(2, 0, 1), 1848)))
                .isTrue();
        assertThat(evaluator.capReached(evaluator.observe(one, SHOP, span(2, 0, 1), 1847)))
                .isFalse();
        assertThat(evaluator.decisionWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(evaluator.decisionCacheTtl()).isEqualTo(Duration.ofMinutes(10));
    }

    // The summary

    @Test
    void theServiceAndRandomnessComeFromTheRootSpanWhateverTheOrder() {
        TailEvaluator evaluator = evaluator(new SamplingRules.SpanCount("all", 1));
        Span child = span(2, 0, 5, HIGH).toBuilder().setParentSpanId(spanId(1)).build();
        Span root = span(1, 10, 20, HIGH).toBuilder()
                .setTraceState("ot=rv:aaaaaaaaaaaaaa")
                .build();

        TraceSummary childFirst = evaluator.observe(
                evaluator.observe(evaluator.start(), resource("db"), child, 1), resource("frontend"), root, 1);
        TraceSummary rootFirst = evaluator.observe(
                evaluator.observe(evaluator.start(), resource("frontend"), root, 1), resource("db"), child, 1);

        assertThat(childFirst).isEqualTo(rootFirst);
        assertThat(childFirst.service()).isEqualTo("frontend");
        assertThat(childFirst.anchorIsRoot()).isTrue();
        assertThat(childFirst.randomness()).isEqualTo(0xaaaaaaaaaaaaaaL);
        // Without a root, the earliest span.
        TraceSummary noRoot = evaluator.observe(
                evaluator.observe(
                        evaluator.start(),
                        resource("late"),
                        span(3, 50, 60).toBuilder().setParentSpanId(spanId(9)).build(),
                        1),
                resource("db"),
                child,
                1);
        assertThat(noRoot.service()).isEqualTo("db");
    }

    @Test
    void summariesBuiltInAnyOrderAreEqualAndDecideAlike() {
        TailEvaluator evaluator = evaluator(
                new SamplingRules.Drop("no-synthetic", services("synthetic")),
                new SamplingRules.StatusError("errors"),
                new SamplingRules.And(
                        "slow-gold",
                        List.of(
                                attributeValues("gold", "tier", "gold"),
                                new SamplingRules.Latency("slow", Duration.ofMillis(300)))),
                new SamplingRules.SpanCount("big", 6),
                new SamplingRules.Probabilistic("baseline", 0.3),
                new SamplingRules.RateLimit("limit", 10));
        List<Resource> resources = List.of(
                resource("shop"),
                resource("db"),
                resource("synthetic"),
                resource("shop", attribute("tier", "gold")),
                resource(null));
        Random random = new Random(42);
        int kept = 0;
        for (int trace = 0; trace < 2000; trace++) {
            long r = random.nextLong() & 0xffffffffffffffL;
            int count = 1 + random.nextInt(8);
            List<Map.Entry<Resource, Span>> spans = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Span.Builder span = span(i + 1, random.nextInt(400), 0, r).toBuilder();
                span.setEndTimeUnixNano(span.getStartTimeUnixNano() + random.nextInt(200) * MS);
                if (i > 0 || random.nextInt(4) == 0) {
                    span.setParentSpanId(spanId(random.nextInt(count) + 1));
                }
                if (random.nextInt(30) == 0) {
                    span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
                }
                if (random.nextInt(5) == 0) {
                    span.setTraceState(random.nextBoolean() ? "ot=th:8" : "ot=th:4;xx:1");
                }
                if (random.nextInt(6) == 0) {
                    span.addAttributes(attribute("tier", "gold"));
                }
                spans.add(Map.entry(resources.get(random.nextInt(resources.size())), span.build()));
            }
            TraceSummary inOrder = evaluator.start();
            for (Map.Entry<Resource, Span> entry : spans) {
                inOrder = evaluator.observe(
                        inOrder,
                        entry.getKey(),
                        entry.getValue(),
                        entry.getValue().getSerializedSize());
            }
            for (int shuffle = 0; shuffle < 5; shuffle++) {
                List<Map.Entry<Resource, Span>> order = new ArrayList<>(spans);
                Collections.shuffle(order, random);
                TraceSummary shuffled = evaluator.start();
                for (Map.Entry<Resource, Span> entry : order) {
                    shuffled = evaluator.observe(
                            shuffled,
                            entry.getKey(),
                            entry.getValue(),
                            entry.getValue().getSerializedSize());
                }
                assertThat(shuffled).isEqualTo(inOrder);
                assertThat(shuffled.hashCode()).isEqualTo(inOrder.hashCode());
                assertThat(evaluator.decide(shuffled)).isEqualTo(evaluator.decide(inOrder));
            }
            // Split into pieces (as requests bring them), summarized apart and merged in any order: the same.
            List<Map.Entry<Resource, Span>> order = new ArrayList<>(spans);
            Collections.shuffle(order, random);
            List<TraceSummary> pieces = new ArrayList<>();
            TraceSummary piece = evaluator.start();
            for (Map.Entry<Resource, Span> entry : order) {
                piece = evaluator.observe(
                        piece,
                        entry.getKey(),
                        entry.getValue(),
                        entry.getValue().getSerializedSize());
                if (random.nextInt(3) == 0) {
                    pieces.add(piece);
                    piece = evaluator.start();
                }
            }
            pieces.add(piece);
            Collections.shuffle(pieces, random);
            TraceSummary merged = evaluator.start();
            for (TraceSummary next : pieces) {
                merged = random.nextBoolean() ? evaluator.merge(merged, next) : evaluator.merge(next, merged);
            }
            assertThat(merged).isEqualTo(inOrder);
            // The summary holds what the spans say, taken together.
            assertThat(inOrder.spans()).isEqualTo(count);
            assertThat(inOrder.bytes())
                    .isEqualTo(spans.stream()
                            .mapToLong(e -> e.getValue().getSerializedSize())
                            .sum());
            assertThat(inOrder.errorSeen())
                    .isEqualTo(spans.stream()
                            .anyMatch(e -> e.getValue().getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR));
            assertThat(inOrder.earliestStartNanos())
                    .isEqualTo(spans.stream()
                            .mapToLong(e -> e.getValue().getStartTimeUnixNano())
                            .min()
                            .orElseThrow());
            assertThat(inOrder.latestEndNanos())
                    .isEqualTo(spans.stream()
                            .mapToLong(e -> e.getValue().getEndTimeUnixNano())
                            .max()
                            .orElseThrow());
            kept += evaluator.decide(inOrder).keep() ? 1 : 0;
        }
        assertThat(kept).isBetween(100, 1900);
    }

    @Test
    void summarizeObservesEverySpanOfARequestAndMergeDropsConditionBitsOfOtherRules() {
        TailEvaluator evaluator = evaluator(attributeValues("gold", "tier", "gold"));
        Span gold = span(1, 0, 1).toBuilder()
                .addAttributes(attribute("tier", "gold"))
                .build();
        Span plain = span(2, 5, 1);
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(SHOP)
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(gold).addSpans(plain)))
                .build();
        assertThat(evaluator.summarize(request)).isEqualTo(summarize(evaluator, SHOP, gold, plain));

        TailEvaluator other = evaluator(attributeValues("silver", "tier", "silver"));
        TraceSummary foreign = summarize(other, SHOP, gold);
        assertThat(evaluator.conditionsMatch(foreign)).isFalse();
        // Counts and anchor carry over; the bits of other rules do not (as observe does after a rule change).
        TraceSummary merged = evaluator.merge(summarize(evaluator, SHOP, plain), foreign);
        assertThat(merged.spans()).isEqualTo(2);
        assertThat(evaluator.conditionsMatch(merged)).isTrue();
        assertThat(merged.matched()).containsOnly(0L);
        assertThat(evaluator.merge(summarize(evaluator, SHOP, gold), foreign).matched())
                .isEqualTo(summarize(evaluator, SHOP, gold).matched());
    }

    @Test
    void observeDoesNotChangeTheSummaryItIsGiven() {
        TailEvaluator evaluator = evaluator(attributeValues("gold", "tier", "gold"));
        TraceSummary before = summarize(evaluator, SHOP, span(1, 0, 1));
        TraceSummary copy = new TraceSummary(
                before.spans(),
                before.bytes(),
                before.earliestStartNanos(),
                before.latestEndNanos(),
                before.errorSeen(),
                before.matched().clone(),
                before.conditionsFingerprint(),
                before.anchorIsRoot(),
                before.anchorStartNanos(),
                before.service(),
                before.randomness(),
                before.threshold());

        TraceSummary after = evaluator.observe(before, SHOP, span(2, 0, 1, attribute("tier", "gold")), 1);

        assertThat(before).isEqualTo(copy);
        assertThat(evaluator.decide(before).keep()).isFalse();
        assertThat(evaluator.decide(after).keep()).isTrue();
    }

    @Test
    void conditionBitsFromOtherRulesAreNotTrusted() {
        TailEvaluator old = evaluator(new SamplingRules.Drop("drop-gold", attributes(Map.of("tier", "gold"))));
        TailEvaluator changed =
                evaluator(attributeValues("keep-gold", "tier", "gold"), new SamplingRules.SpanCount("two", 2));
        TraceSummary underOldRules = summarize(old, SHOP, span(1, 0, 1, attribute("tier", "gold")));
        assertThat(old.decide(underOldRules).keep()).isFalse();

        // The old drop bit is not read as 'keep-gold'; counts still count.
        assertThat(changed.decide(underOldRules)).isEqualTo(TailDecision.NOT_KEPT);
        TraceSummary continued = changed.observe(underOldRules, SHOP, span(2, 0, 1), 1);
        assertThat(changed.decide(continued).policyId()).isEqualTo("two");
        // Equal rules compile to the same fingerprint.
        assertThat(evaluator(new SamplingRules.Drop("x", attributes(Map.of("tier", "gold"))))
                        .start()
                        .conditionsFingerprint())
                .isEqualTo(old.start().conditionsFingerprint());
    }

    @Test
    void moreThanSixtyFourConditionsUseMoreWords() {
        List<SamplingRules.TailPolicy> policies = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            policies.add(attributeValues("a" + i, "k" + i, "v"));
        }
        TailEvaluator evaluator = evaluator(policies.toArray(SamplingRules.TailPolicy[]::new));
        TraceSummary summary = summarize(evaluator, SHOP, span(1, 0, 1, attribute("k69", "v")));
        assertThat(summary.matched()).hasSize(2);
        assertThat(evaluator.decide(summary).policyId()).isEqualTo("a69");
    }

    // Helpers

    static TailEvaluator evaluator(SamplingRules.TailPolicy... policies) {
        return TailEvaluator.compile(new SamplingRules.Tail(
                Duration.ofSeconds(30), 10_000, 16 << 20, Duration.ofMinutes(10), List.of(policies)));
    }

    static SamplingRules.AttributeMatch attributeValues(String id, String key, String... values) {
        return new SamplingRules.AttributeMatch(
                id, key, Set.of(values), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static TraceSummary summarize(TailEvaluator evaluator, Resource resource, Span... spans) {
        TraceSummary summary = evaluator.start();
        for (Span span : spans) {
            summary = evaluator.observe(summary, resource, span, span.getSerializedSize());
        }
        return summary;
    }

    static TailDecision decide(TailEvaluator evaluator, Span span) {
        return evaluator.decide(summarize(evaluator, SHOP, span));
    }

    /** A span of trace {@code 0x42…} starting and ending at these milliseconds after T0. */
    static Span span(int n, long startMs, long endMs, KeyValue... attributes) {
        return span(n, startMs, endMs, 0x42424242424242L, attributes);
    }

    static Span span(int n, long startMs, long endMs, long randomness, KeyValue... attributes) {
        ByteString traceId = traceId(randomness);
        return Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(spanId(n))
                .setName("span-" + n)
                .setStartTimeUnixNano(T0 + startMs * MS)
                .setEndTimeUnixNano(T0 + endMs * MS)
                .addAllAttributes(List.of(attributes))
                .build();
    }
}
