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
    /** '+' occurs. */
    public static final long PLUS = 1L << 38;
    /** '(' occurs. */
    public static final long PARENTHESIS = 1L << 39;

    private static final int COUNT_MAX = 255;

    /*
     * The pass adds, per ASCII character, a table entry to four 16-bit counters in one long (digits, dots, colons,
     * upper case) and ORs in its flags; a text longer than a counter could count is given a profile that rules
     * nothing out.
     */
    private static final int MAX_COUNTED_LENGTH = 0xffff;
    private static final long[] COUNTS = new long[128];
    private static final long[] FLAGS = new long[128];
    // The shape of a character for the IBAN start: 1 upper case, 2 digit, 0 anything else.
    private static final byte[] SHAPE = new byte[128];
    private static final int IBAN_START_SHAPE = 0b01_01_10_10;
    private static final long EVERYTHING =
            AT | DASH | UNDERSCORE | BLANK | LETTER_B | UPPER_UPPER_DIGIT_DIGIT | PLUS | PARENTHESIS | 0xffff_ffffL;

    static {
        for (char c = '0'; c <= '9'; c++) {
            COUNTS[c] = 1L;
            SHAPE[c] = 2;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            COUNTS[c] = 1L << 48;
            SHAPE[c] = 1;
        }
        COUNTS['.'] = 1L << 16;
        COUNTS[':'] = 1L << 32;
        FLAGS['@'] = AT;
        FLAGS['-'] = DASH;
        FLAGS['_'] = UNDERSCORE;
        FLAGS[' '] = BLANK;
        FLAGS['\t'] = BLANK;
        FLAGS['b'] = LETTER_B;
        FLAGS['B'] = LETTER_B;
        FLAGS['+'] = PLUS;
        FLAGS['('] = PARENTHESIS;
    }

    private TextProfile() {}

    /** The profile of {@code text}. */
    public static long of(String text) {
        int n = text.length();
        if (n > MAX_COUNTED_LENGTH) {
            return EVERYTHING;
        }
        long counts = 0;
        long flags = 0;
        int recent = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 128) {
                recent = 0;
                continue;
            }
            counts += COUNTS[c];
            flags |= FLAGS[c];
            recent = ((recent << 2) | SHAPE[c]) & 0xff;
            if (recent == IBAN_START_SHAPE) {
                flags |= UPPER_UPPER_DIGIT_DIGIT;
            }
        }
        return flags
                | (long) Math.min((int) counts & 0xffff, COUNT_MAX) << DIGITS
                | (long) Math.min((int) (counts >>> 16) & 0xffff, COUNT_MAX) << DOTS
                | (long) Math.min((int) (counts >>> 32) & 0xffff, COUNT_MAX) << COLONS
                | (long) Math.min((int) (counts >>> 48) & 0xffff, COUNT_MAX) << UPPER;
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
