package io.otlpgovernor.rules.sampling;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * The 56-bit rejection threshold T of OpenTelemetry consistent probability sampling: an item whose randomness R
 * satisfies {@code R >= T} is kept, so T counts the values, out of 2^56, that are rejected. The sampling
 * probability is {@code (2^56 − T) / 2^56}; T = 0 keeps everything; the largest T, 2^56 − 1, keeps one value in
 * 2^56. A larger threshold is <em>stricter</em>: it keeps fewer items, and every item it keeps is also kept by
 * any smaller threshold.
 *
 * <p>In the W3C {@code tracestate} the threshold travels as the {@code th} sub-key of the {@code ot} entry:
 * 1 to 14 lower-case hex digits, right-padded with zeros to 14 digits when read, written with trailing zeros
 * dropped ({@code th:8} is 50 %, {@code th:0} is 100 %). See the OpenTelemetry specification,
 * {@code trace/tracestate-handling.md} and {@code trace/tracestate-probability-sampling.md}.
 *
 * <p><b>Precision.</b> A probability is turned into a threshold once, when a sampling stage is configured, and
 * rounded there to a number of significant hex digits (default {@value #DEFAULT_PRECISION}, the spec's
 * recommendation). As in the spec's reference algorithm, precision is counted after the leading zero hex digits
 * of the <em>probability</em> — in the threshold these are the leading {@code f}s — so small probabilities keep
 * their significant digits: 10 % is {@code e666}, 1 % is {@code fd70a}, 0.1 % is {@code ffbe77}. There is no such
 * adjustment near 100 %. The encoding itself ({@link #thValue()}) is exact: the {@code th} a stage writes is
 * always the threshold it decided with.
 *
 * @param value T, 0 to 2^56 − 1
 */
public record Threshold(long value) implements Comparable<Threshold> {

    /** Significant hex digits used when none are given: the specification's recommended default. */
    public static final int DEFAULT_PRECISION = 4;
    /** Hex digits of a full 56-bit threshold; a precision of 14 keeps the exact nearest threshold. */
    public static final int MAX_PRECISION = Hex56.DIGITS;
    /** The smallest sampling probability a threshold can express: 2^-56. */
    public static final double MIN_PROBABILITY = 0x1p-56;

    /** T = 0: every item is kept ({@code th:0}). */
    public static final Threshold ALWAYS = new Threshold(0);
    /** T = 2^56 − 1: the strictest threshold, probability 2^-56 ({@code th:ffffffffffffff}). */
    public static final Threshold STRICTEST = new Threshold(Hex56.MAX);

    private static final String TH_SHAPE = "1 to 14 lower-case hex digits";
    private static final BigDecimal TWO_TO_THE_56 = BigDecimal.valueOf(Hex56.LIMIT);

    /**
     * @throws IllegalArgumentException when {@code value} is outside 0 to 2^56 − 1
     */
    public Threshold {
        if (value < 0 || value > Hex56.MAX) {
            throw new IllegalArgumentException("threshold must be 0 to 2^56-1 (0xffffffffffffff), got " + value);
        }
    }

    /**
     * The threshold for {@code probability}, rounded to {@value #DEFAULT_PRECISION} significant hex digits.
     *
     * @see #fromProbability(double, int)
     */
    public static Threshold fromProbability(double probability) {
        return fromProbability(probability, DEFAULT_PRECISION);
    }

    /**
     * The threshold for {@code probability}, rounded (half up) to {@code precision} significant hex digits
     * counted after the leading zero hex digits of the probability, as the specification's reference algorithm
     * does; a precision of {@value #MAX_PRECISION} gives the nearest threshold. Probability 1 gives T = 0. The
     * arithmetic is exact: the spec's reference works in double precision, caps the precision at 12 digits,
     * and can be one unit off in its last digit in near-half cases; this method is not and does not.
     *
     * <p>Zero is not a probability ("never" is not probability sampling): a stage that keeps nothing must drop
     * items itself. Probabilities above zero but below {@link #MIN_PROBABILITY} (2^-56) cannot be represented
     * and are raised to it, giving the strictest threshold {@link #STRICTEST}, as the OpenTelemetry Collector's
     * probabilistic sampler does; the error is at most 2^-56 in absolute terms.
     *
     * @throws IllegalArgumentException when {@code probability} is not in (0, 1] (including NaN), or
     *                                  {@code precision} is not 1 to 14
     */
    public static Threshold fromProbability(double probability, int precision) {
        checkPrecision(precision);
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be greater than 0 and at most 1, got " + probability);
        }
        if (probability == 1) {
            return ALWAYS;
        }
        if (probability < MIN_PROBABILITY) {
            return STRICTEST;
        }
        // The spec's frexp exponent: p = m * 2^exponent with 0.5 <= m < 1. Each leading zero hex digit of p adds
        // one digit of precision.
        int exponent = Math.getExponent(probability) + 1;
        int digits = Math.min(MAX_PRECISION, precision + Math.floorDiv(exponent, -4));
        long unit = 1L << (4 * (MAX_PRECISION - digits));
        // Exact decimal arithmetic (p is a binary fraction), rounded once, half up: configuration time only.
        BigDecimal rejected = TWO_TO_THE_56.subtract(new BigDecimal(probability).multiply(TWO_TO_THE_56));
        long units = rejected.divide(BigDecimal.valueOf(unit))
                .setScale(0, RoundingMode.HALF_UP)
                .longValueExact();
        // Rounding up cannot pass 2^56 - 1: p >= 2^-56 and the kept digits reach past p's leading zeros.
        return new Threshold(Math.min(units * unit, Hex56.MAX));
    }

    /**
     * Decodes a {@code th} value: 1 to 14 lower-case hex digits, right-padded with zeros to 14 digits.
     *
     * @throws IllegalArgumentException with the reason (the text's shape, never the text) when it is empty,
     *                                  longer than 14 characters, or has a character that is not a lower-case
     *                                  hex digit
     */
    public static Threshold parse(String th) {
        Objects.requireNonNull(th, "th");
        long value = Hex56.parseThreshold(th, 0, th.length());
        if (value < 0) {
            throw new IllegalArgumentException(Hex56.problem(value, "th value", th.length(), TH_SHAPE));
        }
        return new Threshold(value);
    }

    /**
     * Why {@code th} is not a valid {@code th} value, or empty when it is. The message describes the value's
     * shape and never repeats it.
     */
    public static Optional<String> problem(String th) {
        long value = Hex56.parseThreshold(th, 0, th.length());
        return value < 0 ? Optional.of(Hex56.problem(value, "th value", th.length(), TH_SHAPE)) : Optional.empty();
    }

    /** Why the {@code th} value in {@code text[start, end)} is malformed, or null when it is well formed. */
    static String problem(CharSequence text, int start, int end, String what) {
        long value = Hex56.parseThreshold(text, start, end);
        return value < 0 ? Hex56.problem(value, what, end - start, TH_SHAPE) : null;
    }

    /** The sampling probability {@code (2^56 − T) / 2^56}, in [2^-56, 1]. */
    public double probability() {
        return (Hex56.LIMIT - value) * 0x1p-56;
    }

    /** The adjusted count {@code 2^56 / (2^56 − T)}: how many items each kept item stands for. */
    public double adjustedCount() {
        return adjustedCount(value);
    }

    static double adjustedCount(long threshold) {
        return 0x1p56 / (Hex56.LIMIT - threshold);
    }

    /** The {@code th} value: hex with trailing zeros dropped, {@code "0"} for T = 0. Exact. */
    public String thValue() {
        return Hex56.trimmed(value);
    }

    /**
     * This threshold rounded (half up) to {@code precision} significant hex digits, counted as in
     * {@link #fromProbability(double, int)}. Rounding changes the threshold, so it belongs where a stage is
     * configured, before it decides anything — never between a decision and the {@code th} it writes.
     *
     * @throws IllegalArgumentException when {@code precision} is not 1 to 14
     */
    public Threshold roundedTo(int precision) {
        checkPrecision(precision);
        long kept = Hex56.LIMIT - value;
        if (kept == Hex56.LIMIT) {
            return this;
        }
        // Leading zero hex digits of the probability kept / 2^56, i.e. the spec's frexp exponent divided by -4.
        int leadingZeroDigits = (56 - (64 - Long.numberOfLeadingZeros(kept))) / 4;
        int digits = Math.min(MAX_PRECISION, precision + leadingZeroDigits);
        int shift = 4 * (MAX_PRECISION - digits);
        if (shift == 0) {
            return this;
        }
        long rounded = ((value + (1L << (shift - 1))) >>> shift) << shift;
        // Cannot overflow: digits reach past the probability's leading zeros, so the kept digits are not all f.
        // Rounding down instead would still be a valid, slightly stricter threshold.
        return new Threshold(rounded <= Hex56.MAX ? rounded : (value >>> shift) << shift);
    }

    /** Whether this threshold keeps fewer items than {@code other} (T is larger). */
    public boolean isStricterThan(Threshold other) {
        return value > other.value;
    }

    /** The stricter of the two thresholds: a downstream stage applies the larger T. */
    public static Threshold stricter(Threshold a, Threshold b) {
        return a.value >= b.value ? a : b;
    }

    /** Whether an item with randomness {@code randomness} is kept: {@code R >= T}. */
    public boolean keeps(Randomness randomness) {
        return randomness.value() >= value;
    }

    @Override
    public int compareTo(Threshold other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return "Threshold[th:" + thValue() + "]";
    }

    private static void checkPrecision(int precision) {
        if (precision < 1 || precision > MAX_PRECISION) {
            throw new IllegalArgumentException("precision must be 1 to 14 hex digits, got " + precision);
        }
    }
}
