package io.otlpgovernor.rules.classification.detectors;

/**
 * Payment card numbers (PANs): 13–19 digits that pass the Luhn check and start with a known issuer prefix for their
 * length — Visa 4 (13, 16, 19), Mastercard 51–55 and 2221–2720 (16), American Express 34, 37 (15), Discover 6011,
 * 644–649, 65 (16–19), JCB 3528–3589 (16–19), Diners Club 300–305, 36, 38–39 (14–19), UnionPay 62 (16–19), Maestro
 * 50, 56–69 (13–19).
 *
 * <p>Written either as one run of digits ({@code 4111111111111111}) or in groups separated by single spaces or single
 * dashes, the same separator throughout and the first group four digits long ({@code 4111 1111 1111 1111},
 * {@code 3782-822463-10005}). The number is never part of a longer run: no letter, digit or '_' touches it, and no
 * '-' or '.' joins it to more digits. A space-grouped run longer than one card (two cards in a row, or a card followed
 * by a short number) is split from the left into the longest valid cards.
 *
 * <p>Pre-check: the text holds at least 13 digits.
 */
public final class PaymentCardDetector extends ScanningDetector {

    public static final String ID = "payment-card";

    private static final int MIN_DIGITS = 13;
    private static final int MAX_DIGITS = 19;
    private static final int MAX_GROUPS = 8;

    public PaymentCardDetector() {
        super(ID);
    }

    @Override
    boolean mayContain(String text, long profile) {
        return TextProfile.digits(profile) >= MIN_DIGITS;
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
            if (startsCleanly(text, i)) {
                long found = cardAt(text, i, groupEnd);
                if (found >= 0) {
                    return found;
                }
            }
            i = groupEnd;
        }
        return -1;
    }

    /** No word character before, and no '-' or '.' joining the number to digits before it. */
    private static boolean startsCleanly(String text, int start) {
        if (start == 0) {
            return true;
        }
        char before = text.charAt(start - 1);
        if (Chars.isWordChar(before)) {
            return false;
        }
        return !((before == '-' || before == '.') && Chars.isDigit(Chars.at(text, start - 2)));
    }

    /** No word character after, and no '-' or '.' joining the number to digits after it. */
    private static boolean endsCleanly(String text, int end) {
        if (end >= text.length()) {
            return true;
        }
        char after = text.charAt(end);
        if (Chars.isWordChar(after)) {
            return false;
        }
        return !((after == '-' || after == '.') && Chars.isDigit(Chars.at(text, end + 1)));
    }

    private static long cardAt(String text, int start, int firstGroupEnd) {
        int firstLength = firstGroupEnd - start;
        if (firstLength >= MIN_DIGITS) {
            if (firstLength <= MAX_DIGITS && endsCleanly(text, firstGroupEnd) && valid(text, start, firstGroupEnd)) {
                return pack(start, firstGroupEnd);
            }
            return -1;
        }
        char separator = Chars.at(text, firstGroupEnd);
        if (firstLength != 4
                || (separator != ' ' && separator != '-')
                || !Chars.isDigit(Chars.at(text, firstGroupEnd + 1))) {
            return -1;
        }
        // Group ends and running digit counts; groups after the first have 1–6 digits.
        int[] ends = new int[MAX_GROUPS];
        int[] digits = new int[MAX_GROUPS];
        ends[0] = firstGroupEnd;
        digits[0] = 4;
        int groups = 1;
        boolean overflow = false;
        int p = firstGroupEnd;
        while (Chars.at(text, p) == separator && Chars.isDigit(Chars.at(text, p + 1))) {
            int q = p + 1;
            while (q < text.length() && Chars.isDigit(text.charAt(q))) {
                q++;
            }
            if (q - p - 1 > 6 || groups == MAX_GROUPS) {
                overflow = true;
                break;
            }
            ends[groups] = q;
            digits[groups] = digits[groups - 1] + q - p - 1;
            groups++;
            p = q;
        }
        if (separator == '-') {
            // Dash-joined digits are one token: the whole run is a card or nothing.
            int last = groups - 1;
            if (!overflow
                    && digits[last] >= MIN_DIGITS
                    && digits[last] <= MAX_DIGITS
                    && endsCleanly(text, ends[last])
                    && valid(text, start, ends[last])) {
                return pack(start, ends[last]);
            }
            return -1;
        }
        for (int last = groups - 1; last >= 1; last--) {
            if (digits[last] < MIN_DIGITS || digits[last] > MAX_DIGITS) {
                continue;
            }
            if (endsCleanly(text, ends[last]) && valid(text, start, ends[last])) {
                return pack(start, ends[last]);
            }
        }
        return -1;
    }

    /** Luhn checksum and issuer prefix of the digits in {@code text[start, end)}, separators skipped. */
    static boolean valid(String text, int start, int end) {
        int length = 0;
        int prefix = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (Chars.isDigit(c)) {
                if (length < 4) {
                    prefix = prefix * 10 + (c - '0');
                }
                length++;
            }
        }
        return length >= MIN_DIGITS && length <= MAX_DIGITS && knownIssuer(prefix, length) && luhn(text, start, end);
    }

    private static boolean luhn(String text, int start, int end) {
        int sum = 0;
        boolean doubled = false;
        for (int i = end - 1; i >= start; i--) {
            char c = text.charAt(i);
            if (!Chars.isDigit(c)) {
                continue;
            }
            int d = c - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    /**
     * Whether a number of {@code length} digits starting with the four digits {@code prefix4} belongs to a known
     * issuer. Ranges overlap (Maestro 56–69 covers Discover's and UnionPay's prefixes), so any issuer may claim it.
     */
    static boolean knownIssuer(int prefix4, int length) {
        int p1 = prefix4 / 1000;
        int p2 = prefix4 / 100;
        int p3 = prefix4 / 10;
        boolean sixteenPlus = length >= 16;
        return (p1 == 4 && (length == 13 || length == 16 || length == 19)) // Visa
                || (((p2 >= 51 && p2 <= 55) || (prefix4 >= 2221 && prefix4 <= 2720)) && length == 16) // Mastercard
                || ((p2 == 34 || p2 == 37) && length == 15) // Amex
                || ((prefix4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65) && sixteenPlus) // Discover
                || (prefix4 >= 3528 && prefix4 <= 3589 && sixteenPlus) // JCB
                || (((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) && length >= 14) // Diners
                || (p2 == 62 && sixteenPlus) // UnionPay
                || p2 == 50
                || (p2 >= 56 && p2 <= 69); // Maestro, 12–19
    }
}
