package io.otlpgovernor.rules.quota;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceClockTest {

    private static final long TOLERANCE = 60_000;

    @Test
    void readsTheTimeEveryActivePartitionHasReached() {
        SourceClock clock = SourceClock.EMPTY
                .observe("otlp_spans/0", 10_000, TOLERANCE)
                .observe("otlp_spans/1", 4_000, TOLERANCE)
                .observe("otlp_spans/0", 15_000, TOLERANCE);

        assertThat(clock.nowMillis()).isEqualTo(4_000);
        assertThat(clock.observe("otlp_spans/1", 12_000, TOLERANCE).nowMillis()).isEqualTo(12_000);
    }

    @Test
    void aPartitionFarBehindCountsAsIdleAndIsForgotten() {
        SourceClock clock = SourceClock.EMPTY
                .observe("otlp_logs/0", 1_000, TOLERANCE)
                .observe("otlp_spans/0", 1_000 + TOLERANCE + 1, TOLERANCE);

        assertThat(clock.sources()).containsExactly("otlp_spans/0");
        assertThat(clock.nowMillis()).isEqualTo(1_000 + TOLERANCE + 1);
    }

    @Test
    void aLateRecordNeverMovesAPartitionBack() {
        SourceClock clock = SourceClock.EMPTY.observe("p", 9_000, TOLERANCE).observe("p", 8_000, TOLERANCE);

        assertThat(clock.nowMillis()).isEqualTo(9_000);
    }

    @Test
    void startsAtZero() {
        assertThat(SourceClock.EMPTY.nowMillis()).isZero();
    }
}
