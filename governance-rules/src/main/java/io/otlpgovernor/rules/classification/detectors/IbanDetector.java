package io.otlpgovernor.rules.classification.detectors;

/**
 * International Bank Account Numbers: a two-letter country code, two check digits and the country's basic bank
 * account number (BBAN) of upper-case letters and digits, written compactly ({@code DE89370400440532013000}) or in
 * groups of four separated by single spaces or single dashes ({@code GB82 WEST 1234 5698 7654 32}).
 *
 * <p>The total length must be the one the SWIFT IBAN registry gives for the country (countries not in the registry
 * are not matched) and the number must pass the ISO 7064 mod-97 check (remainder 1). The IBAN is not part of a
 * longer word: no letter, digit or '_' touches it (a further group after a complete group of four is allowed, so
 * {@code VG96 VPVG 0000 0123 4567 8901 X} yields the IBAN). Lower-case IBANs are not matched.
 *
 * <p>Pre-check: the text is at least 15 characters long (the shortest IBAN, Norway's) and somewhere holds two
 * upper-case letters followed by two digits; the scan then looks further
 * only at an upper-case letter pair followed by two digits, of a country in the registry.
 */
public final class IbanDetector extends ScanningDetector {

    public static final String ID = "iban";

    public IbanDetector() {
        super(ID);
    }

    /** Country code and IBAN length, from the SWIFT IBAN registry. */
    private static final String REGISTRY = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28"
            + " CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28"
            + " IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20"
            + " MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19"
            + " SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30";

    /** IBAN length indexed by (first letter - 'A') * 26 + (second letter - 'A'); 0 for countries without IBANs. */
    private static final byte[] LENGTHS = new byte[26 * 26];

    static {
        for (int i = 0; i + 4 <= REGISTRY.length(); i += 5) {
            int length = (REGISTRY.charAt(i + 2) - '0') * 10 + (REGISTRY.charAt(i + 3) - '0');
            LENGTHS[(REGISTRY.charAt(i) - 'A') * 26 + (REGISTRY.charAt(i + 1) - 'A')] = (byte) length;
        }
    }

    /** IBAN length for the country code {@code c1 c2} (upper-case letters), 0 when the country has none. */
    static int length(char c1, char c2) {
        return LENGTHS[(c1 - 'A') * 26 + (c2 - 'A')];
    }

    @Override
    boolean mayContain(String text, long profile) {
        return text.length() >= 15 && TextProfile.has(profile, TextProfile.UPPER_UPPER_DIGIT_DIGIT);
    }

    @Override
    long next(String text, int from) {
        int n = text.length();
        for (int i = from; i + 15 <= n; i++) {
            if (!Chars.isUpper(text.charAt(i))
                    || !Chars.isUpper(text.charAt(i + 1))
                    || !Chars.isDigit(text.charAt(i + 2))
                    || !Chars.isDigit(text.charAt(i + 3))) {
                continue;
            }
            if (i > 0 && Chars.isWordChar(text.charAt(i - 1))) {
                continue;
            }
            int length = length(text.charAt(i), text.charAt(i + 1));
            if (length == 0) {
                continue;
            }
            int end = bbanEnd(text, i + 4, length - 4);
            if (end > 0 && mod97(text, i, end) == 1) {
                return pack(i, end);
            }
        }
        return -1;
    }

    private static boolean isBbanChar(char c) {
        return Chars.isUpper(c) || Chars.isDigit(c);
    }

    /** End of a BBAN of {@code length} characters starting at {@code from}, compact or grouped, or -1. */
    private static int bbanEnd(String text, int from, int length) {
        int n = text.length();
        char first = Chars.at(text, from);
        if (isBbanChar(first)) {
            int end = from + length;
            if (end > n) {
                return -1;
            }
            for (int i = from; i < end; i++) {
                if (!isBbanChar(text.charAt(i))) {
                    return -1;
                }
            }
            return end < n && Chars.isWordChar(text.charAt(end)) ? -1 : end;
        }
        if (first != ' ' && first != '-') {
            return -1;
        }
        char separator = first;
        int p = from;
        int remaining = length;
        while (remaining > 0) {
            if (Chars.at(text, p) != separator) {
                return -1;
            }
            p++;
            int group = Math.min(4, remaining);
            for (int k = 0; k < group; k++, p++) {
                if (p >= n || !isBbanChar(text.charAt(p))) {
                    return -1;
                }
            }
            remaining -= group;
        }
        return p < n && Chars.isWordChar(text.charAt(p)) ? -1 : p;
    }

    /** ISO 7064 MOD 97-10 of the IBAN in {@code text[start, end)} with separators skipped. */
    private static int mod97(String text, int start, int end) {
        int remainder = 0;
        for (int i = start + 4; i < end; i++) {
            remainder = mod97Step(remainder, text.charAt(i));
        }
        for (int i = start; i < start + 4; i++) {
            remainder = mod97Step(remainder, text.charAt(i));
        }
        return remainder;
    }

    private static int mod97Step(int remainder, char c) {
        if (Chars.isDigit(c)) {
            return (remainder * 10 + (c - '0')) % 97;
        }
        if (Chars.isUpper(c)) {
            return (remainder * 100 + (c - 'A' + 10)) % 97;
        }
        return remainder; // separator
    }
}
