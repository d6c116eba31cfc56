package io.otlpgovernor.rules.classification.detectors;

/**
 * E-mail addresses such as {@code user.name+tag@example.co.uk}.
 *
 * <p>Local part: ASCII letters, digits and {@code . _ % + -} (common practice, not the full RFC 5322 grammar), 1–64
 * characters, no leading, trailing or doubled dot. Domain: at least two dot-separated labels of ASCII letters, digits
 * and '-' (1–63 characters, not starting or ending with '-'), the last one — the top-level domain — letters only and
 * at least two long. A trailing dot (end of a sentence) is not part of the address. Not matched: quoted local parts,
 * IP-literal domains ({@code user@[192.0.2.1]}), internationalised addresses.
 *
 * <p>Pre-check: the text contains '@' and a '.'.
 */
public final class EmailDetector extends ScanningDetector {

    public static final String ID = "email";

    private static final int MAX_LOCAL = 64;
    private static final int MAX_DOMAIN = 253;

    public EmailDetector() {
        super(ID);
    }

    @Override
    boolean mayContain(String text, long profile) {
        return TextProfile.has(profile, TextProfile.AT) && TextProfile.dots(profile) >= 1;
    }

    @Override
    long next(String text, int from) {
        for (int at = text.indexOf('@', from); at >= 0; at = text.indexOf('@', at + 1)) {
            int start = localStart(text, at, from);
            if (start < 0) {
                continue;
            }
            int end = domainEnd(text, at);
            if (end > 0) {
                return pack(start, end);
            }
        }
        return -1;
    }

    private static boolean isLocalChar(char c) {
        return Chars.isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    /** Start of the local part ending before {@code at}, or -1. */
    private static int localStart(String text, int at, int from) {
        int start = at;
        while (start > from && isLocalChar(text.charAt(start - 1))) {
            start--;
            if (at - start > MAX_LOCAL + 1) {
                return -1;
            }
        }
        // A run of punctuation before the first letter or digit belongs to the surrounding text, e.g. "-- user@x.org".
        while (start < at && !Chars.isAlnum(text.charAt(start)) && text.charAt(start) != '_') {
            start++;
        }
        if (start == at || at - start > MAX_LOCAL || text.charAt(at - 1) == '.') {
            return -1;
        }
        for (int i = start + 1; i < at; i++) {
            if (text.charAt(i) == '.' && text.charAt(i - 1) == '.') {
                return -1;
            }
        }
        char before = Chars.at(text, start - 1);
        if (before == '@' || (start > 0 && Chars.isWordChar(before))) {
            return -1;
        }
        return start;
    }

    /** End of the domain that starts after {@code at}, or -1 when it is not a valid domain. */
    private static int domainEnd(String text, int at) {
        int n = text.length();
        int end = at + 1;
        while (end < n && (Chars.isAlnum(text.charAt(end)) || text.charAt(end) == '.' || text.charAt(end) == '-')) {
            end++;
            if (end - at > MAX_DOMAIN + 2) {
                return -1;
            }
        }
        // Trailing punctuation is the sentence's, not the address's: "write to user@example.com."
        while (end > at + 1 && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == '-')) {
            end--;
        }
        if (end == at + 1 || end - at - 1 > MAX_DOMAIN) {
            return -1;
        }
        char after = Chars.at(text, end);
        if (after == '@' || (end < n && Chars.isWordChar(after))) {
            return -1;
        }
        int labels = 0;
        int labelStart = at + 1;
        for (int i = at + 1; i <= end; i++) {
            if (i == end || text.charAt(i) == '.') {
                if (!validLabel(text, labelStart, i)) {
                    return -1;
                }
                labels++;
                if (i == end && !validTopLevel(text, labelStart, i)) {
                    return -1;
                }
                labelStart = i + 1;
            }
        }
        return labels >= 2 ? end : -1;
    }

    private static boolean validLabel(String text, int from, int to) {
        int length = to - from;
        return length >= 1 && length <= 63 && text.charAt(from) != '-' && text.charAt(to - 1) != '-';
    }

    private static boolean validTopLevel(String text, int from, int to) {
        if (to - from < 2) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!Chars.isLetter(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
