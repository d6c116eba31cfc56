package io.otlpgovernor.rules.quota;

import java.time.Duration;
import java.util.Arrays;

/**
 * Exact quota arithmetic for one tenant, with time passed in (a record's arrival time): a rate with a burst, and a
 * counter for the UTC day. Integer arithmetic only, so no rounding drift accumulates however long a ledger lives.
 *
 * <h2>The rate: tokens kept by when they were earned</h2>
 * Tokens are earned continuously at {@code perSecond}. A token earned at time {@code u} may be spent by a request
 * arriving at any {@code t} with {@code u <= t <= u + burst / perSecond}: it is earned before the request arrives
 * and not older than the burst allows. A request spends the unspent tokens available at <em>its own</em> arrival
 * time, oldest first, and is granted whole or not at all. Each token is spent at most once, and a request arriving
 * in {@code [a, b]} can only spend tokens earned in {@code [a − burst/perSecond, b]}; so whatever order requests
 * are seen in, the units granted to requests arriving in any {@code [a, b]} are at most
 * {@code perSecond × (b − a) + burst}. Seen in arrival order this is exactly a token bucket (the unspent tokens
 * not yet expired are the bucket; it holds at most {@code burst}). Seen out of order — a Kafka consumer reading
 * one partition seconds ahead of another — a late request still finds the tokens of its own time, instead of a
 * bucket already drained by requests that arrived after it.
 *
 * <p>Tokens are kept as time: a token is the moment it was earned, and spending {@code n} units takes
 * {@code n / perSecond} seconds' worth of them. Per slot of {@link #SLOT_NANOS} the ledger keeps two numbers: its
 * frontier ({@link #slotFrontiers()}, nanoseconds into the slot), beyond which nothing has been spent, and how
 * much of the slot before the frontier has been spent ({@link #slotSpent()}). A request may take, in each slot, the
 * part of its window after the frontier, and of the part before the frontier whatever exceeds what was spent there
 * (the spent tokens may lie anywhere before the frontier, so this is all that is surely free). Taking from after
 * the frontier moves it; taking from before only adds to what was spent. So tokens a request skips because they
 * are too old for it remain for a request read later that arrived earlier. In arrival order everything before the
 * frontier within a request's window has been spent, and this is exactly the token bucket. Tokens earned before
 * the tracked slots are one run, from {@link #oldFrontierNanos()} to the first tracked slot; a slot leaving the
 * horizon gives up its free tokens before its frontier, and the run's, to keep it one run.
 *
 * <p>The slots cover {@link #LATE_HORIZON_NANOS} behind the newest arrival seen. A request arriving earlier than
 * that is treated as arriving at the horizon's edge; a request arriving after the newest moves the slots on.
 *
 * <p>Rounding, always against the tenant: the time a burst lasts, {@code burst / perSecond}, is rounded down to
 * the nanosecond, and a request spends its units' time rounded up to the nanosecond. Both are exact when
 * {@code perSecond} divides the burst, and the request's units, times 10^9 (any rate of the form 2^a × 5^b up to
 * 10^9, such as 1,000 or 10,000,000); otherwise a full bucket may hold one unit less than {@code burst} and each
 * request costs up to a nanosecond's worth of the rate more than a token bucket would charge.
 *
 * <h2>The day</h2>
 * The daily counter is per UTC day of the arrival time, and never goes back: a late request from yesterday counts
 * against today, so it cannot reset today's counter.
 *
 * <p>The ledger is a value (its slot arrays are never modified once it is built): every operation returns a
 * new ledger, so a stateful operator keeps it in keyed state and every decision is reproducible from the sequence
 * of inputs (which is what makes it exact across restarts). Its size is fixed: twice {@value #SLOTS} ints and four
 * longs, about 520 bytes.
 *
 * @param newestNanos      the newest arrival seen (Unix epoch nanoseconds)
 * @param oldFrontierNanos tokens earned before the first tracked slot are spent (or given up) up to this time
 * @param slotFrontiers    per tracked slot, indexed by slot number modulo {@value #SLOTS}: nanoseconds from the
 *                         slot's start beyond which none of its tokens are spent, 0 to {@link #SLOT_NANOS}
 * @param slotSpent        per tracked slot, likewise indexed: nanoseconds' worth of its tokens spent, all before
 *                         its frontier (so at most the frontier)
 * @param day              the current UTC day, in days since the epoch
 * @param usedToday        units charged to the daily limit today
 */
public record QuotaLedger(
        long newestNanos, long oldFrontierNanos, int[] slotFrontiers, int[] slotSpent, long day, long usedToday) {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_DAY = Duration.ofDays(1).toNanos();
    /** The granularity at which spent tokens are kept: one second. */
    public static final long SLOT_NANOS = NANOS_PER_SECOND;
    /** How far behind the newest arrival a request may arrive and still be placed at its own time: 60 seconds. */
    public static final long LATE_HORIZON_NANOS = Duration.ofSeconds(60).toNanos();
    /** Slots kept: enough that the slot of any request within the horizon is tracked. */
    public static final int SLOTS = (int) (LATE_HORIZON_NANOS / SLOT_NANOS) + 1;
    /** The longest a burst may last (about 36 years), so that times never overflow. */
    private static final long MAX_BURST_NANOS = 1L << 60;

    /**
     * Normalizes a missing or mis-sized slot array (a state written by an older version) to slots with nothing
     * spent; copies nothing otherwise.
     *
     * @throws IllegalArgumentException when a slot's frontier is outside the slot
     */
    public QuotaLedger {
        if (slotFrontiers == null || slotFrontiers.length != SLOTS || slotSpent == null || slotSpent.length != SLOTS) {
            slotFrontiers = new int[SLOTS];
            slotSpent = new int[SLOTS];
        }
        for (int i = 0; i < SLOTS; i++) {
            if (slotSpent[i] < 0 || slotSpent[i] > slotFrontiers[i] || slotFrontiers[i] > SLOT_NANOS) {
                throw new IllegalArgumentException("slot " + i + " spent " + slotSpent[i] + " ns of " + slotFrontiers[i]
                        + " (at most " + SLOT_NANOS + ")");
            }
        }
    }

    /** A full bucket at {@code nowNanos}: nothing spent. */
    public static QuotaLedger start(QuotaRules rules, long nowNanos) {
        return new QuotaLedger(
                nowNanos, Long.MIN_VALUE, new int[SLOTS], new int[SLOTS], Math.floorDiv(nowNanos, NANOS_PER_DAY), 0);
    }

    /**
     * The outcome of asking for {@code amount} units.
     *
     * @param ledger  the state after the request
     * @param granted how many units may pass (all or nothing for the rate; the rest is over quota)
     * @param reason  why units were refused: {@code rate} or {@code daily}, or null when all were granted
     */
    public record Take(QuotaLedger ledger, long granted, String reason) {}

    /** Asks for {@code amount} units arriving at {@code nowNanos} (Unix epoch nanoseconds). */
    public Take take(QuotaRules rules, long amount, long nowNanos) {
        QuotaLedger advanced = advance(rules, nowNanos);
        long granted = Math.min(amount, advanced.dailyUnitsAvailable(rules));
        String reason = granted < amount ? "daily" : null;
        if (granted > advanced.rateUnitsAvailable(rules, nowNanos)) {
            // A request that does not fit is refused whole: splitting a request would break it apart.
            granted = 0;
            reason = "rate";
        }
        QuotaLedger after = advanced.charge(
                rules,
                rules.rate().isPresent() ? granted : 0,
                rules.dailyLimit().isPresent() ? granted : 0,
                nowNanos);
        return new Take(after, granted, granted == amount ? null : reason);
    }

    /**
     * This ledger having seen an arrival at {@code nowNanos}: when it is the newest yet, the slots move on (slots
     * leaving the horizon join the run of old tokens); the daily counter is reset on a new UTC day. A timestamp
     * earlier than the latest seen never moves the day back, so a late request from yesterday cannot reset today's
     * counter.
     */
    QuotaLedger advance(QuotaRules rules, long nowNanos) {
        long today = Math.max(day, Math.floorDiv(nowNanos, NANOS_PER_DAY));
        long used = today == day ? usedToday : 0;
        if (nowNanos <= newestNanos) {
            return today == day
                    ? this
                    : new QuotaLedger(newestNanos, oldFrontierNanos, slotFrontiers, slotSpent, today, used);
        }
        long fromSlot = Math.floorDiv(newestNanos, SLOT_NANOS);
        long moved = Math.floorDiv(nowNanos, SLOT_NANOS) - fromSlot;
        int[] slots = slotFrontiers;
        int[] spent = slotSpent;
        long oldFrontier = oldFrontierNanos;
        if (moved > 0) {
            slots = slots.clone();
            spent = spent.clone();
            long firstTracked = fromSlot - SLOTS + 1;
            long leaving = Math.min(moved, SLOTS);
            for (long slot = firstTracked; slot < firstTracked + leaving; slot++) {
                int index = (int) Math.floorMod(slot, (long) SLOTS);
                if (slots[index] > 0) {
                    // The old run must stay one run: unspent tokens before this slot's frontier are given up.
                    oldFrontier = slot * SLOT_NANOS + slots[index];
                }
                slots[index] = 0;
                spent[index] = 0;
            }
        }
        return new QuotaLedger(nowNanos, oldFrontier, slots, spent, today, used);
    }

    /**
     * The time a request arriving at {@code nowNanos} is placed at, on an {@link #advance advanced} ledger: its
     * own, unless it is older than the horizon, then the horizon's edge.
     */
    long arrivalNanos(long nowNanos) {
        return Math.max(Math.min(nowNanos, newestNanos), newestNanos - LATE_HORIZON_NANOS);
    }

    /**
     * Whole units a request arriving at {@code nowNanos} may spend (call on an {@link #advance advanced} ledger);
     * {@link Long#MAX_VALUE} without a rate limit. A fraction of a unit is not a unit: it cannot pay for an item.
     */
    long rateUnitsAvailable(QuotaRules rules, long nowNanos) {
        if (rules.rate().isEmpty()) {
            return Long.MAX_VALUE;
        }
        QuotaRules.Rate rate = rules.rate().get();
        long unspent = spend(rate, arrivalNanos(nowNanos), 0, null);
        return QuotaGate.multiplyDivide(rate.perSecond(), unspent, NANOS_PER_SECOND, false);
    }

    /** Whole units a request arriving now, at the newest time seen, may spend: the bucket's content. */
    long rateUnitsAvailable(QuotaRules rules) {
        return rateUnitsAvailable(rules, newestNanos);
    }

    /** Units left today (call on an {@link #advance advanced} ledger); {@link Long#MAX_VALUE} without a daily limit. */
    long dailyUnitsAvailable(QuotaRules rules) {
        return rules.dailyLimit().map(d -> Math.max(0, d.amount() - usedToday)).orElse(Long.MAX_VALUE);
    }

    /**
     * Spends {@code rateUnits} for a request arriving at {@code nowNanos} and takes {@code dailyUnits} from today's
     * allowance, which the caller has checked are available (the two limits may count different units). Call on an
     * {@link #advance advanced} ledger.
     *
     * @throws IllegalStateException when they are not: charging more than the ledger holds is a bug, never a state
     */
    QuotaLedger charge(QuotaRules rules, long rateUnits, long dailyUnits, long nowNanos) {
        if (rateUnits < 0
                || dailyUnits < 0
                || rateUnits > rateUnitsAvailable(rules, nowNanos)
                || dailyUnits > dailyUnitsAvailable(rules)) {
            throw new IllegalStateException(
                    "charge of " + rateUnits + " rate and " + dailyUnits + " daily units exceeds the ledger");
        }
        long used = rules.dailyLimit().isEmpty() ? usedToday : usedToday + dailyUnits;
        if (rules.rate().isEmpty() || rateUnits == 0) {
            return new QuotaLedger(newestNanos, oldFrontierNanos, slotFrontiers, slotSpent, day, used);
        }
        QuotaRules.Rate rate = rules.rate().get();
        long nanos = QuotaGate.multiplyDivide(rateUnits, NANOS_PER_SECOND, rate.perSecond(), true);
        Spent spent = new Spent(slotFrontiers.clone(), slotSpent.clone(), new long[] {oldFrontierNanos});
        spend(rate, arrivalNanos(nowNanos), nanos, spent);
        return new QuotaLedger(newestNanos, spent.oldFrontier()[0], spent.frontiers(), spent.spent(), day, used);
    }

    /** Where {@link #spend} writes what it spent. */
    private record Spent(int[] frontiers, int[] spent, long[] oldFrontier) {}

    /**
     * Walks the tokens a request arriving at {@code arrival} may spend, oldest first. Without {@code into}, returns
     * their total, in nanoseconds of the rate; with it, spends {@code nanos} of them into it and returns what was
     * left to spend (0 when the caller checked availability).
     */
    private long spend(QuotaRules.Rate rate, long arrival, long nanos, Spent into) {
        long oldest = arrival - burstNanos(rate);
        long firstTracked = Math.floorDiv(newestNanos, SLOT_NANOS) - SLOTS + 1;
        long trackedStart = firstTracked * SLOT_NANOS;
        long total = 0;
        long left = nanos;
        if (oldest < trackedStart) {
            long from = Math.max(oldFrontierNanos, oldest);
            long unspent = Math.max(0, trackedStart - from);
            total += unspent;
            if (into != null && left > 0 && unspent > 0) {
                long taken = Math.min(left, unspent);
                into.oldFrontier()[0] = from + taken;
                left -= taken;
            }
        }
        long lastSlot = Math.floorDiv(arrival, SLOT_NANOS);
        for (long slot = Math.max(firstTracked, Math.floorDiv(oldest, SLOT_NANOS)); slot <= lastSlot; slot++) {
            if (into != null && left == 0) {
                break;
            }
            int index = (int) Math.floorMod(slot, (long) SLOTS);
            long slotStart = slot * SLOT_NANOS;
            long from = Math.max(slotStart, oldest);
            long to = Math.min(slotStart + SLOT_NANOS, arrival);
            if (to <= from) {
                continue;
            }
            // What was spent lies before the frontier, but not necessarily in [from, to): of the part of [from, to)
            // before the frontier, all but what was spent is free; everything after the frontier is.
            long frontier = slotStart + slotFrontiers[index];
            long spent = slotSpent[index];
            long beforeFrontier = Math.max(0, Math.min(to, frontier) - from);
            long freeBefore = Math.max(0, beforeFrontier - spent);
            long afterStart = Math.max(from, frontier);
            long freeAfter = Math.max(0, to - afterStart);
            total += freeBefore + freeAfter;
            if (into != null) {
                long takenBefore = Math.min(left, freeBefore);
                left -= takenBefore;
                long takenAfter = Math.min(left, freeAfter);
                left -= takenAfter;
                into.spent()[index] = (int) (spent + takenBefore + takenAfter);
                if (takenAfter > 0) {
                    into.frontiers()[index] = (int) (afterStart + takenAfter - slotStart);
                }
            }
        }
        return into == null ? total : left;
    }

    /** How long a burst lasts at the rate, {@code burst / perSecond}, in nanoseconds rounded down. */
    private static long burstNanos(QuotaRules.Rate rate) {
        if (rate.burst() / rate.perSecond() >= MAX_BURST_NANOS / NANOS_PER_SECOND) {
            return MAX_BURST_NANOS;
        }
        return Math.min(
                MAX_BURST_NANOS, QuotaGate.multiplyDivide(rate.burst(), NANOS_PER_SECOND, rate.perSecond(), false));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QuotaLedger that
                && newestNanos == that.newestNanos
                && oldFrontierNanos == that.oldFrontierNanos
                && day == that.day
                && usedToday == that.usedToday
                && Arrays.equals(slotFrontiers, that.slotFrontiers)
                && Arrays.equals(slotSpent, that.slotSpent);
    }

    @Override
    public int hashCode() {
        int hash = Long.hashCode(newestNanos);
        hash = 31 * hash + Long.hashCode(oldFrontierNanos);
        hash = 31 * hash + Arrays.hashCode(slotFrontiers);
        hash = 31 * hash + Arrays.hashCode(slotSpent);
        hash = 31 * hash + Long.hashCode(day);
        return 31 * hash + Long.hashCode(usedToday);
    }

    @Override
    public String toString() {
        return "QuotaLedger[newestNanos=" + newestNanos + ", oldFrontierNanos=" + oldFrontierNanos + ", slotFrontiers="
                + Arrays.toString(slotFrontiers) + ", slotSpent=" + Arrays.toString(slotSpent) + ", day=" + day
                + ", usedToday=" + usedToday + "]";
    }
}
