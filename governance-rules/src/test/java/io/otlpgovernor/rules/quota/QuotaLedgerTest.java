package io.otlpgovernor.rules.quota;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaLedgerTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final long MILLISECOND = Duration.ofMillis(1).toNanos();
    private static final long T0 =
            Duration.ofDays(20_000).toNanos() + Duration.ofHours(3).toNanos();

    private static QuotaRules rate(long perSecond, long burst) {
        return new QuotaRules(
                Optional.of(new QuotaRules.Rate(QuotaRules.Unit.ITEMS, perSecond, burst)),
                Optional.empty(),
                QuotaRules.OverQuota.DROP);
    }

    @Test
    void startsWithAFullBurstAndRefusesWhatDoesNotFit() {
        QuotaRules rules = rate(100, 300);
        QuotaLedger ledger = QuotaLedger.start(rules, T0);

        QuotaLedger.Take first = ledger.take(rules, 250, T0);
        QuotaLedger.Take second = first.ledger().take(rules, 100, T0);

        assertThat(first.granted()).isEqualTo(250);
        assertThat(second.granted()).isZero();
        assertThat(second.reason()).isEqualTo("rate");
    }

    @Test
    void holdsTheConfiguredRateExactlyOverAMinuteOfSteadyOverload() {
        QuotaRules rules = rate(1000, 1000);
        QuotaLedger ledger = QuotaLedger.start(rules, T0);
        long granted = 0;
        // 60 seconds of requests of 7 items every millisecond: 7,000 items/s offered, 1,000/s allowed.
        for (long ms = 1; ms <= 60_000; ms++) {
            QuotaLedger.Take take = ledger.take(rules, 7, T0 + ms * 1_000_000L);
            granted += take.granted();
            ledger = take.ledger();
        }
        // Everything granted is the initial burst plus exactly the refill; requests are whole, so at most one short.
        assertThat(granted).isBetween(1000L + 60_000L - 7, 1000L + 60_000L);
    }

    @Test
    void theDailyLimitGrantsWhatIsLeftAndResetsAtUtcMidnight() {
        QuotaRules rules = new QuotaRules(
                Optional.empty(),
                Optional.of(new QuotaRules.Daily(QuotaRules.Unit.ITEMS, 500)),
                QuotaRules.OverQuota.DROP);
        QuotaLedger ledger = QuotaLedger.start(rules, T0);

        QuotaLedger.Take morning = ledger.take(rules, 400, T0);
        QuotaLedger.Take noon = morning.ledger().take(rules, 400, T0 + 9 * 3600 * SECOND);
        QuotaLedger.Take nextDay = noon.ledger().take(rules, 400, T0 + 22 * 3600 * SECOND);

        assertThat(morning.granted()).isEqualTo(400);
        assertThat(noon.granted()).isEqualTo(100);
        assertThat(noon.reason()).isEqualTo("daily");
        assertThat(nextDay.granted()).isEqualTo(400);
    }

    @Test
    void aLateRequestSpendsTheTokensOfItsOwnTime() {
        QuotaRules rules = rate(100, 100);
        QuotaLedger.Take spent = QuotaLedger.start(rules, T0).take(rules, 100, T0);

        // 10 s earlier, nothing had been spent: the late request finds the tokens of its own second.
        QuotaLedger.Take earlier = spent.ledger().take(rules, 60, T0 - 10 * SECOND);
        QuotaLedger.Take again = earlier.ledger().take(rules, 60, T0 - 10 * SECOND);
        QuotaLedger.Take now = again.ledger().take(rules, 1, T0);

        assertThat(earlier.granted()).isEqualTo(60);
        assertThat(again.granted()).isZero();
        assertThat(again.reason()).isEqualTo("rate");
        assertThat(now.granted()).isZero();
        assertThat(now.ledger().newestNanos()).isEqualTo(T0);
    }

    @Test
    void aRequestOlderThanTheHorizonArrivesAtItsEdge() {
        QuotaRules rules = rate(100, 100);
        QuotaLedger ledger =
                QuotaLedger.start(rules, T0).take(rules, 100, T0 + 100 * SECOND).ledger();

        // 100 s behind the newest: placed 60 s behind it, where nothing has been spent.
        QuotaLedger.Take veryLate = ledger.take(rules, 100, T0);
        // Also placed at the edge, whose tokens the previous request took.
        QuotaLedger.Take alsoLate = veryLate.ledger().take(rules, 1, T0 + 20 * SECOND);
        // Within the horizon: its own time.
        QuotaLedger.Take withinHorizon = alsoLate.ledger().take(rules, 100, T0 + 50 * SECOND);

        assertThat(QuotaLedger.LATE_HORIZON_NANOS).isEqualTo(60 * SECOND);
        assertThat(veryLate.granted()).isEqualTo(100);
        assertThat(alsoLate.granted()).isZero();
        assertThat(withinHorizon.granted()).isEqualTo(100);
    }

    @Test
    void aLateRequestFromYesterdayDoesNotResetTodaysCounter() {
        QuotaRules rules = new QuotaRules(
                Optional.empty(),
                Optional.of(new QuotaRules.Daily(QuotaRules.Unit.ITEMS, 500)),
                QuotaRules.OverQuota.DROP);
        QuotaLedger.Take today = QuotaLedger.start(rules, T0).take(rules, 400, T0);

        QuotaLedger.Take late = today.ledger().take(rules, 400, T0 - 4 * 3600 * SECOND);
        QuotaLedger.Take after = late.ledger().take(rules, 400, T0 + SECOND);

        assertThat(late.granted()).isEqualTo(100);
        assertThat(late.reason()).isEqualTo("daily");
        assertThat(after.granted()).isZero();
    }

    @Test
    void survivesAbsurdRatesWithoutOverflow() {
        QuotaRules rules = rate(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4);
        QuotaLedger.Take take = QuotaLedger.start(rules, T0).take(rules, 1_000_000, T0 + 1000 * SECOND);

        assertThat(take.granted()).isEqualTo(1_000_000);
    }

    // --- Out of order --------------------------------------------------------------------------------------

    /** The token bucket this ledger replaced, in billionths of a unit: the reference for arrival order. */
    private static final class TokenBucket {
        private final QuotaRules.Rate rate;
        private long tokensNano;
        private long refilledAt;

        TokenBucket(QuotaRules.Rate rate, long now) {
            this.rate = rate;
            this.tokensNano = rate.burst() * SECOND;
            this.refilledAt = now;
        }

        long take(long amount, long now) {
            if (now > refilledAt) {
                tokensNano = Math.min(rate.burst() * SECOND, tokensNano + (now - refilledAt) * rate.perSecond());
                refilledAt = now;
            }
            if (amount * SECOND > tokensNano) {
                return 0;
            }
            tokensNano -= amount * SECOND;
            return amount;
        }
    }

    private record Arrival(long nanos, long amount) {}

    /** The catch-up of the design notes: two partitions of one tenant, read ten seconds out of step. */
    private static List<Arrival> catchUp() {
        List<Arrival> arrivals = new ArrayList<>();
        // Partition 0: 500 items once a second, seconds 1 to 10; read first.
        for (int s = 1; s <= 10; s++) {
            arrivals.add(new Arrival(T0 + s * SECOND + 300 * MILLISECOND, 500));
        }
        // Partition 1: 500 items every 100 ms over the same seconds; read afterwards.
        for (int tenth = 10; tenth < 110; tenth++) {
            arrivals.add(new Arrival(T0 + tenth * 100 * MILLISECOND, 500));
        }
        return arrivals;
    }

    @Test
    void aCatchUpReadingPartitionsOutOfStepGetsWhatArrivalOrderWouldHaveGiven() {
        QuotaRules rules = rate(1000, 1000);
        List<Arrival> arrivals = catchUp();
        QuotaLedger ledger = QuotaLedger.start(rules, arrivals.get(0).nanos());
        TokenBucket bucket = new TokenBucket(rules.rate().get(), arrivals.get(0).nanos());
        long granted = 0;
        long bucketGranted = 0;
        for (Arrival arrival : arrivals) {
            QuotaLedger.Take take = ledger.take(rules, arrival.amount(), arrival.nanos());
            granted += take.granted();
            ledger = take.ledger();
            bucketGranted += bucket.take(arrival.amount(), arrival.nanos());
        }
        List<Arrival> inOrder = new ArrayList<>(arrivals);
        inOrder.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
        QuotaLedger ordered = QuotaLedger.start(rules, inOrder.get(0).nanos());
        long orderedGranted = 0;
        for (Arrival arrival : inOrder) {
            QuotaLedger.Take take = ordered.take(rules, arrival.amount(), arrival.nanos());
            orderedGranted += take.granted();
            ordered = take.ledger();
        }

        // Arrivals span 9.9 s: burst + 9.9 s × rate = 10,900, in requests of 500. A token bucket advanced in
        // reading order treats partition 1's records as arriving at second 10 and grants about half of it.
        assertThat(bucketGranted).isLessThanOrEqualTo(6_000);
        assertThat(orderedGranted).isEqualTo(10_500);
        assertThat(granted).isEqualTo(orderedGranted);
    }

    @Test
    void inArrivalOrderItIsTheTokenBucket() {
        SplittableRandom random = new SplittableRandom(11);
        for (int ruleSet = 0; ruleSet < 100; ruleSet++) {
            // Rates that divide 10^9, so that the token bucket's billionths and the ledger's nanoseconds agree.
            long perSecond = (1L << random.nextInt(8)) * (long) Math.pow(5, random.nextInt(6));
            long burst = perSecond + random.nextLong(perSecond * (random.nextInt(10) == 0 ? 100 : 3));
            QuotaRules rules = rate(perSecond, burst);
            long now = T0 + random.nextLong(SECOND);
            QuotaLedger ledger = QuotaLedger.start(rules, now);
            TokenBucket bucket = new TokenBucket(rules.rate().get(), now);
            for (int step = 0; step < 2_000; step++) {
                int move = random.nextInt(50);
                now += move == 0 ? random.nextLong(200 * SECOND) : move < 10 ? 0 : random.nextLong(SECOND / 5);
                long amount = random.nextLong(1 + perSecond / (random.nextBoolean() ? 10 : 2));
                QuotaLedger.Take take = ledger.take(rules, amount, now);

                assertThat(take.granted())
                        .as("rule set %d, step %d", ruleSet, step)
                        .isEqualTo(bucket.take(amount, now));
                ledger = take.ledger();
            }
        }
    }

    @Test
    void neverGrantsMoreThanTheRateAndBurstOverAnyStretchOfArrivalTimeWhateverTheOrder() {
        SplittableRandom random = new SplittableRandom(12);
        long grantedTotal = 0;
        long refusedTotal = 0;
        for (int ruleSet = 0; ruleSet < 30; ruleSet++) {
            long perSecond = 1 + random.nextLong(5_000);
            long burst = perSecond + random.nextLong(perSecond * (random.nextInt(5) == 0 ? 90 : 3));
            QuotaRules rules = rate(perSecond, burst);
            int partitions = 1 + random.nextInt(4);
            long[] clocks = new long[partitions];
            Arrays.fill(clocks, T0 + random.nextLong(SECOND));
            QuotaLedger ledger = QuotaLedger.start(rules, clocks[0]);
            long newest = clocks[0];
            List<Arrival> granted = new ArrayList<>();
            for (int step = 0; step < 3_000; step++) {
                // Each partition's records are in order; the partition read next is random, and some are read far
                // ahead of the others.
                int partition = random.nextInt(partitions);
                int move = random.nextInt(100);
                clocks[partition] += move == 0
                        ? random.nextLong(90 * SECOND)
                        : move < 5 ? random.nextLong(5 * SECOND) : random.nextLong(SECOND / 10);
                long now = move == 1 ? clocks[partition] - random.nextLong(120 * SECOND) : clocks[partition];
                long amount = 1 + random.nextLong(1 + perSecond / (random.nextBoolean() ? 10 : 2));

                QuotaLedger.Take take = ledger.take(rules, amount, now);

                // Where the request is placed: its own time, or the horizon's edge.
                newest = Math.max(newest, now);
                long arrival = Math.max(now, newest - QuotaLedger.LATE_HORIZON_NANOS);
                assertThat(take.granted()).isIn(0L, amount);
                if (take.granted() > 0) {
                    granted.add(new Arrival(arrival, take.granted()));
                    grantedTotal += take.granted();
                } else {
                    refusedTotal += amount;
                }
                ledger = take.ledger();
            }
            assertWithinRateAndBurst(rules.rate().get(), granted);
        }
        // The loads reach both sides of the limit.
        assertThat(grantedTotal).isPositive();
        assertThat(refusedTotal).isPositive();
    }

    /** Every stretch [a, b] of arrival time: granted ≤ perSecond × (b − a) + burst. */
    private static void assertWithinRateAndBurst(QuotaRules.Rate rate, List<Arrival> granted) {
        List<Arrival> sorted = new ArrayList<>(granted);
        sorted.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
        int n = sorted.size();
        long[] prefix = new long[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + sorted.get(i).amount();
        }
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                long units = prefix[j + 1] - prefix[i];
                long span = sorted.get(j).nanos() - sorted.get(i).nanos();
                // units ≤ perSecond × span / 10^9 + burst, in billionths to stay exact.
                if (units * SECOND > rate.perSecond() * span + rate.burst() * SECOND) {
                    throw new AssertionError(units + " units granted over " + span + " ns at " + rate);
                }
            }
        }
    }

    @Test
    void theSameInputsInTheSameOrderGiveTheSameStatesAndDecisions() {
        QuotaRules rules = rate(1000, 2500);
        List<Arrival> arrivals = new ArrayList<>(catchUp());
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 2_000; i++) {
            arrivals.add(new Arrival(T0 + random.nextLong(100 * SECOND), 1 + random.nextInt(400)));
        }
        QuotaLedger first = QuotaLedger.start(rules, T0);
        QuotaLedger second = QuotaLedger.start(rules, T0);
        for (Arrival arrival : arrivals) {
            QuotaLedger.Take a = first.take(rules, arrival.amount(), arrival.nanos());
            // The second ledger goes through a copy of its fields each time, as keyed state does.
            QuotaLedger copy = new QuotaLedger(
                    second.newestNanos(),
                    second.oldFrontierNanos(),
                    second.slotFrontiers().clone(),
                    second.slotSpent().clone(),
                    second.day(),
                    second.usedToday());
            QuotaLedger.Take b = copy.take(rules, arrival.amount(), arrival.nanos());

            assertThat(b).isEqualTo(a);
            first = a.ledger();
            second = b.ledger();
        }
    }

    @Test
    void theStateIsSmallAndOfFixedSize() {
        QuotaRules rules = rate(1000, 1000);
        QuotaLedger ledger = QuotaLedger.start(rules, T0);
        for (int s = 0; s < 500; s++) {
            ledger = ledger.take(rules, 700, T0 + s * SECOND / 3).ledger();
        }
        // Four longs and two ints per second of the horizon: about 520 bytes.
        assertThat(ledger.slotFrontiers()).hasSize(QuotaLedger.SLOTS);
        assertThat(ledger.slotSpent()).hasSize(QuotaLedger.SLOTS);
        assertThat(4 * 8 + 2 * 4 * QuotaLedger.SLOTS).isLessThan(1024);
        // A state written before the slots existed reads as nothing spent.
        QuotaLedger restored = new QuotaLedger(T0, 0, null, null, 0, 0);
        assertThat(restored.slotFrontiers()).hasSize(QuotaLedger.SLOTS).containsOnly(0);
        assertThat(restored.slotSpent()).hasSize(QuotaLedger.SLOTS).containsOnly(0);
    }
}
