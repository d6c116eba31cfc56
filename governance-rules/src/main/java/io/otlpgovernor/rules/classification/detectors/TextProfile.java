package io.otlpgovernor.rules.classification.detectors;

/**
 * What one pass over a text finds that detectors can rule themselves out with: counts of digits, dots, colons and
 * upper-case letters, and whether some characters or shapes occur at all. The engine computes it once per value and
 * hands it to every detector ({@link Detector#find(String, long)}), instead of each detector scanning the text for
 * its own pre-check; a detector that cannot match returns before it looks at the text.
 *
 * <p>Packed into a {@code long}, so profiling a value allocates nothing: counts saturate at 255.
 */
public final class TextProfile {

    private static final int DIGITS = 0;
    private static final int DOTS = 8;
    private static final int COLONS = 16;
    private static final int UPPER = 24;

    /** '@' occurs. */
    public static final long AT = 1L << 32;
    /** '-' occurs. */
    public static final long DASH = 1L << 33;
    /** '_' occurs. */
    public static final long UNDERSCORE = 1L << 34;
    /** A space or a tab occurs. */
    public static final long BLANK = 1L << 35;
    /** 'b' or 'B' occurs. */
    public static final long LETTER_B = 1L << 36;
    /** Two upper-case letters followed by two digits occur (how an IBAN starts). */
    public static final long UPPER_UPPER_DIGIT_DIGIT = 1L << 37;

    private static final int COUNT_MAX = 255;

    // Character classes of ASCII, for the pass; everything else is OTHER.
    private static final byte OTHER = 0;
    private static final byte DIGIT = 1;
    private static final byte UPPER_CASE = 2;
    private static final byte DOT = 3;
    private static final byte COLON = 4;
    private static final byte FLAG = 5;
    private static final byte[] CLASS = new byte[128];
    private static final long[] FLAG_OF = new long[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            CLASS[c] = DIGIT;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            CLASS[c] = UPPER_CASE;
        }
        CLASS['.'] = DOT;
        CLASS[':'] = COLON;
        flag('@', AT);
        flag('-', DASH);
        flag('_', UNDERSCORE);
        flag(' ', BLANK);
        flag('\t', BLANK);
        flag('b', LETTER_B);
    }

    private TextProfile() {}

    private static void flag(char c, long flag) {
        CLASS[c] = FLAG;
        FLAG_OF[c] = flag;
    }

    /** The profile of {@code text}. */
    public static long of(String text) {
        int digits = 0;
        int dots = 0;
        int colons = 0;
        int upper = 0;
        long flags = 0;
        // The classes of the last four characters, two bits each (1 upper, 2 digit), for the IBAN shape.
        int recent = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            byte kind = c < 128 ? CLASS[c] : OTHER;
            int shape = 0;
            switch (kind) {
                case DIGIT -> {
                    digits++;
                    shape = 2;
                }
                case UPPER_CASE -> {
                    upper++;
                    shape = 1;
                    if (c == 'B') {
                        flags |= LETTER_B;
                    }
                }
                case DOT -> dots++;
                case COLON -> colons++;
                case FLAG -> flags |= FLAG_OF[c];
                default -> {}
            }
            recent = ((recent << 2) | shape) & 0xff;
            if (recent == 0b01_01_10_10) {
                flags |= UPPER_UPPER_DIGIT_DIGIT;
            }
        }
        return flags
                | (long) Math.min(digits, COUNT_MAX) << DIGITS
                | (long) Math.min(dots, COUNT_MAX) << DOTS
                | (long) Math.min(colons, COUNT_MAX) << COLONS
                | (long) Math.min(upper, COUNT_MAX) << UPPER;
    }

    /** Digits in the text (at most 255). */
    public static int digits(long profile) {
        return (int) (profile >>> DIGITS) & COUNT_MAX;
    }

    /** Dots in the text (at most 255). */
    public static int dots(long profile) {
        return (int) (profile >>> DOTS) & COUNT_MAX;
    }

    /** Colons in the text (at most 255). */
    public static int colons(long profile) {
        return (int) (profile >>> COLONS) & COUNT_MAX;
    }

    /** Upper-case ASCII letters in the text (at most 255). */
    public static int upperCase(long profile) {
        return (int) (profile >>> UPPER) & COUNT_MAX;
    }

    /** Whether every flag in {@code flags} is set. */
    public static boolean has(long profile, long flags) {
        return (profile & flags) == flags;
    }
}
