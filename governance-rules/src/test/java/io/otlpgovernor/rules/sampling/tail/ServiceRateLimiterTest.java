package io.otlpgovernor.rules.sampling.tail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceRateLimiterTest {

    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketAdmitsOneSecondsWorthThenRefusesWholeTraces() {
        ServiceRateLimiter limiter = ServiceRateLimiter.start(100, T0);
        ServiceRateLimiter.Take first = ServiceRateLimiter.take(limiter, 60, T0);
        assertThat(first.admitted()).isTrue();
        ServiceRateLimiter.Take second = ServiceRateLimiter.take(first.state(), 41, T0);
        assertThat(second.admitted()).isFalse();
        // A refused trace costs nothing.
        assertThat(second.state().tokensNano()).isEqualTo(40 * SECOND);
        assertThat(ServiceRateLimiter.take(second.state(), 40, T0).admitted()).isTrue();
    }

    @Test
    void theBucketRefillsContinuouslyUpToOneSecondsWorth() {
        ServiceRateLimiter empty = ServiceRateLimiter.take(ServiceRateLimiter.start(100, T0), 100, T0)
                .state();
        assertThat(ServiceRateLimiter.take(empty, 1, T0).admitted()).isFalse();
        // 10 ms at 100/s is one span.
        assertThat(ServiceRateLimiter.take(empty, 1, T0 + SECOND / 100).admitted())
                .isTrue();
        assertThat(ServiceRateLimiter.take(empty, 2, T0 + SECOND / 100).admitted())
                .isFalse();
        // An hour later the bucket holds one second's worth, no more.
        ServiceRateLimiter later =
                ServiceRateLimiter.take(empty, 0, T0 + 3600 * SECOND).state();
        assertThat(later.tokensNano()).isEqualTo(100 * SECOND);
    }

    @Test
    void overAMinuteAdmittedSpansMatchTheRate() {
        ServiceRateLimiter limiter = ServiceRateLimiter.start(50, T0);
        long admitted = 0;
        // A trace of 3 spans every millisecond: far more than 50/s.
        for (long t = 0; t < 60_000; t++) {
            ServiceRateLimiter.Take take = ServiceRateLimiter.take(limiter, 3, T0 + t * 1_000_000L);
            limiter = take.state();
            admitted += take.admitted() ? 3 : 0;
        }
        // The initial burst of 50 plus 50/s for 60 s, within one trace.
        assertThat(admitted).isBetween(50L * 61 - 3, 50L * 61);
    }

    @Test
    void aTraceLargerThanOneSecondsWorthIsNeverAdmitted() {
        ServiceRateLimiter limiter = ServiceRateLimiter.start(10, T0);
        assertThat(ServiceRateLimiter.take(limiter, 11, T0 + 100 * SECOND).admitted())
                .isFalse();
        assertThat(ServiceRateLimiter.take(limiter, Long.MAX_VALUE, T0).admitted())
                .isFalse();
        assertThat(ServiceRateLimiter.take(limiter, 10, T0).admitted()).isTrue();
    }

    @Test
    void timeGoingBackwardsRefillsNothing() {
        ServiceRateLimiter empty = ServiceRateLimiter.take(ServiceRateLimiter.start(10, T0), 10, T0)
                .state();
        ServiceRateLimiter.Take earlier = ServiceRateLimiter.take(empty, 1, T0 - 5 * SECOND);
        assertThat(earlier.admitted()).isFalse();
        assertThat(earlier.state().refilledAtNanos()).isEqualTo(T0);
    }

    @Test
    void aRateChangeKeepsTheTokensUpToTheNewCapacity() {
        ServiceRateLimiter full = ServiceRateLimiter.start(100, T0);
        assertThat(full.withRate(100)).isSameAs(full);
        assertThat(full.withRate(10).tokensNano()).isEqualTo(10 * SECOND);
        assertThat(full.withRate(1000).tokensNano()).isEqualTo(100 * SECOND);
    }

    @Test
    void rejectsInvalidValues() {
        assertThatThrownBy(() -> ServiceRateLimiter.start(0, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ServiceRateLimiter(10, 11 * SECOND, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceRateLimiter.take(ServiceRateLimiter.start(1, T0), -1, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
