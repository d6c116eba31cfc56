package io.otlpgovernor.rules.cardinality;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HyperLogLogTest {

    @Test
    void estimatesDistinctElementsWithinTenPercentAndIgnoresRepeats() {
        SplittableRandom random = new SplittableRandom(42);
        for (int distinct : new int[] {10, 1_000, 100_000}) {
            byte[] sketch = HyperLogLog.empty();
            long[] hashes = new long[distinct];
            for (int i = 0; i < distinct; i++) {
                hashes[i] = random.nextLong();
                HyperLogLog.add(sketch, hashes[i]);
            }
            for (long hash : hashes) {
                assertThat(HyperLogLog.add(sketch, hash))
                        .as("a repeat changes nothing")
                        .isFalse();
            }

            assertThat((double) HyperLogLog.estimate(sketch)).isCloseTo(distinct, within(distinct * 0.1));
        }
        assertThat(HyperLogLog.estimate(null)).isZero();
        assertThat(HyperLogLog.estimate(HyperLogLog.empty())).isZero();
    }
}
