package io.otlpgovernor.rules.classification.detectors;

/**
 * IPv4 addresses in dotted-quad notation: four decimal octets 0–255 without leading zeros ({@code 192.168.0.1}; not
 * {@code 192.168.000.001}, {@code 256.1.1.1}).
 *
 * <p>The address is not part of a longer dotted run or word: no letter, digit, '_' or '.' precedes it, and it is not
 * followed by a letter, digit or '_', nor by '.' and a digit ({@code 1.2.3.4.5} is not an address; a sentence's final
 * period is fine). Version strings: a semantic-version suffix ({@code 10.2.3.4-beta}, {@code 1.2.3.4+build}) and a
 * letter prefix ({@code v1.2.3.4}) mark a version, not an address, so neither is matched; a bare four-part version
 * ({@code 1.2.3.4}) cannot be told from an address and is matched. Ports ({@code :8080}), prefix lengths ({@code /24})
 * and ranges ({@code 10.0.0.1-10.0.0.9}) do not prevent a match and are not part of it.
 *
 * <p>Pre-check: the text holds at least three dots and four digits.
 */
public final class Ipv4Detector extends ScanningDetector {

    public static final String ID = "ipv4";

    public Ipv4Detector() {
        super(ID);
    }

    @Override
    boolean mayContain(String text, long profile) {
        return text.length() >= 7 && TextProfile.dots(profile) >= 3 && TextProfile.digits(profile) >= 4;
    }

    @Override
    long next(String text, int from) {
        int n = text.length();
        int i = from;
        while (i < n) {
            if (!Chars.isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            // The maximal run of digits and dots starting here.
            int runEnd = i;
            while (runEnd < n && (Chars.isDigit(text.charAt(runEnd)) || text.charAt(runEnd) == '.')) {
                runEnd++;
            }
            int end = runEnd;
            while (end > i && text.charAt(end - 1) == '.') {
                end--;
            }
            char before = Chars.at(text, i - 1);
            boolean cleanStart = i == 0 || !(Chars.isWordChar(before) || before == '.');
            if (cleanStart && parse(text, i, end) == 4 && cleanEnd(text, end)) {
                return pack(i, end);
            }
            i = runEnd;
        }
        return -1;
    }

    private static boolean cleanEnd(String text, int end) {
        if (end >= text.length()) {
            return true;
        }
        char after = text.charAt(end);
        if (Chars.isWordChar(after)) {
            return false;
        }
        char after2 = Chars.at(text, end + 1);
        if (after == '.' && Chars.isDigit(after2)) {
            return false;
        }
        return !((after == '-' || after == '+') && Chars.isLetter(after2));
    }

    /**
     * Number of valid octets in {@code text[from, to)} when it is exactly dot-separated valid octets, else -1.
     * Octets are 0–255 written without leading zeros.
     */
    static int parse(String text, int from, int to) {
        int octets = 0;
        int p = from;
        while (p < to) {
            int q = p;
            int value = 0;
            while (q < to && Chars.isDigit(text.charAt(q))) {
                value = value * 10 + (text.charAt(q) - '0');
                q++;
                if (q - p > 3) {
                    return -1;
                }
            }
            if (q == p || value > 255 || (q - p > 1 && text.charAt(p) == '0')) {
                return -1;
            }
            octets++;
            if (q == to) {
                return octets;
            }
            if (text.charAt(q) != '.' || q + 1 == to) {
                return -1;
            }
            p = q + 1;
        }
        return -1;
    }
}
