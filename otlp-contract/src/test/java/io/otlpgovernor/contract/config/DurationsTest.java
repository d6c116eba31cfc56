package io.otlpgovernor.contract.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @Test
    void parsesEachUnit() {
        assertThat(Durations.parse("500ms", "x")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("10s", "x")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("5m", "x")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h", "x")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void acceptsZeroAndSurroundingOrInnerWhitespace() {
        assertThat(Durations.parse("0s", "x")).isZero();
        assertThat(Durations.parse(" 15 s ", "x")).isEqualTo(Duration.ofSeconds(15));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"10", "ms", "1.5s", "-1s", "10 sec", "1w", "5M", "1h30m", "PT10S", "1234567890123s"})
    void rejectsOtherFormsNamingTheField(String text) {
        assertThatThrownBy(() -> Durations.parse(text, "checkpoints.interval"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("checkpoints.interval: expected a duration such as 500ms, 10s, 5m");
    }
}
