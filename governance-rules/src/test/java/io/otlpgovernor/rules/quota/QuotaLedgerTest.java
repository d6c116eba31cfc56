package io.otlpgovernor.rules.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class QuotaLedgerTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final long T0 = Duration.ofDays(20_000).toNanos() + Duration.ofHours(3).toNanos();

    private static QuotaRules rate(long perSecond, long burst) {
        return new QuotaRules(Optional.of(new QuotaRules.Rate(QuotaRules.Unit.ITEMS, perSecond, burst)), Optional.empty(), QuotaRules.OverQuota.DROP);
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
        QuotaRules rules = new QuotaRules(Optional.empty(), Optional.of(new QuotaRules.Daily(QuotaRules.Unit.ITEMS, 500)), QuotaRules.OverQuota.DROP);
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
        QuotaLedger ledger = QuotaLedger.start(rules, T0).take(rules, 100, T0 + 100 * SECOND).ledger();

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
        QuotaRules rules = new QuotaRules(Optional.empty(), Optional.of(new QuotaRules.Daily(QuotaRules.Unit.ITEMS, 500)), QuotaRules.OverQuota.DROP);
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
}
