package io.otlpgovernor.rules.sampling;

import java.util.Objects;
import java.util.Optional;

import com.google.protobuf.ByteString;

/**
 * The 56-bit randomness R that consistent probability sampling compares with a {@link Threshold}. It is the
 * explicit randomness value, the {@code rv} sub-key of the {@code ot} tracestate entry (exactly 14 lower-case hex
 * digits), when there is one, and otherwise the least significant 56 bits of the trace id — bytes 9 to 15 of the
 * 16, which W3C Trace Context Level 2 asks to be random.
 *
 * @param value R, 0 to 2^56 − 1
 */
public record Randomness(long value) {

    /** Bytes in a trace id. */
    public static final int TRACE_ID_BYTES = 16;

    /** Returned by {@link #traceIdValue} when the trace id carries no randomness (empty or all zeros). */
    static final long MISSING = -1;

    private static final String RV_SHAPE = "exactly 14 lower-case hex digits";
    // Bytes 9..15 of the trace id: its least significant 56 bits.
    private static final int FIRST_RANDOM_BYTE = TRACE_ID_BYTES - 7;

    /**
     * @throws IllegalArgumentException when {@code value} is outside 0 to 2^56 − 1
     */
    public Randomness {
        if (value < 0 || value > Hex56.MAX) {
            throw new IllegalArgumentException("randomness must be 0 to 2^56-1 (0xffffffffffffff), got " + value);
        }
    }

    /**
     * Decodes an {@code rv} value: exactly 14 lower-case hex digits.
     *
     * @throws IllegalArgumentException with the reason (the text's shape, never the text) otherwise
     */
    public static Randomness parse(String rv) {
        Objects.requireNonNull(rv, "rv");
        long value = Hex56.parseRandomness(rv, 0, rv.length());
        if (value < 0) {
            throw new IllegalArgumentException(Hex56.problem(value, "rv value", rv.length(), RV_SHAPE));
        }
        return new Randomness(value);
    }

    /**
     * Why {@code rv} is not a valid {@code rv} value, or empty when it is. The message describes the value's
     * shape and never repeats it.
     */
    public static Optional<String> problem(String rv) {
        long value = Hex56.parseRandomness(rv, 0, rv.length());
        return value < 0 ? Optional.of(Hex56.problem(value, "rv value", rv.length(), RV_SHAPE)) : Optional.empty();
    }

    /** Why the {@code rv} value in {@code text[start, end)} is malformed, or null when it is well formed. */
    static String problem(CharSequence text, int start, int end, String what) {
        long value = Hex56.parseRandomness(text, start, end);
        return value < 0 ? Hex56.problem(value, what, end - start, RV_SHAPE) : null;
    }

    /**
     * The randomness in a trace id: its least significant 56 bits (bytes 9 to 15, big-endian).
     *
     * @throws IllegalArgumentException when the trace id is not 16 bytes, or is all zeros (an invalid trace id in
     *                                  W3C Trace Context)
     */
    public static Randomness fromTraceId(byte[] traceId) {
        long value = traceIdValue(traceId);
        if (value == MISSING) {
            throw new IllegalArgumentException(traceId.length == 0 ? "trace id is empty" : "trace id is all zeros");
        }
        return new Randomness(value);
    }

    /** Like {@link #fromTraceId(byte[])}, for a protobuf trace id, without copying it. */
    public static Randomness fromTraceId(ByteString traceId) {
        long value = traceIdValue(traceId);
        if (value == MISSING) {
            throw new IllegalArgumentException(traceId.isEmpty() ? "trace id is empty" : "trace id is all zeros");
        }
        return new Randomness(value);
    }

    /**
     * R from a trace id, or {@link #MISSING} when it is empty (a log record without trace context) or all zeros.
     *
     * @throws IllegalArgumentException when it is neither empty nor 16 bytes (valid OTLP never has that)
     */
    static long traceIdValue(byte[] traceId) {
        return traceIdValue(traceId, 0, traceId.length);
    }

    /** Like {@link #traceIdValue(byte[])}, for the {@code length} bytes at {@code offset} of {@code bytes}. */
    static long traceIdValue(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return MISSING;
        }
        checkLength(length);
        long high = 0;
        for (int i = 0; i < FIRST_RANDOM_BYTE; i++) {
            high |= bytes[offset + i];
        }
        long value = 0;
        for (int i = FIRST_RANDOM_BYTE; i < TRACE_ID_BYTES; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xff);
        }
        return value == 0 && high == 0 ? MISSING : value;
    }

    /** Like {@link #traceIdValue(byte[])}, for a protobuf trace id, without copying it. */
    static long traceIdValue(ByteString traceId) {
        if (traceId.isEmpty()) {
            return MISSING;
        }
        checkLength(traceId.size());
        long high = 0;
        for (int i = 0; i < FIRST_RANDOM_BYTE; i++) {
            high |= traceId.byteAt(i);
        }
        long value = 0;
        for (int i = FIRST_RANDOM_BYTE; i < TRACE_ID_BYTES; i++) {
            value = (value << 8) | (traceId.byteAt(i) & 0xff);
        }
        return value == 0 && high == 0 ? MISSING : value;
    }

    private static void checkLength(int length) {
        if (length != TRACE_ID_BYTES) {
            throw new IllegalArgumentException("trace id has " + length + " bytes; expected 16");
        }
    }

    /** The {@code rv} value: all 14 hex digits, leading zeros included. */
    public String rvValue() {
        return Hex56.full(value);
    }

    @Override
    public String toString() {
        return "Randomness[rv:" + rvValue() + "]";
    }
}
