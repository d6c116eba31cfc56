package io.otlpgovernor.rules.sampling;

import java.util.HexFormat;
import java.util.SplittableRandom;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RandomnessTest {

    private static final long MAX = (1L << 56) - 1;

    @Test
    void decodesTheSpecificationsExample() {
        // tracestate-handling.md: "ot=rv:6e6d1a75832a2f" is the unsigned value 0x6e6d1a75832a2f.
        Randomness randomness = Randomness.parse("6e6d1a75832a2f");

        assertThat(randomness.value()).isEqualTo(0x6e6d1a75832a2fL);
        assertThat(randomness.rvValue()).isEqualTo("6e6d1a75832a2f");
        // ... kept at probabilities 41.1 % through 100 %, i.e. thresholds up to the value itself.
        assertThat(new Threshold(0x6e6d1a75832a2fL).keeps(randomness)).isTrue();
        assertThat(new Threshold(0x6e6d1a75832a30L).keeps(randomness)).isFalse();
    }

    @Test
    void encodesAllFourteenDigits() {
        assertThat(new Randomness(0).rvValue()).isEqualTo("00000000000000");
        assertThat(new Randomness(1).rvValue()).isEqualTo("00000000000001");
        assertThat(new Randomness(MAX).rvValue()).isEqualTo("ffffffffffffff");
        assertThat(new Randomness(0x80000000000000L).rvValue()).isEqualTo("80000000000000");
    }

    @Test
    void roundTripsThroughItsRvValue() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            Randomness randomness = new Randomness(random.nextLong() & MAX);
            assertThat(Randomness.parse(randomness.rvValue())).isEqualTo(randomness);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "'',              rv value is empty; expected exactly 14 lower-case hex digits",
        "8,               rv value has 1 character; expected exactly 14 lower-case hex digits",
        "6e6d1a75832a2,   rv value has 13 characters; expected exactly 14 lower-case hex digits",
        "6e6d1a75832a2f0, rv value has 15 characters; expected exactly 14 lower-case hex digits",
        "6E6D1A75832A2F,  rv value has an upper-case hex digit at position 2; expected exactly 14 lower-case hex digits",
        "6e6d1a75832a2g,  rv value has a character that is not a hex digit at position 14; expected exactly 14 lower-case hex digits",
    })
    void rejectsMalformedRvValuesWithTheReason(String rv, String reason) {
        assertThat(Randomness.problem(rv)).hasValue(reason);
        assertThatThrownBy(() -> Randomness.parse(rv))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(reason);
    }

    @Test
    void takesTheLeastSignificant56BitsOfTheTraceId() {
        byte[] traceId = HexFormat.of().parseHex("4bf92f3577b34da6a3ce929d0e0e4736");

        assertThat(Randomness.fromTraceId(traceId).value()).isEqualTo(0xce929d0e0e4736L);
        assertThat(Randomness.fromTraceId(ByteString.copyFrom(traceId)).value()).isEqualTo(0xce929d0e0e4736L);
    }

    @Test
    void byteArrayAndByteStringAgree() {
        SplittableRandom random = new SplittableRandom(9);
        byte[] traceId = new byte[16];
        for (int i = 0; i < 10_000; i++) {
            for (int b = 0; b < 16; b++) {
                traceId[b] = (byte) random.nextInt();
            }
            assertThat(Randomness.fromTraceId(ByteString.copyFrom(traceId))).isEqualTo(Randomness.fromTraceId(traceId));
        }
    }

    @Test
    void aTraceIdWhoseLowBytesAreZeroHasRandomnessZero() {
        byte[] traceId = HexFormat.of().parseHex("01000000000000000000000000000000");

        assertThat(Randomness.fromTraceId(traceId).value()).isZero();
    }

    @Test
    void rejectsEmptyAndAllZeroTraceIds() {
        assertThatThrownBy(() -> Randomness.fromTraceId(new byte[0])).hasMessage("trace id is empty");
        assertThatThrownBy(() -> Randomness.fromTraceId(new byte[16])).hasMessage("trace id is all zeros");
        assertThatThrownBy(() -> Randomness.fromTraceId(ByteString.EMPTY)).hasMessage("trace id is empty");
        assertThatThrownBy(() -> Randomness.fromTraceId(ByteString.copyFrom(new byte[16])))
                .hasMessage("trace id is all zeros");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 15, 17, 32})
    void rejectsTraceIdsOfTheWrongLength(int length) {
        assertThatThrownBy(() -> Randomness.fromTraceId(new byte[length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trace id has " + length + " bytes; expected 16");
        assertThatThrownBy(() -> Randomness.fromTraceId(ByteString.copyFrom(new byte[length])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trace id has " + length + " bytes; expected 16");
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 1L << 56, Long.MIN_VALUE})
    void rejectsValuesOutside56Bits(long value) {
        assertThatThrownBy(() -> new Randomness(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("randomness must be 0 to 2^56-1 (0xffffffffffffff), got " + value);
    }

    @Test
    void printsItsRvValue() {
        assertThat(new Randomness(0x6e6d1a75832a2fL)).hasToString("Randomness[rv:6e6d1a75832a2f]");
    }
}
