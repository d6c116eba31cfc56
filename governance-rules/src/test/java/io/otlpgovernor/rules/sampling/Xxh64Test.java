package io.otlpgovernor.rules.sampling;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Xxh64Test {

    @Test
    void matchesThePublishedValueForTheEmptyInput() {
        assertThat(Xxh64.hash(new byte[0], 0)).isEqualTo(0xef46db3751d8e999L);
    }

    @Test
    void matchesAnIndependentImplementationAtEveryLengthAroundItsBlockBoundaries() {
        // lz4-java (on the test class path through kafka-clients) carries its own XXH64.
        XXHash64 reference = XXHashFactory.safeInstance().hash64();
        SplittableRandom random = new SplittableRandom(7);
        for (int length = 0; length <= 200; length++) {
            byte[] input = new byte[length];
            for (int i = 0; i < length; i++) {
                input[i] = (byte) random.nextInt(256);
            }
            long seed = length % 3 == 0 ? 0 : random.nextLong();
            assertThat(Xxh64.hash(input, seed))
                    .as("length %d", length)
                    .isEqualTo(reference.hash(input, 0, length, seed));
        }
        byte[] text = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
        assertThat(Xxh64.hash(text, 0)).isEqualTo(reference.hash(text, 0, text.length, 0));
    }
}
