package io.otlpgovernor.bridge.limits;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.otlpgovernor.bridge.BridgeConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TenantRateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private TenantRateLimiter limiter(int rate, int burst, Map<String, BridgeConfig.TenantLimit> tenants) {
        return new TenantRateLimiter(new BridgeConfig.Limits(null, null, null, rate, burst, tenants), now::get);
    }

    @Test
    void admitsUpToTheBurstAtOnce() {
        TenantRateLimiter limiter = limiter(10, 20, null);

        assertThat(limiter.admit("acme", 15)).isEmpty();
        assertThat(limiter.admit("acme", 5)).isEmpty();
        assertThat(limiter.admit("acme", 1)).hasValue(Duration.ofSeconds(1));
    }

    @Test
    void admitsAgainOnceTheRateHasRefilledTheBucket() {
        TenantRateLimiter limiter = limiter(10, 10, null);
        assertThat(limiter.admit("acme", 10)).isEmpty();
        assertThat(limiter.admit("acme", 1)).isPresent();

        now.addAndGet(Duration.ofMillis(500).toNanos());

        assertThat(limiter.admit("acme", 5)).isEmpty();
    }

    @Test
    void letsOneOversizedRequestThroughAndMakesTheTenantRepayIt() {
        TenantRateLimiter limiter = limiter(10, 10, null);

        assertThat(limiter.admit("acme", 50)).isEmpty();

        // 40 items of debt plus one token: 4.1 s at 10 items/s, rounded up to whole seconds.
        assertThat(limiter.admit("acme", 1)).hasValue(Duration.ofSeconds(5));
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(limiter.admit("acme", 1)).hasValue(Duration.ofSeconds(1));
        now.addAndGet(Duration.ofMillis(200).toNanos());
        assertThat(limiter.admit("acme", 1)).isEmpty();
    }

    @Test
    void keepsTenantsApart() {
        TenantRateLimiter limiter = limiter(10, 10, null);
        limiter.admit("acme", 100);

        assertThat(limiter.admit("acme", 1)).isPresent();
        assertThat(limiter.admit("globex", 10)).isEmpty();
    }

    @Test
    void appliesPerTenantOverridesAndZeroMeansNoLimit() {
        TenantRateLimiter limiter = limiter(10, 10, Map.of("big", new BridgeConfig.TenantLimit(0, null)));

        assertThat(limiter.admit("big", 1_000_000)).isEmpty();
        assertThat(limiter.admit("big", 1_000_000)).isEmpty();
    }
}
