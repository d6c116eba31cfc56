package io.otlpgovernor.rules.sampling;

/**
 * Reading and writing the 56-bit values of consistent probability sampling as lower-case hex, without regexes,
 * exceptions or allocation on valid input.
 *
 * <p>The parse methods return the value, or a negative code when the text is malformed; {@link #problem} turns
 * the code into a message that describes the text's shape (length, position and kind of the bad character) but
 * never repeats the text, which comes from the wire.
 */
final class Hex56 {

    /** 2^56: the number of distinct 56-bit values, the spec's {@code MaxAdjustedCount}. */
    static final long LIMIT = 1L << 56;
    /** 2^56 − 1: the largest 56-bit value. */
    static final long MAX = LIMIT - 1;
    /** Hex digits in a 56-bit value. */
    static final int DIGITS = 14;

    private static final char[] DIGIT_CHARS = "0123456789abcdef".toCharArray();

    // Negative codes: the kind in the thousands, the 1-based position of the bad character below.
    private static final long EMPTY = -1;
    private static final long WRONG_LENGTH = -2;
    private static final long UPPER_CASE = -1000;
    private static final long NOT_HEX = -2000;

    private Hex56() {}

    /**
     * A {@code th} value: 1 to 14 lower-case hex digits, read as if right-padded with zeros to 14 digits.
     *
     * @return the value, or a negative code for {@link #problem}
     */
    static long parseThreshold(CharSequence text, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return EMPTY;
        }
        if (length > DIGITS) {
            return WRONG_LENGTH;
        }
        long value = digits(text, start, end);
        return value < 0 ? value : value << (4 * (DIGITS - length));
    }

    /**
     * An {@code rv} value: exactly 14 lower-case hex digits.
     *
     * @return the value, or a negative code for {@link #problem}
     */
    static long parseRandomness(CharSequence text, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return EMPTY;
        }
        if (length != DIGITS) {
            return WRONG_LENGTH;
        }
        return digits(text, start, end);
    }

    private static long digits(CharSequence text, int start, int end) {
        long value = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            int digit;
            if (c >= '0' && c <= '9') {
                digit = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                digit = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                return UPPER_CASE - (i - start + 1);
            } else {
                return NOT_HEX - (i - start + 1);
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    /**
     * Why a parse returned {@code code}, e.g. {@code "th value has 15 characters; expected 1 to 14 lower-case hex
     * digits"}.
     *
     * @param what     the value's name, e.g. {@code "th value"}
     * @param length   the length of the text that was parsed
     * @param expected the expected shape, e.g. {@code "1 to 14 lower-case hex digits"}
     */
    static String problem(long code, String what, int length, String expected) {
        if (code == EMPTY) {
            return what + " is empty; expected " + expected;
        }
        if (code == WRONG_LENGTH) {
            return what + " has " + length + (length == 1 ? " character" : " characters") + "; expected " + expected;
        }
        if (code <= NOT_HEX) {
            return what + " has a character that is not a hex digit at position " + (NOT_HEX - code) + "; expected "
                    + expected;
        }
        if (code <= UPPER_CASE) {
            return what + " has an upper-case hex digit at position " + (UPPER_CASE - code) + "; expected " + expected;
        }
        throw new IllegalArgumentException("not a parse error code: " + code);
    }

    /** All 14 digits, with leading zeros: the {@code rv} form. */
    static String full(long value) {
        char[] out = new char[DIGITS];
        for (int i = DIGITS - 1; i >= 0; i--) {
            out[i] = DIGIT_CHARS[(int) (value & 0xf)];
            value >>>= 4;
        }
        return new String(out);
    }

    /** Leading zeros kept, trailing zeros dropped, {@code "0"} for zero: the {@code th} form. */
    static String trimmed(long value) {
        if (value == 0) {
            return "0";
        }
        int length = DIGITS - Long.numberOfTrailingZeros(value) / 4;
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = DIGIT_CHARS[(int) ((value >>> (4 * (DIGITS - 1 - i))) & 0xf)];
        }
        return new String(out);
    }
}
