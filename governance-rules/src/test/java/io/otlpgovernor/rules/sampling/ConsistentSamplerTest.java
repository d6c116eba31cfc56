package io.otlpgovernor.rules.sampling;

import java.lang.management.ManagementFactory;

import com.google.protobuf.ByteString;
import io.otlpgovernor.rules.sampling.ConsistentDecision.RandomnessSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsistentSamplerTest {

    private static final String RV_HIGH = "f0000000000000";
    private static final String RV_LOW = "00000000000001";

    private static final ConsistentSampler HALF = ConsistentSampler.withProbability(0.5);
    private static final ConsistentSampler QUARTER = ConsistentSampler.withProbability(0.25);
    private static final ConsistentSampler ALL = ConsistentSampler.withProbability(1);

    @Test
    void keepsAnItemIffItsRandomnessIsAtLeastTheThreshold() {
        assertThat(HALF.decide("", traceId(0x80000000000000L)).kept()).isTrue();
        assertThat(HALF.decide("", traceId(0x7fffffffffffffL)).kept()).isFalse();
        assertThat(HALF.decide("", traceId(0xffffffffffffffL)).kept()).isTrue();
        assertThat(HALF.decide("", traceId(0)).kept()).isFalse();
    }

    @Test
    void aKeptItemWithoutTracestateLeavesWithTheStagesThreshold() {
        ConsistentDecision decision = QUARTER.decide("", traceId(0xd0000000000000L));

        assertThat(decision.kept()).isTrue();
        assertThat(decision.randomnessSource()).isEqualTo(RandomnessSource.TRACE_ID);
        assertThat(decision.threshold()).contains(Threshold.parse("c"));
        assertThat(decision.adjustedCount()).isEqualTo(4.0);
        assertThat(decision.traceState()).isEqualTo("ot=th:c");
        assertThat(decision.traceStateChanged()).isTrue();
        assertThat(decision.samplingThresholdAttribute()).hasValue("c");
        assertThat(decision.samplingRandomnessAttribute()).isEmpty();
    }

    @Test
    void aDroppedItemCountsForNothing() {
        ConsistentDecision decision = QUARTER.decide("congo=x", traceId(0x10000000000000L));

        assertThat(decision.kept()).isFalse();
        assertThat(decision.adjustedCount()).isZero();
        assertThat(decision.threshold()).isEmpty();
        assertThat(decision.traceState()).isEmpty();
    }

    @Test
    void aStageAtOneHundredPercentPassesItemsWithoutThresholdUnchanged() {
        ConsistentDecision empty = ALL.decide("", traceId(0));
        ConsistentDecision vendors = ALL.decide("congo=x", traceId(0));

        assertThat(empty.kept()).isTrue();
        assertThat(empty.traceState()).isEmpty();
        assertThat(empty.traceStateChanged()).isFalse();
        assertThat(empty.threshold()).contains(Threshold.ALWAYS);
        assertThat(empty.adjustedCount()).isEqualTo(1.0);
        assertThat(empty.samplingThresholdAttribute()).isEmpty();
        assertThat(vendors.traceState()).isEqualTo("congo=x");
        assertThat(vendors.traceStateChanged()).isFalse();
    }

    @Test
    void raisesAnIncomingThreshold() {
        ConsistentDecision kept = QUARTER.decide("congo=x,ot=th:8;k1:13", traceId(0xd0000000000000L));
        ConsistentDecision dropped = QUARTER.decide("congo=x,ot=th:8;k1:13", traceId(0x90000000000000L));

        assertThat(kept.kept()).isTrue();
        assertThat(kept.traceState()).isEqualTo("ot=th:c;k1:13,congo=x");
        assertThat(kept.threshold()).contains(Threshold.parse("c"));
        assertThat(kept.adjustedCount()).isEqualTo(4.0);
        assertThat(dropped.kept()).isFalse();
    }

    @Test
    void neverLowersAnIncomingThreshold() {
        String header = "ot=th:c, congo=x";
        ConsistentDecision decision = HALF.decide(header, traceId(0xd0000000000000L));

        assertThat(decision.kept()).isTrue();
        assertThat(decision.traceState()).isSameAs(header);
        assertThat(decision.traceStateChanged()).isFalse();
        assertThat(decision.threshold()).contains(Threshold.parse("c"));
        assertThat(decision.adjustedCount()).isEqualTo(4.0);
        assertThat(decision.samplingThresholdAttribute()).hasValue("c");
    }

    @Test
    void explicitRandomnessTakesPrecedenceOverTheTraceId() {
        ConsistentDecision decision = HALF.decide("ot=rv:" + RV_HIGH, traceId(0));

        assertThat(decision.kept()).isTrue();
        assertThat(decision.randomnessSource()).isEqualTo(RandomnessSource.EXPLICIT);
        assertThat(decision.traceState()).isEqualTo("ot=th:8;rv:" + RV_HIGH);
        assertThat(decision.samplingRandomnessAttribute()).hasValue(RV_HIGH);
        assertThat(HALF.decide("ot=rv:" + RV_LOW, traceId(0xffffffffffffffL)).kept())
                .isFalse();
        assertThat(HALF.decide("ot=rv:" + RV_LOW, traceId(0xffffffffffffffL)).randomnessSource())
                .isEqualTo(RandomnessSource.EXPLICIT);
    }

    @Test
    void erasesAnIncomingThresholdTheRandomnessContradicts() {
        // R = 0x1... < th c: the item could not have been kept at 25 %, so th:c does not describe it.
        ConsistentDecision decision = ALL.decide("ot=th:c;k1:13,congo=x", traceId(0x10000000000000L));

        assertThat(decision.kept()).isTrue();
        assertThat(decision.inconsistentThresholdErased()).isTrue();
        assertThat(decision.traceState()).isEqualTo("ot=k1:13,congo=x");
        assertThat(decision.threshold()).contains(Threshold.ALWAYS);
        assertThat(decision.adjustedCount()).isEqualTo(1.0);
        assertThat(decision.samplingThresholdAttribute()).isEmpty();
    }

    @Test
    void appliesTheStageAfterErasingAnInconsistentThreshold() {
        ConsistentDecision kept = HALF.decide("ot=th:f", traceId(0x90000000000000L));
        ConsistentDecision dropped = HALF.decide("ot=th:f", traceId(0x70000000000000L));

        assertThat(kept.kept()).isTrue();
        assertThat(kept.inconsistentThresholdErased()).isTrue();
        assertThat(kept.traceState()).isEqualTo("ot=th:8");
        assertThat(dropped.kept()).isFalse();
        assertThat(dropped.inconsistentThresholdErased()).isTrue();
    }

    @Test
    void anUnusableHeaderTakesRandomnessFromTheTraceIdAndGetsAFreshOtEntry() {
        ConsistentDecision malformedOt = HALF.decide("congo=x,ot=th:E;rv:" + RV_HIGH, traceId(0x90000000000000L));
        ConsistentDecision malformedHeader = HALF.decide("Congo=x,ot=th:0", traceId(0x90000000000000L));
        ConsistentDecision droppedByTraceId = HALF.decide("ot=rv:" + RV_HIGH + ";th:E", traceId(0x10000000000000L));

        assertThat(malformedOt.kept()).isTrue();
        assertThat(malformedOt.randomnessSource()).isEqualTo(RandomnessSource.TRACE_ID);
        assertThat(malformedOt.traceState()).isEqualTo("ot=th:8,congo=x");
        assertThat(malformedOt.traceStateProblem())
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("ot entry: th value"));
        assertThat(malformedHeader.kept()).isTrue();
        assertThat(malformedHeader.traceState()).isEqualTo("ot=th:8");
        assertThat(malformedHeader.traceStateProblem()).isPresent();
        assertThat(droppedByTraceId.kept()).isFalse();
        assertThat(droppedByTraceId.traceStateProblem()).isPresent();
    }

    @Test
    void anUnusableHeaderAtOneHundredPercentLosesOnlyTheBrokenParts() {
        ConsistentDecision decision = ALL.decide("congo=x,ot=th:E", traceId(0));

        assertThat(decision.kept()).isTrue();
        assertThat(decision.traceState()).isEqualTo("congo=x");
        assertThat(decision.traceStateChanged()).isTrue();
    }

    @Test
    void aStageOfUnknownProbabilityKeepsEverythingAndErasesTh() {
        ConsistentSampler unknown = ConsistentSampler.unknownProbability();

        ConsistentDecision withTh = unknown.decide("ot=th:8;rv:" + RV_HIGH + ",congo=x", traceId(0));
        ConsistentDecision empty = unknown.decide("", traceId(0));

        assertThat(unknown.threshold()).isEmpty();
        assertThat(withTh.kept()).isTrue();
        assertThat(withTh.traceState()).isEqualTo("ot=rv:" + RV_HIGH + ",congo=x");
        assertThat(withTh.threshold()).isEmpty();
        assertThat(withTh.adjustedCount()).isEqualTo(1.0);
        assertThat(withTh.samplingThresholdAttribute()).isEmpty();
        assertThat(withTh.samplingRandomnessAttribute()).hasValue(RV_HIGH);
        assertThat(empty.kept()).isTrue();
        assertThat(empty.traceState()).isEmpty();
        assertThat(empty.traceStateChanged()).isFalse();
        assertThat(unknown.decide("congo=x", new byte[0]).traceState()).isEqualTo("congo=x");
    }

    @Test
    void withoutRandomnessOnlyAStageThatDoesNotRaiseTheThresholdKeeps() {
        byte[] noTraceId = new byte[0];
        byte[] zeroTraceId = new byte[16];

        assertThat(HALF.decide("", noTraceId).kept()).isFalse();
        assertThat(HALF.decide("", noTraceId).randomnessSource()).isEqualTo(RandomnessSource.MISSING);
        assertThat(HALF.decide("", zeroTraceId).kept()).isFalse();
        assertThat(ALL.decide("", noTraceId).kept()).isTrue();
        assertThat(ALL.decide("", zeroTraceId).adjustedCount()).isEqualTo(1.0);
        // Arrived at 25 %: a 50 % stage leaves it as it is, a 10 % stage would have to draw.
        ConsistentDecision passed = HALF.decide("ot=th:c", noTraceId);
        assertThat(passed.kept()).isTrue();
        assertThat(passed.traceState()).isEqualTo("ot=th:c");
        assertThat(passed.adjustedCount()).isEqualTo(4.0);
        assertThat(ConsistentSampler.withProbability(0.1)
                        .decide("ot=th:c", noTraceId)
                        .kept())
                .isFalse();
        // Explicit randomness needs no trace id.
        assertThat(HALF.decide("ot=rv:" + RV_HIGH, noTraceId).kept()).isTrue();
    }

    @Test
    void decidesLogRecordsFromTheirAttributes() {
        ConsistentDecision fresh = QUARTER.decide(OtelTraceState.ofLogAttributes("", ""), traceId(0xd0000000000000L));
        ConsistentDecision explicit =
                QUARTER.decide(OtelTraceState.ofLogAttributes("8", "e05a99c8df8d32"), new byte[0]);
        ConsistentDecision malformed =
                QUARTER.decide(OtelTraceState.ofLogAttributes("X", ""), traceId(0xd0000000000000L));

        assertThat(fresh.samplingThresholdAttribute()).hasValue("c");
        assertThat(fresh.samplingRandomnessAttribute()).isEmpty();
        assertThat(explicit.kept()).isTrue();
        assertThat(explicit.samplingThresholdAttribute()).hasValue("c");
        assertThat(explicit.samplingRandomnessAttribute()).hasValue("e05a99c8df8d32");
        assertThat(malformed.kept()).isTrue();
        assertThat(malformed.samplingThresholdAttribute()).hasValue("c");
        assertThat(malformed.traceStateProblem())
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("sampling.threshold attribute"));
        assertThat(ConsistentDecision.SAMPLING_THRESHOLD_ATTRIBUTE).isEqualTo("sampling.threshold");
        assertThat(ConsistentDecision.SAMPLING_RANDOMNESS_ATTRIBUTE).isEqualTo("sampling.randomness");
    }

    @Test
    void byteArrayAndByteStringTraceIdsDecideAlike() {
        for (long r : new long[] {0, 0x7fffffffffffffL, 0x80000000000000L, 0xffffffffffffffL}) {
            byte[] traceId = traceId(r);
            ByteString bytes = ByteString.copyFrom(traceId);
            assertThat(QUARTER.decide("", bytes)).isSameAs(QUARTER.decide("", traceId));
            assertThat(QUARTER.decide("congo=x", bytes).traceState())
                    .isEqualTo(QUARTER.decide("congo=x", traceId).traceState());
            assertThat(QUARTER.decide(OtelTraceState.EMPTY, bytes))
                    .isSameAs(QUARTER.decide(OtelTraceState.EMPTY, traceId));
        }
        assertThat(QUARTER.decide("", ByteString.EMPTY).randomnessSource()).isEqualTo(RandomnessSource.MISSING);
    }

    @Test
    void rejectsTraceIdsOfTheWrongLength() {
        assertThatThrownBy(() -> HALF.decide("", new byte[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trace id has 8 bytes; expected 16");
    }

    @Test
    void decidesItemsWithoutTracestateWithoutAllocating() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ConsistentSampler sampler = ConsistentSampler.withProbability(0.1);
        byte[] traceId = traceId(0);
        ByteString byteString = ByteString.copyFrom(traceId(0xf0000000000000L));
        long thread = Thread.currentThread().getId();
        int kept = 0;
        for (int warmUp = 0; warmUp < 10_000; warmUp++) {
            kept += decideBoth(sampler, traceId, byteString, warmUp);
        }

        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1_000_000; i++) {
            kept += decideBoth(sampler, traceId, byteString, i);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(kept).isPositive();
        // A single allocation per decision would be 16 MB or more; allow for the measurement's own noise.
        assertThat(allocated).isLessThan(64 * 1024);
    }

    private static int decideBoth(ConsistentSampler sampler, byte[] traceId, ByteString byteString, int i) {
        traceId[15] = (byte) i;
        traceId[9] = (byte) (i >>> 8);
        int kept = sampler.decide("", traceId).kept() ? 1 : 0;
        return kept + (sampler.decide("", byteString).kept() ? 1 : 0);
    }

    @Test
    void describesItself() {
        assertThat(QUARTER).hasToString("ConsistentSampler[th:c]");
        assertThat(ConsistentSampler.unknownProbability()).hasToString("ConsistentSampler[unknown probability]");
        assertThat(QUARTER.threshold()).contains(Threshold.parse("c"));
        assertThat(ConsistentSampler.withThreshold(Threshold.STRICTEST).threshold())
                .contains(Threshold.STRICTEST);
        assertThat(QUARTER.decide("", traceId(0xd0000000000000L)))
                .hasToString("ConsistentDecision[kept, randomness from TRACE_ID, th:c, tracestate changed]");
    }

    /** A trace id whose least significant 56 bits are {@code randomness}, with a non-zero high half. */
    static byte[] traceId(long randomness) {
        byte[] traceId = new byte[16];
        traceId[0] = 0x4b;
        for (int i = 15; i >= 9; i--) {
            traceId[i] = (byte) randomness;
            randomness >>>= 8;
        }
        return traceId;
    }
}
