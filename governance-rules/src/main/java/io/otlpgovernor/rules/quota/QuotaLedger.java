package io.otlpgovernor.rules.quota;

import java.time.Duration;

/**
 * Exact quota arithmetic for one tenant, with time passed in: a token bucket for the rate (refilled continuously
 * at {@code perSecond}, holding at most {@code burst}) and a counter for the UTC day. Integer arithmetic only —
 * tokens are counted in billionths — so no rounding drift accumulates however long a ledger lives.
 *
 * <p>The ledger is a value: {@link #take} returns the new state, so a stateful operator keeps it in keyed state
 * and every decision is reproducible from the sequence of inputs (which is what makes it exact across restarts).
 */
public record QuotaLedger(long tokensNano, long refilledAtNanos, long day, long usedToday) {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_DAY = Duration.ofDays(1).toNanos();

    /** A full bucket at {@code nowNanos}. */
    public static QuotaLedger start(QuotaRules rules, long nowNanos) {
        long tokens = rules.rate().map(r -> saturatingMultiply(r.burst(), NANOS_PER_SECOND)).orElse(0L);
        return new QuotaLedger(tokens, nowNanos, Math.floorDiv(nowNanos, NANOS_PER_DAY), 0);
    }

    /**
     * The outcome of asking for {@code amount} units.
     *
     * @param ledger  the state after the request
     * @param granted how many units may pass (all or nothing for the rate; the rest is over quota)
     * @param reason  why units were refused: {@code rate} or {@code daily}, or null when all were granted
     */
    public record Take(QuotaLedger ledger, long granted, String reason) {
    }

    /** Asks for {@code amount} units at {@code nowNanos} (Unix epoch nanoseconds; time never goes backwards here). */
    public Take take(QuotaRules rules, long amount, long nowNanos) {
        QuotaLedger refilled = refill(rules, nowNanos);
        long granted = amount;
        String reason = null;
        if (rules.dailyLimit().isPresent()) {
            long left = Math.max(0, rules.dailyLimit().get().amount() - refilled.usedToday);
            if (left < granted) {
                granted = left;
                reason = "daily";
            }
        }
        long tokens = refilled.tokensNano;
        if (rules.rate().isPresent()) {
            long needed = saturatingMultiply(granted, NANOS_PER_SECOND);
            if (needed > tokens) {
                // A request that does not fit the bucket is refused whole: splitting a request would break it apart.
                granted = 0;
                reason = "rate";
            } else {
                tokens -= needed;
            }
        }
        QuotaLedger after = new QuotaLedger(tokens, refilled.refilledAtNanos, refilled.day, refilled.usedToday + granted);
        return new Take(after, granted, granted == amount ? null : reason);
    }

    /**
     * This ledger at {@code nowNanos}: the bucket refilled, the daily counter reset on a new UTC day. A timestamp
     * earlier than the latest seen is read as the latest seen — for the day as for the bucket, so a late request
     * from yesterday cannot reset today's counter.
     */
    QuotaLedger refill(QuotaRules rules, long nowNanos) {
        long today = Math.max(day, Math.floorDiv(nowNanos, NANOS_PER_DAY));
        long used = today == day ? usedToday : 0;
        if (rules.rate().isEmpty() || nowNanos <= refilledAtNanos) {
            return new QuotaLedger(tokensNano, Math.max(refilledAtNanos, nowNanos), today, used);
        }
        QuotaRules.Rate rate = rules.rate().get();
        long capacity = saturatingMultiply(rate.burst(), NANOS_PER_SECOND);
        long elapsed = nowNanos - refilledAtNanos;
        long added = saturatingMultiply(elapsed, rate.perSecond());
        long tokens = added > capacity - tokensNano ? capacity : tokensNano + added;
        return new QuotaLedger(tokens, nowNanos, today, used);
    }

    /**
     * Whole units the rate bucket holds now (call on a {@link #refill refilled} ledger); {@link Long#MAX_VALUE}
     * without a rate limit. A fraction of a unit is not a unit: it cannot pay for an item.
     */
    long rateUnitsAvailable(QuotaRules rules) {
        return rules.rate().isEmpty() ? Long.MAX_VALUE : tokensNano / NANOS_PER_SECOND;
    }

    /** Units left today (call on a {@link #refill refilled} ledger); {@link Long#MAX_VALUE} without a daily limit. */
    long dailyUnitsAvailable(QuotaRules rules) {
        return rules.dailyLimit().map(d -> Math.max(0, d.amount() - usedToday)).orElse(Long.MAX_VALUE);
    }

    /**
     * Takes {@code rateUnits} from the bucket and {@code dailyUnits} from today's allowance, which the caller has
     * checked are available (the two limits may count different units). Call on a {@link #refill refilled} ledger.
     *
     * @throws IllegalStateException when they are not: charging more than the ledger holds is a bug, never a state
     */
    QuotaLedger charge(QuotaRules rules, long rateUnits, long dailyUnits) {
        if (rateUnits < 0 || dailyUnits < 0 || rateUnits > rateUnitsAvailable(rules) || dailyUnits > dailyUnitsAvailable(rules)) {
            throw new IllegalStateException("charge of " + rateUnits + " rate and " + dailyUnits
                    + " daily units exceeds the ledger");
        }
        long tokens = rules.rate().isEmpty() ? tokensNano : tokensNano - rateUnits * NANOS_PER_SECOND;
        long used = rules.dailyLimit().isEmpty() ? usedToday : usedToday + dailyUnits;
        return new QuotaLedger(tokens, refilledAtNanos, day, used);
    }

    private static long saturatingMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) || (high == -1 && low < 0) ? low : Long.MAX_VALUE;
    }
}
