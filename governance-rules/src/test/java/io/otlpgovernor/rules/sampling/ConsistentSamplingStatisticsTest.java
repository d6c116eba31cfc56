package io.otlpgovernor.rules.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.DoubleStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statistical promises of consistent sampling over a million synthetic traces with seeded random trace ids:
 * the kept fraction and the Horvitz–Thompson estimate (the sum of the kept items' adjusted counts) are within
 * three standard deviations of their expectations, and stages keep nested sets and never lower a threshold
 * (the chained-stage check parses and rewrites a tracestate per stage, so it runs a quarter of a million chains).
 */
class ConsistentSamplingStatisticsTest {

    private static final int TRACES = 1_000_000;

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 0.1, 0.01, 0.001})
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void keepsTheConfiguredFractionAndItsAdjustedCountsEstimateTheTotal(double probability) {
        ConsistentSampler sampler = ConsistentSampler.withProbability(probability);
        // The four-digit threshold's own probability differs from p by far less than one standard deviation.
        double actualProbability = sampler.threshold().orElseThrow().probability();
        Random random = new Random(Double.doubleToLongBits(probability));
        byte[] traceId = new byte[16];
        long kept = 0;
        double estimate = 0;
        for (int i = 0; i < TRACES; i++) {
            random.nextBytes(traceId);
            ConsistentDecision decision = sampler.decide("", traceId);
            if (decision.kept()) {
                kept++;
            }
            estimate += decision.adjustedCount();
        }

        double fractionSigma = Math.sqrt(probability * (1 - probability) / TRACES);
        double estimateSigma = Math.sqrt(TRACES * (1 - probability) / probability);
        assertThat(Math.abs(actualProbability - probability)).isLessThan(fractionSigma / 10);
        assertThat((double) kept / TRACES).isBetween(probability - 3 * fractionSigma, probability + 3 * fractionSigma);
        assertThat(estimate).isBetween(TRACES - 3 * estimateSigma, TRACES + 3 * estimateSigma);
    }

    @ParameterizedTest
    @CsvSource({"1, 0.5", "0.5, 0.1", "0.1, 0.01", "0.01, 0.001", "0.1, 0.1", "0.3, 0.2"})
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aStricterStageKeepsASubsetOfWhatALaxerStageKeeps(double laxProbability, double strictProbability) {
        ConsistentSampler lax = ConsistentSampler.withProbability(laxProbability);
        ConsistentSampler strict = ConsistentSampler.withProbability(strictProbability);
        Random random = new Random(42);
        byte[] traceId = new byte[16];
        long keptByStrict = 0;
        long keptByStrictOnly = 0;
        for (int i = 0; i < TRACES; i++) {
            random.nextBytes(traceId);
            boolean strictKeeps = strict.decide("", traceId).kept();
            if (strictKeeps) {
                keptByStrict++;
                if (!lax.decide("", traceId).kept()) {
                    keptByStrictOnly++;
                }
            }
        }

        assertThat(keptByStrict).isPositive();
        assertThat(keptByStrictOnly).isZero();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void chainedStagesNeverLowerTheThresholdAndKeepWhatTheStrictestStageWouldKeep() {
        SplittableRandom random = new SplittableRandom(235);
        ConsistentSampler[] samplers = DoubleStream.of(1, 0.75, 0.5, 0.3, 0.1, 0.01, 0.001)
                .mapToObj(ConsistentSampler::withProbability)
                .toArray(ConsistentSampler[]::new);
        String[] vendors = {"", "congo=t61rcWkgMzE", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"};
        byte[] traceId = new byte[16];
        int chains = 250_000;
        int keptChains = 0;
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < chains; i++) {
            fill(random, traceId);
            long r = Randomness.fromTraceId(traceId).value();
            // An incoming state as an SDK might send it: nothing, a consistent th, or an explicit rv.
            String header = vendors[random.nextInt(vendors.length)];
            long effectiveR = r;
            long incomingThreshold = 0;
            switch (random.nextInt(3)) {
                case 0 -> {}
                case 1 -> {
                    incomingThreshold = (r == 0 ? 0 : random.nextLong(r + 1)) & ~0xffffffffffL;
                    header = join("ot=th:" + new Threshold(incomingThreshold).thValue(), header);
                }
                default -> {
                    effectiveR = random.nextLong(1L << 56);
                    header = join("ot=rv:" + new Randomness(effectiveR).rvValue(), header);
                }
            }

            long strictest = incomingThreshold;
            long previous = incomingThreshold;
            boolean kept = true;
            for (int stage = 0; stage < 3 && kept; stage++) {
                ConsistentSampler sampler = samplers[random.nextInt(samplers.length)];
                strictest =
                        Math.max(strictest, sampler.threshold().orElseThrow().value());
                ConsistentDecision decision = sampler.decide(header, traceId);
                kept = decision.kept();
                // Plain checks in the loop: AssertJ per item would dominate the run time.
                if (kept != effectiveR >= strictest) {
                    violations.add("kept=" + kept + " for " + header + " at stage " + stage);
                }
                if (kept) {
                    long outgoing = OtelTraceState.parse(decision.traceState())
                            .threshold()
                            .map(Threshold::value)
                            .orElse(0L);
                    String others = othersThanOt(header);
                    if (outgoing < previous
                            || outgoing != strictest
                            || !decision.threshold().orElseThrow().equals(new Threshold(strictest))
                            || decision.inconsistentThresholdErased()
                            || !decision.traceState().endsWith(others)) {
                        violations.add(header + " -> " + decision.traceState() + " at stage " + stage);
                    }
                    previous = outgoing;
                    header = decision.traceState();
                }
            }
            if (kept) {
                keptChains++;
            }
        }
        assertThat(violations).isEmpty();
        assertThat(keptChains).isBetween(chains / 20, chains - chains / 20);
    }

    private static void fill(SplittableRandom random, byte[] traceId) {
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 0; i < 8; i++) {
            traceId[i] = (byte) (high >>> (8 * i));
            traceId[8 + i] = (byte) (low >>> (8 * i));
        }
    }

    private static String othersThanOt(String header) {
        if (!header.startsWith("ot=")) {
            return header;
        }
        int comma = header.indexOf(',');
        return comma < 0 ? "" : header.substring(comma + 1);
    }

    private static String join(String ot, String others) {
        return others.isEmpty() ? ot : ot + "," + others;
    }
}
