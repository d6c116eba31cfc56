package io.otlpgovernor.rules.sampling.tail;

/**
 * The token bucket of one {@code rate-limit} tail policy for one service, in spans per second, with time passed
 * in: a value, so the job keeps it in state keyed by (tenant, service) and every decision is reproducible from
 * the sequence of inputs. The bucket refills continuously at {@code spansPerSecond} and holds at most one
 * second's worth; tokens are counted in billionths of a span so no rounding drift accumulates.
 *
 * <p>A trace is admitted whole or not at all. A trace with more spans than one second's worth is therefore
 * never admitted (as in the OpenTelemetry Collector's rate-limiting policy). Time going backwards refills
 * nothing.
 *
 * @param spansPerSecond  the rate, at least 1
 * @param tokensNano      tokens in the bucket, in billionths of a span
 * @param refilledAtNanos when the bucket was last refilled (the latest time seen)
 */
public record ServiceRateLimiter(long spansPerSecond, long tokensNano, long refilledAtNanos) {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * @throws IllegalArgumentException when the rate is below 1 or above 10^9, or tokens are negative or above
     *                                  the capacity
     */
    public ServiceRateLimiter {
        if (spansPerSecond < 1 || spansPerSecond > NANOS_PER_SECOND) {
            throw new IllegalArgumentException("spans per second must be 1 to 10^9, got " + spansPerSecond);
        }
        if (tokensNano < 0 || tokensNano > spansPerSecond * NANOS_PER_SECOND) {
            throw new IllegalArgumentException("tokens must be 0 to the capacity, got " + tokensNano);
        }
    }

    /** A full bucket at {@code nowNanos}. */
    public static ServiceRateLimiter start(long spansPerSecond, long nowNanos) {
        return new ServiceRateLimiter(spansPerSecond, Math.multiplyExact(spansPerSecond, NANOS_PER_SECOND), nowNanos);
    }

    /**
     * The outcome of asking for a trace's spans.
     *
     * @param state    the limiter after the request
     * @param admitted whether the trace may be kept
     */
    public record Take(ServiceRateLimiter state, boolean admitted) {}

    /** Asks {@code state} for {@code spans} spans at {@code nowNanos}: admitted iff the bucket holds them all. */
    public static Take take(ServiceRateLimiter state, long spans, long nowNanos) {
        if (spans < 0) {
            throw new IllegalArgumentException("spans must not be negative, got " + spans);
        }
        ServiceRateLimiter refilled = state.refill(nowNanos);
        long needed = spans > refilled.spansPerSecond ? Long.MAX_VALUE : spans * NANOS_PER_SECOND;
        if (needed > refilled.tokensNano) {
            return new Take(refilled, false);
        }
        return new Take(
                new ServiceRateLimiter(refilled.spansPerSecond, refilled.tokensNano - needed, refilled.refilledAtNanos),
                true);
    }

    /** This limiter at another rate (after a rule change): the tokens it holds, capped at the new capacity. */
    public ServiceRateLimiter withRate(long newSpansPerSecond) {
        if (newSpansPerSecond == spansPerSecond) {
            return this;
        }
        long capacity = Math.multiplyExact(newSpansPerSecond, NANOS_PER_SECOND);
        return new ServiceRateLimiter(newSpansPerSecond, Math.min(tokensNano, capacity), refilledAtNanos);
    }

    /** The bucket refilled to {@code nowNanos}. */
    ServiceRateLimiter refill(long nowNanos) {
        if (nowNanos <= refilledAtNanos) {
            return this;
        }
        long capacity = spansPerSecond * NANOS_PER_SECOND;
        long elapsed = nowNanos - refilledAtNanos;
        // elapsed * rate, saturating; a full second or more fills the bucket anyway.
        long added = elapsed >= NANOS_PER_SECOND ? capacity : elapsed * spansPerSecond;
        long tokens = added >= capacity - tokensNano ? capacity : tokensNano + added;
        return new ServiceRateLimiter(spansPerSecond, tokens, nowNanos);
    }
}
