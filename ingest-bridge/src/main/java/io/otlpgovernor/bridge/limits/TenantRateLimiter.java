package io.otlpgovernor.bridge.limits;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

import io.otlpgovernor.bridge.BridgeConfig;

/**
 * A local rate limit per tenant on items (spans, data points, log records): one token bucket per tenant, refilled at
 * the tenant's rate up to its burst.
 *
 * <p>A request is admitted while the bucket is not empty and takes all its items, which may leave the bucket in
 * debt: so a request larger than the burst still passes once, and the tenant then waits until the debt is repaid.
 * A refused request takes nothing and is told how long to wait. Time comes from the injected clock.
 */
public final class TenantRateLimiter {

    private final BridgeConfig.Limits limits;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TenantRateLimiter(BridgeConfig.Limits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
    }

    /** Empty if {@code tenant} may send {@code items} now; otherwise how long it should wait (at least a second). */
    public Optional<Duration> admit(String tenant, long items) {
        BridgeConfig.TenantLimit limit = limits.limitOf(tenant);
        if (limit.itemsPerSecond() == 0 || items == 0) {
            return Optional.empty();
        }
        return buckets.computeIfAbsent(tenant, t -> new Bucket(limit, nanoClock.getAsLong()))
                .take(items, nanoClock.getAsLong());
    }

    private static final class Bucket {
        private final double perNano;
        private final double burst;
        private double tokens;
        private long last;

        Bucket(BridgeConfig.TenantLimit limit, long now) {
            this.perNano = limit.itemsPerSecond() / 1e9;
            this.burst = limit.burstItems();
            this.tokens = burst;
            this.last = now;
        }

        synchronized Optional<Duration> take(long items, long now) {
            tokens = Math.min(burst, tokens + Math.max(0, now - last) * perNano);
            last = now;
            if (tokens <= 0) {
                // Until the debt is repaid and one token is back; whole seconds, as Retry-After counts them.
                long waitNanos = (long) Math.ceil((1 - tokens) / perNano);
                return Optional.of(Duration.ofSeconds(Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L)));
            }
            tokens -= items;
            return Optional.empty();
        }
    }
}
