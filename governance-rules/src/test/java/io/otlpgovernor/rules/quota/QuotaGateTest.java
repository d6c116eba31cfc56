package io.otlpgovernor.rules.quota;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.rules.quota.QuotaGate.Outcome;
import io.otlpgovernor.rules.quota.QuotaGate.Request;
import io.otlpgovernor.rules.quota.QuotaGate.Result;
import io.otlpgovernor.rules.quota.QuotaGate.Verdict;
import io.otlpgovernor.rules.quota.QuotaRules.OverQuota;
import io.otlpgovernor.rules.quota.QuotaRules.Unit;
import io.otlpgovernor.rules.sampling.ItemRandomness;
import io.otlpgovernor.rules.sampling.Threshold;
import io.otlpgovernor.rules.sampling.ThresholdFilter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuotaGateTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final long MILLISECOND = Duration.ofMillis(1).toNanos();
    private static final long DAY = Duration.ofDays(1).toNanos();
    /** A time in the middle of a second and of a UTC day. */
    private static final long T0 =
            Duration.ofDays(20_000).toNanos() + Duration.ofHours(3).toNanos() + 123_456_789L;

    private static QuotaRules rate(Unit unit, long perSecond, long burst, OverQuota overQuota) {
        return new QuotaRules(Optional.of(new QuotaRules.Rate(unit, perSecond, burst)), Optional.empty(), overQuota);
    }

    private static QuotaRules daily(Unit unit, long amount, OverQuota overQuota) {
        return new QuotaRules(Optional.empty(), Optional.of(new QuotaRules.Daily(unit, amount)), overQuota);
    }

    private static Request items(long items) {
        return new Request(items, items * 100, null);
    }

    private static Request sampled(char... randomness) {
        return new Request(randomness.length, randomness.length * 100L, randomness);
    }

    private static char[] random16(SplittableRandom random, int items) {
        char[] values = new char[items];
        for (int i = 0; i < items; i++) {
            values[i] = (char) random.nextInt(1 << 16);
        }
        return values;
    }

    /** {@code items} values spread evenly over 0 to 0xffff: value i is i × 65536 / items. */
    private static char[] spread(int items) {
        char[] values = new char[items];
        for (int i = 0; i < items; i++) {
            values[i] = (char) ((long) i * 65536 / items);
        }
        return values;
    }

    private static long countAtLeast(char[] values, long t16) {
        long count = 0;
        for (char value : values) {
            if (value >= t16) {
                count++;
            }
        }
        return count;
    }

    // --- No rules ---------------------------------------------------------------------------------------------

    @Test
    void withoutQuotaRulesEverythingIsAdmittedAndOnlyTheBookkeepingMoves() {
        QuotaState state = QuotaGate.start(QuotaRules.NONE, T0);
        for (int i = 0; i < 5; i++) {
            Result result = QuotaGate.decide(QuotaRules.NONE, state, sampled(spread(1000)), T0 + i * 400 * MILLISECOND);
            assertThat(result.verdict()).isEqualTo(new Verdict(Outcome.ADMIT, Threshold.ALWAYS, 1000, 0, 0, null));
            assertThat(result.state().threshold16()).isZero();
            assertThat(result.state().ledger().slotFrontiers())
                    .isEqualTo(state.ledger().slotFrontiers());
            state = result.state();
        }
        assertThat(state.offeredLastWindow() + state.offeredInWindow()).isPositive();
    }

    // --- Drop mode --------------------------------------------------------------------------------------------

    @Test
    void dropModeAdmitsWholeRequestsOrRefusesThemWholeAsTheLedgerDoes() {
        QuotaRules rules = rate(Unit.ITEMS, 100, 300, OverQuota.DROP);
        SplittableRandom random = new SplittableRandom(1);
        QuotaState state = QuotaGate.start(rules, T0);
        QuotaLedger ledger = QuotaLedger.start(rules, T0);
        long now = T0;
        for (int i = 0; i < 5_000; i++) {
            now += random.nextLong(50 * MILLISECOND);
            int n = random.nextInt(60);
            Result result = QuotaGate.decide(rules, state, new Request(n, 0, random16(random, n)), now);
            QuotaLedger.Take take = ledger.take(rules, n, now);

            boolean admitted = take.granted() == n;
            assertThat(result.verdict().outcome()).isEqualTo(admitted ? Outcome.ADMIT : Outcome.DROP);
            assertThat(result.verdict().admittedItems()).isEqualTo(admitted ? n : 0);
            assertThat(result.verdict().chargedUnits()).isEqualTo(admitted ? n : 0);
            assertThat(result.verdict().threshold()).isEqualTo(Threshold.ALWAYS);
            assertThat(result.verdict().reason()).isEqualTo(admitted ? null : "rate");
            assertThat(result.state().ledger()).isEqualTo(take.ledger());
            state = result.state();
            ledger = take.ledger();
        }
    }

    @Test
    void dropModeRefusesARequestTheDayCannotTakeWholeAndChargesNothingForIt() {
        QuotaRules rules = daily(Unit.ITEMS, 500, OverQuota.DROP);
        QuotaState state = QuotaGate.start(rules, T0);

        Result morning = QuotaGate.decide(rules, state, items(400), T0);
        Result noon = QuotaGate.decide(rules, morning.state(), items(400), T0 + 9 * 3600 * SECOND);
        Result afternoon = QuotaGate.decide(rules, noon.state(), items(100), T0 + 10 * 3600 * SECOND);
        Result nextDay = QuotaGate.decide(rules, afternoon.state(), items(400), T0 + 22 * 3600 * SECOND);

        assertThat(morning.verdict().outcome()).isEqualTo(Outcome.ADMIT);
        assertThat(noon.verdict()).isEqualTo(new Verdict(Outcome.DROP, Threshold.ALWAYS, 0, 400, 0, "daily"));
        assertThat(noon.state().ledger().usedToday()).isEqualTo(400);
        assertThat(afternoon.verdict().outcome()).isEqualTo(Outcome.ADMIT);
        assertThat(nextDay.verdict().outcome()).isEqualTo(Outcome.ADMIT);
        assertThat(nextDay.state().ledger().usedToday()).isEqualTo(400);
    }

    @Test
    void aRequestBothLimitsRefuseIsReportedAsDaily() {
        QuotaRules rules = new QuotaRules(
                Optional.of(new QuotaRules.Rate(Unit.ITEMS, 10, 10)),
                Optional.of(new QuotaRules.Daily(Unit.ITEMS, 15)),
                OverQuota.DROP);
        QuotaState state = QuotaGate.start(rules, T0);

        Result first = QuotaGate.decide(rules, state, items(10), T0);
        Result rateOnly = QuotaGate.decide(rules, first.state(), items(5), T0);
        Result both = QuotaGate.decide(rules, first.state(), items(20), T0);

        assertThat(rateOnly.verdict().reason()).isEqualTo("rate");
        assertThat(both.verdict().reason()).isEqualTo("daily");
    }

    @Test
    void dropModeCountsBytesWhenTheRuleSaysBytes() {
        QuotaRules rules = rate(Unit.BYTES, 1_000, 1_000, OverQuota.DROP);
        QuotaState state = QuotaGate.start(rules, T0);

        Result small = QuotaGate.decide(rules, state, new Request(50, 600, null), T0);
        Result large = QuotaGate.decide(rules, small.state(), new Request(1, 500, null), T0);

        assertThat(small.verdict().chargedUnits()).isEqualTo(600);
        assertThat(large.verdict().outcome()).isEqualTo(Outcome.DROP);
    }

    @Test
    void dropModeNeverSamplesEvenWithRandomness() {
        QuotaRules rules = rate(Unit.ITEMS, 10, 10, OverQuota.DROP);

        Result result = QuotaGate.decide(rules, QuotaGate.start(rules, T0), sampled(spread(20)), T0);

        assertThat(result.verdict().outcome()).isEqualTo(Outcome.DROP);
        assertThat(result.state().threshold16()).isZero();
    }

    // --- Downsample mode: single decisions --------------------------------------------------------------------

    @Test
    void aRequestThatDoesNotFitIsSampledAtTheSmallestThresholdWhoseItemsFit() {
        QuotaRules rules = rate(Unit.ITEMS, 100, 100, OverQuota.DOWNSAMPLE);
        char[] randomness = new char[200];
        for (int i = 0; i < 200; i++) {
            randomness[i] = (char) (i * 300);
        }

        Result result = QuotaGate.decide(rules, QuotaGate.start(rules, T0), sampled(randomness), T0);

        // The 100 largest values are 100 × 300 and up: the threshold is one above the largest that must go.
        int t16 = 99 * 300 + 1;
        assertThat(result.verdict())
                .isEqualTo(new Verdict(Outcome.SAMPLE, new Threshold((long) t16 << 40), 100, 100, 100, "rate"));
        assertThat(result.state().threshold16()).isEqualTo(t16);
        assertThat(result.state().ledger().rateUnitsAvailable(rules)).isZero();
    }

    @Test
    void withinAWindowTheThresholdAppliesToEveryRequestAndOnlyRises() {
        QuotaRules rules = rate(Unit.ITEMS, 1_000, 1_000, OverQuota.DOWNSAMPLE);
        QuotaState state = QuotaGate.start(rules, T0);
        Result drained = QuotaGate.decide(rules, state, sampled(spread(1_000)), T0);
        Result raised = QuotaGate.decide(rules, drained.state(), sampled(spread(100)), T0 + 10 * MILLISECOND);
        Result small = QuotaGate.decide(rules, raised.state(), sampled(spread(10)), T0 + 20 * MILLISECOND);

        assertThat(drained.verdict().outcome()).isEqualTo(Outcome.ADMIT);
        // 10 ms refilled 10 items: 10 of 100 evenly spread values fit, from 0xe666 up.
        assertThat(raised.verdict().outcome()).isEqualTo(Outcome.SAMPLE);
        assertThat(raised.verdict().admittedItems()).isEqualTo(10);
        int t16 = raised.state().threshold16();
        assertThat(t16).isEqualTo(89 * 65536 / 100 + 1);
        // Ten more items would fit the refilled bucket whole, but the window's threshold stays.
        assertThat(small.verdict().outcome()).isEqualTo(Outcome.SAMPLE);
        assertThat(small.verdict().threshold()).isEqualTo(new Threshold((long) t16 << 40));
        assertThat(small.verdict().admittedItems())
                .isEqualTo(countAtLeast(spread(10), t16))
                .isEqualTo(1);
        assertThat(small.state().threshold16()).isEqualTo(t16);
    }

    @Test
    void aRequestNothingOfWhichFitsIsDroppedWholeWithoutMovingTheThreshold() {
        QuotaRules rules = rate(Unit.ITEMS, 100, 100, OverQuota.DOWNSAMPLE);
        Result drained = QuotaGate.decide(rules, QuotaGate.start(rules, T0), sampled(spread(100)), T0);
        char[] strictest = new char[5];
        Arrays.fill(strictest, (char) 0xffff);

        Result empty = QuotaGate.decide(rules, drained.state(), sampled(spread(50)), T0);
        Result refilled = QuotaGate.decide(rules, drained.state(), sampled(strictest), T0 + 20 * MILLISECOND);

        assertThat(empty.verdict()).isEqualTo(new Verdict(Outcome.DROP, Threshold.ALWAYS, 0, 50, 0, "rate"));
        assertThat(empty.state().threshold16()).isEqualTo(drained.state().threshold16());
        // Two items fit, but five share the strictest value: no threshold keeps two or fewer of them.
        assertThat(refilled.verdict().outcome()).isEqualTo(Outcome.DROP);
        assertThat(refilled.state().threshold16()).isEqualTo(drained.state().threshold16());
    }

    @Test
    void metricDataPointsAreNeverSampledButAdmittedWholeOrDroppedWhole() {
        QuotaRules rules = rate(Unit.ITEMS, 100, 100, OverQuota.DOWNSAMPLE);
        Result sampling = QuotaGate.decide(rules, QuotaGate.start(rules, T0), sampled(spread(150)), T0);
        Result later = QuotaGate.decide(rules, sampling.state(), items(150), T0 + 500 * MILLISECOND);
        Result fits = QuotaGate.decide(rules, sampling.state(), items(40), T0 + 500 * MILLISECOND);

        assertThat(sampling.verdict().outcome()).isEqualTo(Outcome.SAMPLE);
        assertThat(later.verdict()).isEqualTo(new Verdict(Outcome.DROP, Threshold.ALWAYS, 0, 150, 0, "rate"));
        assertThat(fits.verdict()).isEqualTo(new Verdict(Outcome.ADMIT, Threshold.ALWAYS, 40, 0, 40, null));
        assertThat(fits.state().threshold16()).isEqualTo(sampling.state().threshold16());
        assertThat(fits.state().offeredInWindow()).isEqualTo(190);
    }

    @Test
    void bytesAreChargedAsTheKeptItemsShareRoundedUp() {
        QuotaRules rules = rate(Unit.BYTES, 10_000, 10_000, OverQuota.DOWNSAMPLE);
        char[] randomness = spread(100);

        Result result = QuotaGate.decide(rules, QuotaGate.start(rules, T0), new Request(100, 30_001, randomness), T0);

        // 33 items cost ceil(30,001 × 33 / 100) = 9,901 bytes; 34 would cost 10,201.
        assertThat(result.verdict().outcome()).isEqualTo(Outcome.SAMPLE);
        assertThat(result.verdict().admittedItems()).isEqualTo(33);
        assertThat(result.verdict().chargedUnits()).isEqualTo(9_901);
        assertThat(result.state().ledger().rateUnitsAvailable(rules)).isEqualTo(99);
    }

    @Test
    void theDailyLimitIsNeverExceededInDownsampleModeAndResetsTheNextDay() {
        QuotaRules rules = daily(Unit.ITEMS, 1_000, OverQuota.DOWNSAMPLE);
        SplittableRandom random = new SplittableRandom(5);
        QuotaState state = QuotaGate.start(rules, T0);
        long admitted = 0;
        boolean sawSample = false;
        for (int i = 0; i < 20; i++) {
            Result result = QuotaGate.decide(rules, state, sampled(random16(random, 300)), T0 + i * 100 * MILLISECOND);
            admitted += result.verdict().admittedItems();
            if (result.verdict().outcome() == Outcome.SAMPLE) {
                sawSample = true;
                assertThat(result.verdict().reason()).isEqualTo("daily");
            }
            if (result.verdict().outcome() == Outcome.DROP) {
                assertThat(result.verdict().reason()).isEqualTo("daily");
            }
            state = result.state();
        }
        Result tomorrow = QuotaGate.decide(rules, state, sampled(random16(random, 300)), T0 + DAY);

        assertThat(sawSample).isTrue();
        assertThat(admitted).isBetween(990L, 1_000L);
        assertThat(state.ledger().usedToday()).isEqualTo(admitted);
        assertThat(tomorrow.verdict().outcome()).isEqualTo(Outcome.ADMIT);
        assertThat(tomorrow.state().threshold16()).isZero();
    }

    @Test
    void aLateRequestSpendsTheTokensOfItsOwnTimeButBelongsToTheCurrentWindow() {
        QuotaRules rules = rate(Unit.ITEMS, 100, 100, OverQuota.DOWNSAMPLE);
        Result drained = QuotaGate.decide(rules, QuotaGate.start(rules, T0), sampled(spread(100)), T0 + 2 * SECOND);

        // Another partition, read behind: its request arrived 7 s earlier, when nothing had been spent.
        Result late = QuotaGate.decide(rules, drained.state(), sampled(spread(10)), T0 - 5 * SECOND);
        Result now = QuotaGate.decide(rules, late.state(), sampled(spread(10)), T0 + 2 * SECOND);

        assertThat(drained.verdict().outcome()).isEqualTo(Outcome.ADMIT);
        assertThat(late.verdict().outcome()).isEqualTo(Outcome.ADMIT);
        assertThat(late.state().windowStartNanos()).isEqualTo(drained.state().windowStartNanos());
        assertThat(late.state().offeredInWindow()).isEqualTo(110);
        assertThat(late.state().ledger().newestNanos()).isEqualTo(T0 + 2 * SECOND);
        // The late request took nothing from the newest time's bucket, which is still empty.
        assertThat(now.verdict().outcome()).isEqualTo(Outcome.DROP);
    }

    @Test
    void rejectsRequestsWhoseRandomnessDoesNotMatchTheirItems() {
        assertThatThrownBy(() -> new Request(3, 10, new char[2])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Request(-1, 10, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QuotaState(QuotaLedger.start(QuotaRules.NONE, T0), 0x10000, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chargesExactlyWhatTheFilterThenKeeps() {
        QuotaRules rules = rate(Unit.ITEMS, 10, 10, OverQuota.DOWNSAMPLE);
        SplittableRandom random = new SplittableRandom(3);
        ExportTraceServiceRequest.Builder builder = OtlpFixtures.spans("gate", 40).toBuilder();
        for (Span.Builder span :
                builder.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilderList()) {
            byte[] traceId = new byte[16];
            for (int i = 0; i < 16; i++) {
                traceId[i] = (byte) random.nextInt(256);
            }
            span.setTraceId(ByteString.copyFrom(traceId));
        }
        ExportTraceServiceRequest spans = builder.build();

        Result result = QuotaGate.decide(
                rules,
                QuotaGate.start(rules, T0),
                new Request(40, spans.getSerializedSize(), ItemRandomness.spans(spans)),
                T0);
        ThresholdFilter.Filtered<ExportTraceServiceRequest> filtered =
                ThresholdFilter.spans(spans, result.verdict().threshold());

        assertThat(result.verdict().outcome()).isEqualTo(Outcome.SAMPLE);
        assertThat(filtered.kept()).isEqualTo(result.verdict().admittedItems()).isBetween(1L, 10L);
        assertThat(filtered.dropped()).isEqualTo(result.verdict().droppedItems());
    }

    // --- Downsample mode: the window estimate ----------------------------------------------------------------

    /**
     * A ledger at T0 whose bucket holds {@code units}: one fewer when the rate does not divide its burst × 10^9
     * (the burst's duration is rounded down to the nanosecond).
     */
    private static QuotaLedger holding(QuotaRules rules, long units) {
        QuotaLedger full = QuotaLedger.start(rules, T0);
        long spend = Math.min(rules.rate().get().burst() - units, full.rateUnitsAvailable(rules));
        QuotaLedger ledger = full.charge(rules, spend, 0, T0);
        assertThat(ledger.rateUnitsAvailable(rules)).isBetween(Math.max(0, units - 1), units);
        return ledger;
    }

    @Test
    void theWindowEstimatePicksTheLaxOrStrictStepByTheBucketAndHoldsItNearTheLoad() {
        QuotaRules rules = rate(Unit.ITEMS, 1_000, 1_000, OverQuota.DOWNSAMPLE);
        QuotaLedger full = holding(rules, 1_000);
        QuotaLedger half = holding(rules, 500);
        QuotaLedger empty = holding(rules, 0);

        int lax = QuotaGate.windowThreshold(rules, full, 0xf000, 3_000);
        int strict = QuotaGate.windowThreshold(rules, empty, 0xf000, 3_000);

        // A third fits: the steps around it keep 22,188 and 21,248 of 65,536 values (21,845 would be exact).
        assertThat(65_536 - lax).isEqualTo(22_188);
        assertThat(65_536 - strict).isEqualTo(21_248);
        // Near the load, it stays put while the bucket is in its middle half, whatever the wobble.
        assertThat(QuotaGate.windowThreshold(rules, half, lax, 3_100)).isEqualTo(lax);
        assertThat(QuotaGate.windowThreshold(rules, half, strict, 2_900)).isEqualTo(strict);
        // Near an edge of the bucket, it moves one step.
        assertThat(QuotaGate.windowThreshold(rules, empty, lax, 3_000)).isEqualTo(strict);
        assertThat(QuotaGate.windowThreshold(rules, full, strict, 3_000)).isEqualTo(lax);
        assertThat(QuotaGate.windowThreshold(rules, empty, strict, 3_000)).isEqualTo(strict);
        // A load that fits keeps everything; drop mode never samples.
        assertThat(QuotaGate.windowThreshold(rules, empty, strict, 1_000)).isZero();
        assertThat(QuotaGate.windowThreshold(rate(Unit.ITEMS, 1_000, 1_000, OverQuota.DROP), empty, 0, 3_000))
                .isZero();
        // A huge overload reaches the strictest step without overflow.
        assertThat(QuotaGate.windowThreshold(rate(Unit.BYTES, 1, 1, OverQuota.DOWNSAMPLE), empty, 0, Long.MAX_VALUE))
                .isEqualTo(0xffff);
    }

    @Test
    void theWindowEstimateHandlesTheEndsOfItsScale() {
        QuotaRules rules = rate(Unit.ITEMS, 1_000, 1_000, OverQuota.DOWNSAMPLE);
        QuotaLedger empty = holding(rules, 0);
        QuotaLedger full = holding(rules, 1_000);

        // 2 % over the rate: between keeping everything and the first step. A threshold raised within the
        // window (not on the scale) is replaced.
        assertThat(QuotaGate.windowThreshold(rules, full, 0x1234, 1_020)).isZero();
        assertThat(65_536 - QuotaGate.windowThreshold(rules, empty, 0x1234, 1_020))
                .isEqualTo(62_757);
        assertThat(QuotaGate.windowThreshold(rules, full, 65_536 - 62_757, 1_020))
                .isZero();
        // Beyond the strictest step there is nowhere stricter to go.
        assertThat(QuotaGate.windowThreshold(rules, empty, 0xffff, 1_000L << 20))
                .isEqualTo(0xffff);
    }

    @Test
    void theWindowEstimateIsAlwaysAThresholdWhateverItIsGiven() {
        SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < 100_000; i++) {
            long perSecond = 1 + random.nextLong(10_000);
            long burst = perSecond + random.nextLong(perSecond);
            QuotaRules rules = rate(Unit.ITEMS, perSecond, burst, OverQuota.DOWNSAMPLE);
            QuotaLedger ledger = holding(rules, random.nextLong(burst + 1));
            int current = random.nextBoolean() ? random.nextInt(1 << 16) : 0;
            long offered = random.nextBoolean()
                    ? perSecond + random.nextLong(perSecond / 10 + 1)
                    : random.nextLong(perSecond * 70_000);

            int threshold = QuotaGate.windowThreshold(rules, ledger, current, offered);

            assertThat(threshold).isBetween(0, 0xffff);
            if (offered <= perSecond) {
                assertThat(threshold).isZero();
            }
        }
    }

    @Test
    void aSteadyThreefoldOverloadIsHeldAtTheRateWithASettledThreshold() {
        for (long seed = 1; seed <= 5; seed++) {
            QuotaRules rules = rate(Unit.ITEMS, 1_000, 1_000, OverQuota.DOWNSAMPLE);
            SplittableRandom random = new SplittableRandom(seed);
            QuotaState state = QuotaGate.start(rules, T0);
            long admitted = 0;
            int lateChanges = 0;
            int previous = 0;
            // 30 items every 10 ms: 3,000 items/s against 1,000/s for 60 s.
            for (long ms = 0; ms < 60_000; ms += 10) {
                Result result = QuotaGate.decide(rules, state, sampled(random16(random, 30)), T0 + ms * MILLISECOND);
                admitted += result.verdict().admittedItems();
                state = result.state();
                if (state.threshold16() != previous) {
                    previous = state.threshold16();
                    if (ms >= 5_000) {
                        lateChanges++;
                    }
                }
            }
            assertThat((double) admitted).as("seed %d", seed).isBetween(61_000 * 0.98, 61_000 * 1.02);
            assertThat(lateChanges).as("seed %d", seed).isLessThanOrEqualTo(5);
            assertThat((double) (65_536 - state.threshold16()) / 65_536).isBetween(0.30, 0.36);
        }
    }

    @Test
    void theThresholdRelaxesOneWindowAfterTheLoadDrops() {
        QuotaRules rules = rate(Unit.ITEMS, 1_000, 1_000, OverQuota.DOWNSAMPLE);
        SplittableRandom random = new SplittableRandom(9);
        QuotaState state = QuotaGate.start(rules, T0);
        long ms = 0;
        for (; ms < 10_000; ms += 10) {
            state = QuotaGate.decide(rules, state, sampled(random16(random, 30)), T0 + ms * MILLISECOND)
                    .state();
        }
        assertThat(state.threshold16()).isPositive();
        // Now 500 items/s: the next full window sees a load that fits.
        for (; ms < 12_000; ms += 10) {
            state = QuotaGate.decide(rules, state, sampled(random16(random, 5)), T0 + ms * MILLISECOND)
                    .state();
        }
        for (; ms < 15_000; ms += 10) {
            Result result = QuotaGate.decide(rules, state, sampled(random16(random, 5)), T0 + ms * MILLISECOND);
            assertThat(result.verdict().outcome()).isEqualTo(Outcome.ADMIT);
            state = result.state();
        }
        assertThat(state.threshold16()).isZero();
    }

    // --- Downsample mode: the property ------------------------------------------------------------------------

    @Test
    void downsamplingNeverLetsMoreThroughThanTheLedgerHolds() {
        SplittableRandom random = new SplittableRandom(2024);
        int[] outcomes = new int[Outcome.values().length];
        for (int ruleSet = 0; ruleSet < 200; ruleSet++) {
            Unit rateUnit = random.nextBoolean() ? Unit.ITEMS : Unit.BYTES;
            Unit dailyUnit = random.nextBoolean() ? Unit.ITEMS : Unit.BYTES;
            long perSecond = 1 + random.nextLong(rateUnit == Unit.ITEMS ? 2_000 : 200_000);
            long burst = perSecond + random.nextLong(3 * perSecond);
            boolean hasRate = random.nextInt(5) > 0;
            boolean hasDaily = !hasRate || random.nextBoolean();
            long dailyAmount = 1 + random.nextLong(dailyUnit == Unit.ITEMS ? 50_000 : 5_000_000);
            QuotaRules rules = new QuotaRules(
                    hasRate ? Optional.of(new QuotaRules.Rate(rateUnit, perSecond, burst)) : Optional.empty(),
                    hasDaily ? Optional.of(new QuotaRules.Daily(dailyUnit, dailyAmount)) : Optional.empty(),
                    OverQuota.DOWNSAMPLE);
            checkNeverExceeds(rules, random, 500, outcomes);
        }
        // The random rules and loads reach every outcome often.
        for (Outcome outcome : Outcome.values()) {
            assertThat(outcomes[outcome.ordinal()]).as("%s", outcome).isGreaterThan(5_000);
        }
    }

    private static void checkNeverExceeds(QuotaRules rules, SplittableRandom random, int steps, int[] outcomes) {
        long start = T0 + random.nextLong(DAY);
        QuotaState state = QuotaGate.start(rules, start);
        long latest = start;
        long earliest = start;
        long rateCharged = 0;
        long day = Math.floorDiv(start, DAY);
        long dailyCharged = 0;
        for (int step = 0; step < steps; step++) {
            int move = random.nextInt(20);
            long now = move == 0
                    ? latest - random.nextLong(2 * SECOND) // late
                    : move == 1
                            ? latest + random.nextLong(3 * SECOND) // a gap
                            : move == 2
                                    ? latest + random.nextLong(DAY / 4) // hours later
                                    : latest + random.nextLong(100 * MILLISECOND);
            latest = Math.max(latest, now);
            // Where the ledger places the request: its own time, or the late horizon's edge.
            earliest = Math.min(earliest, Math.max(now, latest - QuotaLedger.LATE_HORIZON_NANOS));
            int items = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(300);
            long bytes = random.nextInt(10) == 0 ? 0 : random.nextLong(1 + items * 1_000L);
            char[] randomness = switch (random.nextInt(6)) {
                case 0 -> null;
                case 1 -> {
                    char[] same = new char[items];
                    Arrays.fill(same, (char) random.nextInt(1 << 16));
                    yield same;
                }
                default -> random16(random, items);
            };
            Request request = new Request(items, bytes, randomness);

            QuotaLedger before = state.ledger().advance(rules, now);
            Result result = QuotaGate.decide(rules, state, request, now);
            Verdict verdict = result.verdict();

            long kept = verdict.admittedItems();
            outcomes[verdict.outcome().ordinal()]++;
            assertThat(kept + verdict.droppedItems()).isEqualTo(items);
            switch (verdict.outcome()) {
                case ADMIT -> {
                    assertThat(kept).isEqualTo(items);
                    assertThat(verdict.threshold()).isEqualTo(Threshold.ALWAYS);
                }
                case SAMPLE -> {
                    assertThat(randomness).isNotNull();
                    long t16 = verdict.threshold().value() >>> 40;
                    assertThat(verdict.threshold().value() & ((1L << 40) - 1)).isZero();
                    assertThat(t16).isPositive();
                    assertThat(kept).isEqualTo(countAtLeast(randomness, t16));
                    assertThat(result.state().threshold16()).isEqualTo((int) t16);
                }
                case DROP -> {
                    assertThat(kept).isZero();
                    assertThat(verdict.chargedUnits()).isZero();
                    assertThat(verdict.reason()).isIn("rate", "daily");
                }
            }
            long rateUnits =
                    rules.rate().map(r -> cost(r.unit(), kept, request)).orElse(0L);
            long dailyUnits =
                    rules.dailyLimit().map(d -> cost(d.unit(), kept, request)).orElse(0L);
            assertThat(rateUnits).isLessThanOrEqualTo(before.rateUnitsAvailable(rules, now));
            assertThat(dailyUnits).isLessThanOrEqualTo(before.dailyUnitsAvailable(rules));
            assertThat(verdict.chargedUnits()).isEqualTo(rules.rate().isPresent() ? rateUnits : dailyUnits);

            // Independently of the ledger: over the arrival times seen, at most burst + rate × time passes.
            rateCharged += rateUnits;
            if (rules.rate().isPresent()) {
                QuotaRules.Rate rate = rules.rate().get();
                long allowance =
                        rate.burst() + QuotaGate.multiplyDivide(rate.perSecond(), latest - earliest, SECOND, false);
                assertThat(rateCharged).isLessThanOrEqualTo(allowance);
            }
            if (Math.floorDiv(latest, DAY) != day) {
                day = Math.floorDiv(latest, DAY);
                dailyCharged = 0;
            }
            dailyCharged += dailyUnits;
            if (rules.dailyLimit().isPresent()) {
                assertThat(dailyCharged)
                        .isLessThanOrEqualTo(rules.dailyLimit().get().amount());
            }
            state = result.state();
        }
    }

    private static long cost(Unit unit, long kept, Request request) {
        if (unit == Unit.ITEMS) {
            return kept;
        }
        return kept == request.items()
                ? request.bytes()
                : QuotaGate.multiplyDivide(request.bytes(), kept, request.items(), true);
    }
}
