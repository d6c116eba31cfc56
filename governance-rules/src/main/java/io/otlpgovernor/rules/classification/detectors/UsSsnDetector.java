package io.otlpgovernor.rules.classification.detectors;

/**
 * US Social Security numbers: {@code AAA-GG-SSSS}, {@code AAA GG SSSS} (one separator kind throughout) and the bare
 * nine-digit form {@code AAAGGSSSS}.
 *
 * <p>Rejected as never issued: area 000, 666 or 900–999, group 00, serial 0000, and the numbers made public in
 * advertising, 078-05-1120 (the Woolworth wallet card) and 219-09-9999 (a Social Security Administration pamphlet).
 *
 * <p>The number is never part of a longer run: no letter, digit or '_' touches it; no '-', '.' or '/' joins it to
 * digits; the grouped forms are not followed or preceded by another group with the same separator (as in
 * {@code 078 05 1123 4567}). Dots and mixed separators ({@code 078.05.1123}, {@code 078-051123}) are not matched.
 *
 * <p>Pre-check: the text holds at least 9 digits.
 */
public final class UsSsnDetector extends ScanningDetector {

    public static final String ID = "us-ssn";

    public UsSsnDetector() {
        super(ID);
    }

    @Override
    boolean mayContain(String text, long profile) {
        return TextProfile.digits(profile) >= 9;
    }

    @Override
    long next(String text, int from) {
        int n = text.length();
        int i = from;
        while (i < n) {
            if (!Chars.isDigit(text.charAt(i)) || (i > 0 && Chars.isDigit(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            int groupEnd = i;
            while (groupEnd < n && Chars.isDigit(text.charAt(groupEnd))) {
                groupEnd++;
            }
            long found = ssnAt(text, i, groupEnd);
            if (found >= 0) {
                return found;
            }
            i = groupEnd;
        }
        return -1;
    }

    private static long ssnAt(String text, int start, int firstGroupEnd) {
        char before = Chars.at(text, start - 1);
        if (start > 0 && Chars.isWordChar(before)) {
            return -1;
        }
        boolean joinedBefore =
                (before == '-' || before == '.' || before == '/') && Chars.isDigit(Chars.at(text, start - 2));
        if (joinedBefore) {
            return -1;
        }
        int length = firstGroupEnd - start;
        if (length == 9) {
            if (!endsCleanly(text, firstGroupEnd, '\0')) {
                return -1;
            }
            return valid(text, start, start + 3, start + 5) ? pack(start, firstGroupEnd) : -1;
        }
        if (length != 3) {
            return -1;
        }
        char separator = Chars.at(text, firstGroupEnd);
        if (separator != '-' && separator != ' ') {
            return -1;
        }
        if (before == separator && Chars.isDigit(Chars.at(text, start - 2))) {
            return -1; // a further group before: "12 078 05 1123"
        }
        int group = firstGroupEnd + 1;
        if (!digitsAt(text, group, 2) || Chars.at(text, group + 2) != separator) {
            return -1;
        }
        int serial = group + 3;
        if (!digitsAt(text, serial, 4)) {
            return -1;
        }
        int end = serial + 4;
        if (!endsCleanly(text, end, separator)) {
            return -1;
        }
        return valid(text, start, group, serial) ? pack(start, end) : -1;
    }

    /** Exactly {@code count} digits at {@code from}, not followed by another digit. */
    private static boolean digitsAt(String text, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!Chars.isDigit(Chars.at(text, i))) {
                return false;
            }
        }
        return !Chars.isDigit(Chars.at(text, from + count));
    }

    private static boolean endsCleanly(String text, int end, char separator) {
        if (end >= text.length()) {
            return true;
        }
        char after = text.charAt(end);
        if (Chars.isWordChar(after)) {
            return false;
        }
        boolean joins = after == '-' || after == '.' || after == '/' || (separator != '\0' && after == separator);
        return !(joins && Chars.isDigit(Chars.at(text, end + 1)));
    }

    private static boolean valid(String text, int area, int group, int serial) {
        int a = number(text, area, 3);
        int g = number(text, group, 2);
        int s = number(text, serial, 4);
        if (a == 0 || a == 666 || a >= 900 || g == 0 || s == 0) {
            return false;
        }
        return !(a == 78 && g == 5 && s == 1120) && !(a == 219 && g == 9 && s == 9999);
    }

    private static int number(String text, int from, int digits) {
        int value = 0;
        for (int i = from; i < from + digits; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
