package io.otlpgovernor.rules.quota;

import java.math.BigInteger;
import java.util.Arrays;

import io.otlpgovernor.rules.sampling.ItemRandomness;
import io.otlpgovernor.rules.sampling.Threshold;

/**
 * The per-tenant quota decision for one export request, exact and pure: given the rules, the tenant's {@link
 * QuotaState}, the request's size and the time (passed in), it says what passes and returns the new state. It is
 * the only per-tenant serial point of the job, so it never parses a payload: the decode step hands it the item
 * count, the byte size, and for spans and log records the high 16 bits of every item's sampling randomness
 * ({@link ItemRandomness}).
 *
 * <h2>Over quota: drop</h2>
 * A request is admitted whole or refused whole, as {@link QuotaLedger} refuses a request that does not fit the
 * bucket. The daily limit is all-or-nothing too — a request that does not fit what is left of the day is refused
 * whole and charges nothing — and is checked first, so a request both limits refuse is reported as {@code daily}:
 * retrying it later in the day will not help.
 *
 * <h2>Over quota: downsample</h2>
 * Items are kept by consistent probability sampling at a threshold of four hex digits, {@code T = t16 << 40}: an
 * item is kept iff {@code r16 >= t16}, which is exactly what {@link io.otlpgovernor.rules.sampling.ThresholdFilter}
 * keeps afterwards, so the gate charges exactly what passes. Whole traces are kept or dropped together as long as
 * the threshold does not change, so the threshold is a property of the tenant's load, not of each request:
 * <ul>
 *   <li>At the start of each one-second window of the passed-in time the threshold is chosen from a coarse
 *       scale, steps of 1/16 of an octave (each keeps 4.4 % less than the one before), so that it does not
 *       follow every wobble of the load. The previous window's offered load gives the fraction {@code perSecond /
 *       offered} that fits the rate, which lies between two steps, a lax one and a strict one; the bucket picks
 *       between them. A threshold already within a step of those two stays where it is, unless the bucket nears
 *       an edge: below a quarter of the burst while the threshold is lax, it moves one step stricter; above
 *       three quarters while it is strict, one step laxer. So under a steady overload the threshold changes only
 *       every few tens of seconds, between neighbouring steps, while the bucket — the exact integral of what was
 *       admitted — keeps the long-run admitted volume at the rate, and neither drains (which would force raises
 *       within windows) nor fills (which would waste quota). A threshold further away (the load changed, or it
 *       was raised within the window) is replaced by the lax step when the bucket is at least half full, by the
 *       strict one otherwise. When the previous window's load fitted the rate the threshold is 0, keep
 *       everything: downsampling stops one window after the overload does.</li>
 *   <li>Within a window the threshold is only ever raised: when a request would not fit what the ledger holds
 *       (whole units in the bucket, and what is left of the day), the threshold becomes the smallest one whose
 *       kept items fit, and stays there for the rest of the window. Raising keeps nested sets — every item kept
 *       at the higher threshold would have been kept at the lower — so the traces kept after the change are a
 *       subset of those kept before it.</li>
 *   <li>A request of which even the strictest threshold keeps too much, or nothing, is dropped whole, and the
 *       threshold is left as it was: an empty bucket says nothing about the load.</li>
 * </ul>
 * Nothing that passes ever exceeds the ledger: the kept count is compared with the ledger before anything is
 * charged. Counted in bytes, kept items are charged {@code ceil(bytes × kept / items)} — their share of the
 * request, rounded up so that sampling never charges less than the bytes could be.
 *
 * <p><b>Metric data points are never sampled.</b> A sampled sum is no longer a sum, and a gauge with a hole is a
 * different gauge; so a request without randomness ({@link Request#randomness16()} null) is admitted whole when
 * it fits and dropped whole when it does not, in downsample mode too — it neither applies the threshold nor
 * raises it. It does count towards the offered load.
 *
 * <p><b>Time.</b> The ledger places each request at its own arrival time, so a request seen late (another
 * partition read behind) spends the tokens of its own time; see {@link QuotaLedger}. The downsampling windows
 * follow a clock that never goes backwards — the newest arrival seen — so a late request belongs to the current
 * window, counts towards its offered load and is sampled at its threshold.
 */
public final class QuotaGate {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Distinct 16-bit randomness values: a threshold t16 keeps {@code SCALE − t16} of them. */
    private static final int SCALE = 1 << 16;
    /** The largest t16: keeps one 16-bit value in 65,536. */
    private static final int STRICTEST = SCALE - 1;
    /**
     * The thresholds the window estimate chooses from, as kept values out of 65,536: 65,536 × 2^(−j/16),
     * decreasing in steps of 1/16 of an octave (4.4 %) down to a step of one value, then by one value to 1.
     * Integer arithmetic from sixteen rounded mantissas, so every platform builds the same table.
     */
    private static final int[] STEPS = steps();

    private QuotaGate() {}

    /** What happens to a request. */
    public enum Outcome {
        /** Everything passes. */
        ADMIT,
        /**
         * The items that pass {@link Verdict#threshold()} pass; the rest are dropped. Apply the threshold even when
         * every item passes: the kept items must carry it, or they would be counted as themselves alone.
         */
        SAMPLE,
        /** Nothing passes. */
        DROP
    }

    /**
     * One export request as the gate sees it. The array is the caller's and is not copied; the gate never
     * modifies it.
     *
     * @param items        spans, data points or log records in the request
     * @param bytes        the request's size in bytes
     * @param randomness16 per-item r16 from {@link ItemRandomness}, or null when the items cannot be sampled
     *                     (metric data points)
     */
    public record Request(long items, long bytes, char[] randomness16) {

        /**
         * @throws IllegalArgumentException when a size is negative, or the randomness is not one value per item
         */
        public Request {
            if (items < 0 || bytes < 0) {
                throw new IllegalArgumentException("items and bytes must not be negative");
            }
            if (randomness16 != null && randomness16.length != items) {
                throw new IllegalArgumentException(
                        "randomness16 has " + randomness16.length + " values for " + items + " items");
            }
        }
    }

    /**
     * The decision for a request.
     *
     * @param outcome       admit, sample or drop
     * @param threshold     the threshold to apply when the outcome is {@link Outcome#SAMPLE}; {@link
     *                      Threshold#ALWAYS} otherwise
     * @param admittedItems items that pass
     * @param droppedItems  items that do not
     * @param chargedUnits  units taken from the ledger, in the rate's unit (the daily limit's when there is no
     *                      rate limit; 0 without limits). When the two limits count different units, the daily
     *                      limit is charged in its own unit as well.
     * @param reason        why items were dropped or sampled: {@code rate} or {@code daily}; null when admitted
     */
    public record Verdict(
            Outcome outcome,
            Threshold threshold,
            long admittedItems,
            long droppedItems,
            long chargedUnits,
            String reason) {}

    /**
     * @param state   the tenant's state after the request
     * @param verdict what happens to the request
     */
    public record Result(QuotaState state, Verdict verdict) {}

    /** The state of a tenant first seen at {@code nowNanos}: a full bucket, keeping everything. */
    public static QuotaState start(QuotaRules rules, long nowNanos) {
        return new QuotaState(QuotaLedger.start(rules, nowNanos), 0, windowStart(nowNanos), 0, 0);
    }

    /**
     * Decides for {@code request} arriving at {@code nowNanos} (Unix epoch nanoseconds); see the class
     * description.
     */
    public static Result decide(QuotaRules rules, QuotaState state, Request request, long nowNanos) {
        QuotaLedger ledger = state.ledger().advance(rules, nowNanos);
        // The window clock is the newest arrival seen: it never goes backwards, whatever the ledger does.
        long now = Math.max(ledger.newestNanos(), state.windowStartNanos());

        long windowStart = state.windowStartNanos();
        long offeredInWindow = state.offeredInWindow();
        long offeredLastWindow = state.offeredLastWindow();
        int threshold16 = state.threshold16();
        long start = windowStart(now);
        if (start > windowStart) {
            // Load per second over the time that passed: after a gap of several seconds it is spread over them.
            offeredLastWindow = offeredInWindow / ((start - windowStart) / NANOS_PER_SECOND);
            offeredInWindow = 0;
            windowStart = start;
            threshold16 = windowThreshold(rules, ledger, threshold16, offeredLastWindow);
        }
        if (rules.overQuota() != QuotaRules.OverQuota.DOWNSAMPLE) {
            threshold16 = 0;
        }
        QuotaRules.Unit offeredUnit = rules.rate().map(QuotaRules.Rate::unit).orElse(QuotaRules.Unit.ITEMS);
        offeredInWindow = saturatingAdd(offeredInWindow, units(offeredUnit, request));

        Decided decided;
        if (rules.rate().isEmpty() && rules.dailyLimit().isEmpty()) {
            decided = new Decided(
                    ledger, threshold16, new Verdict(Outcome.ADMIT, Threshold.ALWAYS, request.items(), 0, 0, null));
        } else if (rules.overQuota() == QuotaRules.OverQuota.DROP
                || request.randomness16() == null
                || request.items() == 0) {
            decided = whole(rules, ledger, threshold16, request, nowNanos);
        } else {
            decided = sample(rules, ledger, threshold16, request, nowNanos);
        }
        QuotaState after =
                new QuotaState(decided.ledger, decided.threshold16, windowStart, offeredInWindow, offeredLastWindow);
        return new Result(after, decided.verdict);
    }

    private record Decided(QuotaLedger ledger, int threshold16, Verdict verdict) {}

    /** All or nothing: the drop mode, and requests that cannot be sampled. */
    private static Decided whole(
            QuotaRules rules, QuotaLedger ledger, int threshold16, Request request, long nowNanos) {
        long rateUnits = rules.rate().map(r -> units(r.unit(), request)).orElse(0L);
        long dailyUnits = rules.dailyLimit().map(d -> units(d.unit(), request)).orElse(0L);
        String reason = null;
        if (dailyUnits > ledger.dailyUnitsAvailable(rules)) {
            reason = "daily";
        } else if (rateUnits > ledger.rateUnitsAvailable(rules, nowNanos)) {
            reason = "rate";
        }
        if (reason != null) {
            return new Decided(ledger, threshold16, dropped(request, reason));
        }
        return new Decided(
                ledger.charge(rules, rateUnits, dailyUnits, nowNanos),
                threshold16,
                new Verdict(
                        Outcome.ADMIT,
                        Threshold.ALWAYS,
                        request.items(),
                        0,
                        charged(rules, rateUnits, dailyUnits),
                        null));
    }

    /** Downsampling: keep {@code r16 >= t16}, raising t16 when what it keeps does not fit. */
    private static Decided sample(
            QuotaRules rules, QuotaLedger ledger, int threshold16, Request request, long nowNanos) {
        char[] randomness = request.randomness16();
        int items = randomness.length;
        long rateAvailable = ledger.rateUnitsAvailable(rules, nowNanos);
        long dailyAvailable = ledger.dailyUnitsAvailable(rules);
        long rateFits = rules.rate()
                .map(r -> itemsWithin(r.unit(), rateAvailable, request))
                .orElse(Long.MAX_VALUE);
        long dailyFits = rules.dailyLimit()
                .map(d -> itemsWithin(d.unit(), dailyAvailable, request))
                .orElse(Long.MAX_VALUE);
        long fits = Math.min(rateFits, dailyFits);
        String binding = dailyFits <= rateFits ? "daily" : "rate";

        int threshold = threshold16;
        long kept = countAtLeast(randomness, threshold);
        String reason = threshold == 0 ? null : rules.rate().isPresent() ? "rate" : "daily";
        if (kept > fits) {
            if (fits == 0) {
                return new Decided(ledger, threshold16, dropped(request, binding));
            }
            char[] sorted = randomness.clone();
            Arrays.sort(sorted);
            // sorted[items - fits - 1] is the largest value that must go: one above it, at most `fits` are left.
            int raised = sorted[(int) (items - fits - 1)] + 1;
            if (raised > STRICTEST) {
                return new Decided(ledger, threshold16, dropped(request, binding));
            }
            kept = items - lowerBound(sorted, raised);
            if (kept == 0) {
                return new Decided(ledger, threshold16, dropped(request, binding));
            }
            threshold = raised;
            reason = binding;
        }
        long admitted = kept;
        long rateUnits =
                rules.rate().map(r -> keptUnits(r.unit(), admitted, request)).orElse(0L);
        long dailyUnits = rules.dailyLimit()
                .map(d -> keptUnits(d.unit(), admitted, request))
                .orElse(0L);
        Verdict verdict = new Verdict(
                threshold == 0 ? Outcome.ADMIT : Outcome.SAMPLE,
                threshold == 0 ? Threshold.ALWAYS : new Threshold((long) threshold << 40),
                admitted,
                items - admitted,
                charged(rules, rateUnits, dailyUnits),
                reason);
        return new Decided(ledger.charge(rules, rateUnits, dailyUnits, nowNanos), threshold, verdict);
    }

    /**
     * The threshold for a new window: see the class description. {@code ledger} has seen the window's first
     * request, and its bucket is what a request arriving then could spend; {@code current} is the threshold the
     * previous window ended with.
     */
    static int windowThreshold(QuotaRules rules, QuotaLedger ledger, int current, long offeredLastWindow) {
        if (rules.overQuota() != QuotaRules.OverQuota.DOWNSAMPLE || rules.rate().isEmpty()) {
            return 0;
        }
        QuotaRules.Rate rate = rules.rate().get();
        if (offeredLastWindow <= rate.perSecond()) {
            return 0;
        }
        // The 16-bit values to keep, out of 65,536, for the offered load to fit the rate: 0 to 65,535.
        long target = multiplyDivide(SCALE, rate.perSecond(), offeredLastWindow, false);
        int lax = laxStep(target);
        int strict = Math.min(lax + 1, STEPS.length - 1);
        long bucket = ledger.rateUnitsAvailable(rules);
        long burst = rate.burst();
        int step = step(current);
        if (step >= 0 && step >= lax - 1 && step <= strict + 1) {
            // Close to the load: only the bucket moves it, one step, when it nears an edge.
            if (bucket < burst / 4 && step <= lax) {
                step = Math.min(step + 1, STEPS.length - 1);
            } else if (bucket > burst - burst / 4 && step >= strict) {
                step = Math.max(step - 1, 0);
            }
        } else {
            step = bucket >= burst / 2 ? lax : strict;
        }
        return SCALE - STEPS[step];
    }

    /** The laxest step keeping at least {@code target} values (the last one, keeping 1, for a target below 1). */
    private static int laxStep(long target) {
        int low = 0;
        int high = STEPS.length - 1;
        // STEPS is decreasing and STEPS[0] = 65,536 > target: find the last index with STEPS[index] >= target.
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (STEPS[mid] >= target) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /** The step a threshold is on, or -1 when it is not on one (it was raised within a window). */
    private static int step(int threshold16) {
        int kept = SCALE - threshold16;
        int index = laxStep(kept);
        return STEPS[index] == kept ? index : -1;
    }

    private static int[] steps() {
        int[] mantissas = {
            65536, 62757, 60097, 57549, 55109, 52773, 50535, 48393, 46341, 44376, 42495, 40693, 38968, 37316, 35734,
            34219
        };
        int[] steps = new int[SCALE];
        int count = 0;
        for (int j = 0; ; j++) {
            int exponent = j / 16;
            int mantissa = mantissas[j % 16];
            int value = exponent == 0 ? mantissa : (mantissa + (1 << (exponent - 1))) >> exponent;
            if (count > 0) {
                value = Math.min(value, steps[count - 1] - 1);
            }
            if (value < 1) {
                return Arrays.copyOf(steps, count);
            }
            steps[count++] = value;
        }
    }

    private static Verdict dropped(Request request, String reason) {
        return new Verdict(Outcome.DROP, Threshold.ALWAYS, 0, request.items(), 0, reason);
    }

    private static long charged(QuotaRules rules, long rateUnits, long dailyUnits) {
        return rules.rate().isPresent() ? rateUnits : rules.dailyLimit().isPresent() ? dailyUnits : 0;
    }

    private static long units(QuotaRules.Unit unit, Request request) {
        return unit == QuotaRules.Unit.ITEMS ? request.items() : request.bytes();
    }

    /** The most items of {@code request} that {@code available} units pay for. */
    private static long itemsWithin(QuotaRules.Unit unit, long available, Request request) {
        if (unit == QuotaRules.Unit.ITEMS) {
            return available;
        }
        if (request.bytes() <= available) {
            return request.items();
        }
        // k items cost ceil(bytes × k / items) <= available  ⇔  bytes × k <= available × items.
        return multiplyDivide(available, request.items(), request.bytes(), false);
    }

    /** What {@code kept} items of {@code request} cost: themselves, or their share of its bytes, rounded up. */
    private static long keptUnits(QuotaRules.Unit unit, long kept, Request request) {
        if (unit == QuotaRules.Unit.ITEMS) {
            return kept;
        }
        return kept == request.items() ? request.bytes() : multiplyDivide(request.bytes(), kept, request.items(), true);
    }

    private static long countAtLeast(char[] values, int threshold) {
        if (threshold == 0) {
            return values.length;
        }
        long count = 0;
        for (char value : values) {
            if (value >= threshold) {
                count++;
            }
        }
        return count;
    }

    /** The index of the first value at least {@code key} in ascending {@code sorted}. */
    private static int lowerBound(char[] sorted, int key) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] < key) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static long windowStart(long nanos) {
        return nanos - Math.floorMod(nanos, NANOS_PER_SECOND);
    }

    /** {@code a × b / c} for non-negative operands, rounded down or up, exact however large {@code a × b} is. */
    static long multiplyDivide(long a, long b, long c, boolean roundUp) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        if (high == 0 && product >= 0) {
            long quotient = product / c;
            return roundUp && quotient * c != product ? quotient + 1 : quotient;
        }
        BigInteger[] division =
                BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divideAndRemainder(BigInteger.valueOf(c));
        return division[0].longValueExact() + (roundUp && division[1].signum() != 0 ? 1 : 0);
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
