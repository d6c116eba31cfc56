package io.otlpgovernor.rules.sampling;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.rules.sampling.head.HeadSampler;
import io.otlpgovernor.rules.sampling.tail.TailDecision;
import io.otlpgovernor.rules.sampling.tail.TailEvaluator;
import io.otlpgovernor.rules.sampling.tail.TraceSummary;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Head and tail sampling over a million synthetic traces with seeded random trace ids: the kept fraction is
 * within three standard deviations of p, and the sum of the kept traces' adjusted counts (the Horvitz–Thompson
 * estimate of the number of traces) is within three standard deviations of the true count.
 *
 * <p>With N traces each kept independently with probability p (consistent sampling makes the decision a function
 * of the random trace id, so over random ids it is a Bernoulli(p) draw), the kept count is Binomial(N, p): the
 * kept fraction has standard deviation sqrt(p(1 − p)/N). Each kept trace counts 1/p, so the estimate has variance
 * N · p(1 − p) / p² = N(1 − p)/p. p is the probability of the threshold actually applied (four hex digits), which
 * differs from the configured one by far less than one standard deviation.
 */
class HeadAndTailSamplingStatisticsTest {

    private static final int TRACES = 1_000_000;
    private static final int BATCH = 10_000;
    private static final Resource RESOURCE = SamplingFixtures.resource("shop");

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 0.1, 0.01})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void headSamplingKeepsTheFractionAndItsAdjustedCountsEstimateTheTotal(double probability) {
        HeadSampler sampler = HeadSampler.compile(new SamplingRules.Head(probability, List.of()));
        double p = Threshold.fromProbability(probability).probability();
        Random random = new Random(Double.doubleToLongBits(probability) ^ 0x4ead);
        long kept = 0;
        double estimate = 0;
        for (int batch = 0; batch < TRACES / BATCH; batch++) {
            ScopeSpans.Builder scope = ScopeSpans.newBuilder();
            for (int i = 0; i < BATCH; i++) {
                scope.addSpans(
                        Span.newBuilder().setTraceId(randomTraceId(random)).setName("s"));
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(
                            ResourceSpans.newBuilder().setResource(RESOURCE).addScopeSpans(scope))
                    .build();
            HeadSampler.Filtered<ExportTraceServiceRequest> filtered = sampler.spans(request);
            assertThat(filtered.kept() + filtered.dropped()).isEqualTo(BATCH);
            kept += filtered.kept();
            estimate += AdjustedCounts.spans(filtered.request());
        }
        assertWithinThreeSigma(probability, p, kept, estimate);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 0.1, 0.01})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void tailProbabilisticPolicyKeepsTheFractionAndItsThresholdsEstimateTheTotal(double probability) {
        TailEvaluator evaluator = tail(new SamplingRules.Probabilistic("baseline", probability));
        double p = Threshold.fromProbability(probability).probability();
        Random random = new Random(Double.doubleToLongBits(probability) ^ 0x7a11);
        long kept = 0;
        double estimate = 0;
        for (int i = 0; i < TRACES; i++) {
            Span span = Span.newBuilder().setTraceId(randomTraceId(random)).build();
            TailDecision decision = evaluator.decide(evaluator.observe(evaluator.start(), RESOURCE, span, 10));
            if (decision.keep()) {
                kept++;
                estimate += decision.threshold().adjustedCount();
            }
        }
        assertWithinThreeSigma(probability, p, kept, estimate);
    }

    @ParameterizedTest
    @CsvSource({"0.5, 0.1", "0.25, 0.5", "0.1, 0.1"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void headThenTailKeepTheStricterFractionAndTheWrittenThresholdsStillEstimateTheTotal(double head, double tail) {
        HeadSampler headSampler = HeadSampler.compile(new SamplingRules.Head(head, List.of()));
        TailEvaluator evaluator = tail(new SamplingRules.Probabilistic("baseline", tail));
        double p = Math.min(
                Threshold.fromProbability(head).probability(),
                Threshold.fromProbability(tail).probability());
        Random random = new Random(Double.doubleToLongBits(head) * 31 + Double.doubleToLongBits(tail));
        long kept = 0;
        double estimate = 0;
        for (int batch = 0; batch < TRACES / BATCH; batch++) {
            ScopeSpans.Builder scope = ScopeSpans.newBuilder();
            for (int i = 0; i < BATCH; i++) {
                scope.addSpans(Span.newBuilder().setTraceId(randomTraceId(random)));
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(
                            ResourceSpans.newBuilder().setResource(RESOURCE).addScopeSpans(scope))
                    .build();
            for (ResourceSpans resource : headSampler.spans(request).request().getResourceSpansList()) {
                for (Span span : resource.getScopeSpans(0).getSpansList()) {
                    TraceSummary summary = evaluator.observe(evaluator.start(), RESOURCE, span, 10);
                    TailDecision decision = evaluator.decide(summary);
                    if (decision.keep()) {
                        kept++;
                        estimate += decision.threshold().adjustedCount();
                        assertThat(decision.threshold().value()).isGreaterThanOrEqualTo(summary.threshold());
                    }
                }
            }
        }
        assertWithinThreeSigma(Math.min(head, tail), p, kept, estimate);
    }

    private static void assertWithinThreeSigma(double configured, double p, long kept, double estimate) {
        double fractionSigma = Math.sqrt(p * (1 - p) / TRACES);
        double estimateSigma = Math.sqrt(TRACES * (1 - p) / p);
        assertThat(Math.abs(p - configured)).isLessThan(fractionSigma / 10);
        assertThat((double) kept / TRACES).isBetween(p - 3 * fractionSigma, p + 3 * fractionSigma);
        assertThat(estimate).isBetween(TRACES - 3 * estimateSigma, TRACES + 3 * estimateSigma);
    }

    private static TailEvaluator tail(SamplingRules.TailPolicy policy) {
        return TailEvaluator.compile(new SamplingRules.Tail(
                Duration.ofSeconds(30), 10_000, 1 << 24, Duration.ofMinutes(10), List.of(policy)));
    }

    private static ByteString randomTraceId(Random random) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        id[0] |= 1; // never all zeros
        return ByteString.copyFrom(id);
    }
}
