package io.otlpgovernor.rules.classification.detectors;

/**
 * Telephone numbers in international (E.164) and common national notations: {@code +14155552671},
 * {@code +1 (415) 555-2671}, {@code 415-555-2671}, {@code (415) 555-2671}, {@code +44 20 7946 0958},
 * {@code 030 123456 78}, {@code 09-7625400}, {@code 415.555.2671}.
 *
 * <p>A number is an optional leading '+', then groups of digits separated by single spaces, dashes or dots, where one
 * group may be in parentheses ({@code (415)}, {@code (0)20}). It has 8–15 digits and a formatting signal: a leading
 * '+', parentheses or at least one separator — a plain run of digits (a counter, timestamp, id) is never a phone
 * number. Heuristics keep other numbers out:
 * <ul>
 *   <li>no letter, digit or '_' touches the number, and no '-', '.', '/', ':' or ',' joins it to more digits (dates
 *       and times, decimal numbers, version strings, IP addresses and ports stay out);</li>
 *   <li>groups that form a date ({@code 2024-01-15}, {@code 15.01.2024}) reject the candidate;</li>
 *   <li>dots may not be mixed with other separators, every dotted group has at least two digits, and four groups of
 *       at most three digits are an IPv4 address, not a number;</li>
 *   <li>unless the number starts with '+', '(' or a trunk prefix '0', or contains parentheses: space-only grouping
 *       must be the North American 3-3-4 (optionally after "1"); two groups must be 3-7 with a dash (so ranges such as
 *       8000-9000 stay out); 3-2-4 is a social security number, not a phone number; spaces may precede dashes only
 *       after a leading "1" (otherwise the number starts at the dashed part, so a zip code before it is left out),
 *       and a space after a dash ends the number;</li>
 *   <li>13–15 digits without '+' that form a valid payment card number are left to the card detector.</li>
 * </ul>
 * Not matched: extensions ({@code x123}), letters for digits, full-width digits, '/' as a separator.
 *
 * <p>Pre-check: the text holds at least 8 digits and a '+', '(', space, tab, dash or dot.
 */
public final class PhoneDetector extends ScanningDetector {

    public static final String ID = "phone";

    private static final int MIN_DIGITS = 8;
    private static final int MAX_DIGITS = 15;
    private static final int MAX_GROUPS = 12;
    private static final char NONE = '\0';

    public PhoneDetector() {
        super(ID);
    }

    @Override
    boolean mayContain(String text, long profile) {
        // A formatting signal is required: '+', parentheses, or a space, dash or dot between groups.
        return TextProfile.digits(profile) >= MIN_DIGITS
                && ((profile & (TextProfile.PLUS | TextProfile.PARENTHESIS | TextProfile.BLANK | TextProfile.DASH)) != 0
                        || TextProfile.dots(profile) > 0);
    }

    @Override
    long next(String text, int from) {
        int n = text.length();
        int i = from;
        while (i < n) {
            char c = text.charAt(i);
            if ((c == '+' || c == '(' || Chars.isDigit(c)) && canStart(text, i)) {
                long result = candidate(text, i);
                if (result >= 0) {
                    return result;
                }
                i = Math.max(i + 1, (int) (-result - 1));
            } else {
                i++;
            }
        }
        return -1;
    }

    private static boolean isJoiner(char c) {
        return c == '-' || c == '.' || c == '/' || c == ':' || c == ',';
    }

    private static boolean canStart(String text, int i) {
        char c = text.charAt(i);
        if (c != '+' && c != '(' && Chars.isDigit(Chars.at(text, i - 1))) {
            return false; // inside a run of digits
        }
        if ((c == '+' || c == '(') && !Chars.isDigit(Chars.at(text, i + 1))) {
            return false;
        }
        if (i == 0) {
            return true;
        }
        char before = text.charAt(i - 1);
        if (Chars.isWordChar(before) || before == '+' || Chars.isDigit(before)) {
            return false;
        }
        char before2 = Chars.at(text, i - 2);
        return !(isJoiner(before) && (Chars.isDigit(before2) || before2 == before));
    }

    private static boolean endsCleanly(String text, int end) {
        if (end >= text.length()) {
            return true;
        }
        char after = text.charAt(end);
        char after2 = Chars.at(text, end + 1);
        if (Chars.isWordChar(after) || after == '%') {
            return false;
        }
        if ((isJoiner(after) || after == '+') && Chars.isDigit(after2)) {
            return false;
        }
        return !(after == '-' && after2 == '-');
    }

    /**
     * Reads the number starting at {@code start}: the packed match, or {@code -(resume + 1)} where the scan should go
     * on when the text there is not a phone number.
     */
    private static long candidate(String text, int start) {
        int n = text.length();
        int quick = quickDigitCount(text, start);
        if (quick < 0) {
            return quick; // fewer than 8 digits in the whole run: nothing to allocate for
        }
        int[] groupStart = new int[MAX_GROUPS];
        int[] groupDigits = new int[MAX_GROUPS];
        int[] groupValue = new int[MAX_GROUPS];
        char[] separator = new char[MAX_GROUPS]; // the separator before each group; NONE for the first and after ')'
        boolean plus = text.charAt(start) == '+';
        int p = plus ? start + 1 : start;
        boolean freeForm = plus || text.charAt(p) == '(' || text.charAt(p) == '0';
        int groups = 0;
        int parens = 0;
        int digits = 0;
        int end = start;
        boolean dashSeen = false;
        boolean tooMany = false;
        char pending = NONE;
        while (true) {
            if (groups == MAX_GROUPS) {
                tooMany = true;
                break;
            }
            char c = Chars.at(text, p);
            int digitsStart;
            int digitsEnd;
            int groupEnd;
            boolean paren = false;
            if (c == '(') {
                int q = p + 1;
                while (q < n && Chars.isDigit(text.charAt(q))) {
                    q++;
                }
                if (parens > 0 || q == p + 1 || q - p - 1 > 5 || Chars.at(text, q) != ')') {
                    break;
                }
                digitsStart = p + 1;
                digitsEnd = q;
                groupEnd = q + 1;
                paren = true;
                parens++;
            } else if (Chars.isDigit(c)) {
                int q = p;
                while (q < n && Chars.isDigit(text.charAt(q))) {
                    q++;
                }
                digitsStart = p;
                digitsEnd = q;
                groupEnd = q;
            } else {
                break;
            }
            groupStart[groups] = p;
            groupDigits[groups] = digitsEnd - digitsStart;
            groupValue[groups] = digitsEnd - digitsStart <= 4 ? number(text, digitsStart, digitsEnd) : -1;
            separator[groups] = pending;
            groups++;
            digits += digitsEnd - digitsStart;
            end = groupEnd;
            dashSeen |= pending == '-';
            char s = Chars.at(text, groupEnd);
            char afterS = Chars.at(text, groupEnd + 1);
            boolean separatorAhead =
                    (s == ' ' || s == '-' || s == '.') && (Chars.isDigit(afterS) || (afterS == '(' && parens == 0));
            if (separatorAhead && s == ' ' && dashSeen && !freeForm && parens == 0) {
                break; // "415-666-7777 1234": the space ends the number
            }
            if (separatorAhead) {
                pending = s;
                p = groupEnd + 1;
            } else if (paren && Chars.isDigit(s)) {
                pending = NONE; // "(0)20", "(449)978"
                p = groupEnd;
            } else {
                break;
            }
        }
        long reject = -(long) Math.max(end, start + 1) - 1;
        if (groups == 0 || tooMany || digits < MIN_DIGITS || digits > MAX_DIGITS || !endsCleanly(text, end)) {
            return reject;
        }
        if (!plus && parens == 0 && groups == 1) {
            return reject; // no formatting signal
        }
        boolean space = false;
        boolean dash = false;
        boolean dot = false;
        for (int g = 1; g < groups; g++) {
            space |= separator[g] == ' ';
            dash |= separator[g] == '-';
            dot |= separator[g] == '.';
        }
        for (int g = 0; g + 2 < groups; g++) {
            char s1 = separator[g + 1];
            if (s1 == separator[g + 2]
                    && (s1 == '-' || s1 == '.')
                    && isDate(
                            groupDigits[g],
                            groupValue[g],
                            groupDigits[g + 1],
                            groupValue[g + 1],
                            groupDigits[g + 2],
                            groupValue[g + 2])) {
                return reject;
            }
        }
        if (dot) {
            if (space || dash) {
                return reject;
            }
            boolean allShort = true;
            for (int g = 0; g < groups; g++) {
                if (groupDigits[g] < 2) {
                    return reject;
                }
                allShort &= groupDigits[g] <= 3;
            }
            if (groups == 4 && allShort) {
                return reject;
            }
        }
        if (!freeForm && parens == 0) {
            if (space
                    && !dash
                    && !dot
                    && !shape(groupDigits, groups, 3, 3, 4)
                    && !(shape(groupDigits, groups, 1, 3, 3, 4) && groupValue[0] == 1)) {
                return reject;
            }
            if (groups == 2 && !(dash && shape(groupDigits, groups, 3, 7))) {
                return reject;
            }
            if (shape(groupDigits, groups, 3, 2, 4)) {
                return reject;
            }
            if (space && dash) {
                int firstDash = 1;
                while (separator[firstDash] != '-') {
                    firstDash++;
                }
                if (!(firstDash == 2 && groupDigits[0] == 1 && groupValue[0] == 1)) {
                    return -(long) groupStart[firstDash - 1] - 1; // start again at the dashed part
                }
            }
        }
        if (!plus && digits >= 13 && PaymentCardDetector.valid(text, start, end)) {
            return reject;
        }
        return pack(start, end);
    }

    /**
     * Counts digits in the run of digits, separators and parentheses at {@code start}, stopping at 8. Returns 0 when
     * there are at least 8, else {@code -(end of run + 1)}: no number can start anywhere in a run that short.
     */
    private static int quickDigitCount(String text, int start) {
        int n = text.length();
        int q = start;
        int count = 0;
        while (q < n && count < MIN_DIGITS) {
            char c = text.charAt(q);
            if (Chars.isDigit(c)) {
                count++;
            } else if (c != ')'
                    && !((c == '+' || c == ' ' || c == '-' || c == '.' || c == '(')
                            && q + 1 < n
                            && (Chars.isDigit(text.charAt(q + 1)) || text.charAt(q + 1) == '('))) {
                break;
            }
            q++;
        }
        return count >= MIN_DIGITS ? 0 : -Math.max(q, start + 1) - 1;
    }

    private static boolean shape(int[] groupDigits, int groups, int... lengths) {
        if (groups != lengths.length) {
            return false;
        }
        for (int g = 0; g < groups; g++) {
            if (groupDigits[g] != lengths[g]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDate(int len1, int v1, int len2, int v2, int len3, int v3) {
        if (len1 == 4 && len2 == 2 && len3 == 2) {
            return isMonth(v2) && isDay(v3);
        }
        if (len1 == 2 && len2 == 2 && len3 == 4) {
            return (isDay(v1) && isMonth(v2)) || (isMonth(v1) && isDay(v2));
        }
        return false;
    }

    private static boolean isMonth(int v) {
        return v >= 1 && v <= 12;
    }

    private static boolean isDay(int v) {
        return v >= 1 && v <= 31;
    }

    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
