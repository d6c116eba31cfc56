package io.otlpgovernor.rules.classification.detectors;

/**
 * PEM-armoured private keys: from a {@code -----BEGIN <label>-----} line whose label is {@code PRIVATE KEY} or ends
 * in it ({@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}, {@code DSA PRIVATE KEY}, {@code OPENSSH PRIVATE KEY},
 * {@code ENCRYPTED PRIVATE KEY}, …) or is {@code PGP PRIVATE KEY BLOCK}, through the matching
 * {@code -----END <label>-----}. The whole block is matched, armour included. A block without its END line (a
 * truncated log body) is matched to the end of the text. Line breaks may be real or escaped ({@code \n} in JSON).
 * Certificates and public keys are not matched.
 *
 * <p>Pre-check: the text contains "-----BEGIN ".
 */
public final class PrivateKeyDetector extends ScanningDetector {

    public static final String ID = "private-key";

    private static final String BEGIN = "-----BEGIN ";
    private static final String DASHES = "-----";
    private static final int MAX_LABEL = 64;

    public PrivateKeyDetector() {
        super(ID);
    }

    @Override
    boolean mayContain(String text, long profile) {
        return TextProfile.has(profile, TextProfile.DASH | TextProfile.BLANK) && text.contains(BEGIN);
    }

    @Override
    long next(String text, int from) {
        int n = text.length();
        for (int begin = text.indexOf(BEGIN, from); begin >= 0; begin = text.indexOf(BEGIN, begin + 1)) {
            int labelStart = begin + BEGIN.length();
            int labelEnd = labelStart;
            while (labelEnd < n
                    && labelEnd - labelStart <= MAX_LABEL
                    && (Chars.isUpper(text.charAt(labelEnd))
                            || Chars.isDigit(text.charAt(labelEnd))
                            || text.charAt(labelEnd) == ' ')) {
                labelEnd++;
            }
            if (!text.startsWith(DASHES, labelEnd) || !privateKeyLabel(text, labelStart, labelEnd)) {
                continue;
            }
            String end = "-----END " + text.substring(labelStart, labelEnd) + DASHES;
            int endAt = text.indexOf(end, labelEnd + DASHES.length());
            return pack(begin, endAt < 0 ? n : endAt + end.length());
        }
        return -1;
    }

    private static boolean privateKeyLabel(String text, int from, int to) {
        return endsWith(text, from, to, "PRIVATE KEY") || endsWith(text, from, to, "PGP PRIVATE KEY BLOCK");
    }

    private static boolean endsWith(String text, int from, int to, String suffix) {
        int start = to - suffix.length();
        return start >= from && text.startsWith(suffix, start) && (start == from || text.charAt(start - 1) == ' ');
    }
}
