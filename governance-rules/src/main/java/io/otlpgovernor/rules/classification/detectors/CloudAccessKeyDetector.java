package io.otlpgovernor.rules.classification.detectors;

/**
 * Access keys and tokens of cloud and SaaS providers, recognised by their documented prefixes and shapes:
 * <ul>
 *   <li>AWS access key ids: {@code AKIA ASIA AGPA AIDA AROA AIPA ANPA ANVA} followed by 16 upper-case letters or
 *       digits;</li>
 *   <li>Google API keys: {@code AIza} followed by 35 characters of {@code [0-9A-Za-z_-]};</li>
 *   <li>GitHub tokens: {@code ghp_ gho_ ghu_ ghs_ ghr_} followed by 36 letters or digits, and fine-grained personal
 *       access tokens {@code github_pat_} followed by 82 characters of {@code [0-9A-Za-z_]};</li>
 *   <li>Slack tokens {@code xoxb- xoxa- xoxp- xoxr- xoxs-} followed by dash-separated segments of letters and
 *       digits: at least two segments, the first all digits, one of at least six digits, and the last at least eight
 *       characters long with a letter in it (this keeps placeholders like {@code xoxb-your-token} out);</li>
 *   <li>Stripe live secret and restricted keys: {@code sk_live_ rk_live_} followed by at least 24 letters or
 *       digits.</li>
 * </ul>
 * A key is never part of a longer token: the character before it is not a letter, digit or '_' (nor '-' for the
 * Google key), and the key ends where its alphabet ends — a key followed by more characters of its alphabet is not
 * matched. Upper/lower case must be as documented.
 *
 * <p>Pre-check: the text is at least 20 characters long (the shortest key, an AWS key id, has 20) and holds two
 * upper-case letters, a '_' or a '-' (every prefix above has one of them).
 */
public final class CloudAccessKeyDetector extends ScanningDetector {

    public static final String ID = "cloud-access-key";

    private static final String[] AWS_PREFIXES = {"AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA"};
    private static final String[] GITHUB_PREFIXES = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"};

    public CloudAccessKeyDetector() {
        super(ID);
    }

    @Override
    boolean mayContain(String text, long profile) {
        return text.length() >= 20
                && (TextProfile.upperCase(profile) >= 2
                        || TextProfile.has(profile, TextProfile.UNDERSCORE)
                        || TextProfile.has(profile, TextProfile.DASH));
    }

    @Override
    long next(String text, int from) {
        int n = text.length();
        for (int i = from; i < n; i++) {
            char c = text.charAt(i);
            int end;
            switch (c) {
                case 'A':
                    end = aws(text, i);
                    if (end < 0) {
                        end = google(text, i);
                    }
                    break;
                case 'g':
                    end = github(text, i);
                    break;
                case 'x':
                    end = slack(text, i);
                    break;
                case 's':
                case 'r':
                    end = stripe(text, i);
                    break;
                default:
                    continue;
            }
            if (end > 0) {
                return pack(i, end);
            }
        }
        return -1;
    }

    private static boolean isAlnumOrUnderscore(char c) {
        return Chars.isAlnum(c) || c == '_';
    }

    private static boolean startsAny(String text, int i, String[] prefixes) {
        for (String prefix : prefixes) {
            if (text.startsWith(prefix, i)) {
                return true;
            }
        }
        return false;
    }

    private static int aws(String text, int i) {
        if ((i > 0 && Chars.isAlnum(text.charAt(i - 1))) || !startsAny(text, i, AWS_PREFIXES)) {
            return -1;
        }
        int end = i + 4;
        while (end < text.length() && (Chars.isUpper(text.charAt(end)) || Chars.isDigit(text.charAt(end)))) {
            end++;
        }
        return end - i == 20 && !Chars.isAlnum(Chars.at(text, end)) ? end : -1;
    }

    private static boolean isGoogleChar(char c) {
        return Chars.isAlnum(c) || c == '_' || c == '-';
    }

    private static int google(String text, int i) {
        if ((i > 0 && isGoogleChar(text.charAt(i - 1))) || !text.startsWith("AIza", i)) {
            return -1;
        }
        int end = i + 4;
        while (end < text.length() && isGoogleChar(text.charAt(end))) {
            end++;
        }
        return end - i == 39 ? end : -1;
    }

    private static int github(String text, int i) {
        if (i > 0 && isAlnumOrUnderscore(text.charAt(i - 1))) {
            return -1;
        }
        if (startsAny(text, i, GITHUB_PREFIXES)) {
            int end = i + 4;
            while (end < text.length() && Chars.isAlnum(text.charAt(end))) {
                end++;
            }
            return end - i == 40 && !isAlnumOrUnderscore(Chars.at(text, end)) ? end : -1;
        }
        if (text.startsWith("github_pat_", i)) {
            int end = i + 11;
            while (end < text.length() && isAlnumOrUnderscore(text.charAt(end))) {
                end++;
            }
            return end - i == 93 ? end : -1;
        }
        return -1;
    }

    private static int slack(String text, int i) {
        if ((i > 0 && isAlnumOrUnderscore(text.charAt(i - 1)))
                || !text.startsWith("xox", i)
                || "baprs".indexOf(Chars.at(text, i + 3)) < 0
                || Chars.at(text, i + 4) != '-') {
            return -1;
        }
        int n = text.length();
        int end = i + 5;
        while (end < n && (Chars.isAlnum(text.charAt(end)) || text.charAt(end) == '-')) {
            end++;
        }
        if (end < n && text.charAt(end) == '_') {
            return -1; // continues as an identifier: "xoxb-Slack_BOT_TOKEN"
        }
        while (end > i + 5 && text.charAt(end - 1) == '-') {
            end--;
        }
        // Segments of text[i + 5, end), separated by single dashes.
        int segments = 0;
        boolean firstDigits = false;
        boolean longDigits = false;
        int segmentStart = i + 5;
        int lastStart = segmentStart;
        for (int p = segmentStart; p <= end; p++) {
            if (p < end && text.charAt(p) != '-') {
                continue;
            }
            if (p == segmentStart) {
                return -1; // empty segment, "--"
            }
            boolean allDigits = true;
            for (int k = segmentStart; k < p; k++) {
                allDigits &= Chars.isDigit(text.charAt(k));
            }
            if (segments == 0) {
                firstDigits = allDigits;
            }
            longDigits |= allDigits && p - segmentStart >= 6;
            segments++;
            lastStart = segmentStart;
            segmentStart = p + 1;
        }
        if (segments < 2 || !firstDigits || !longDigits || end - lastStart < 8) {
            return -1;
        }
        for (int k = lastStart; k < end; k++) {
            if (Chars.isLetter(text.charAt(k))) {
                return end;
            }
        }
        return -1;
    }

    private static int stripe(String text, int i) {
        if ((i > 0 && isAlnumOrUnderscore(text.charAt(i - 1)))
                || !(text.startsWith("sk_live_", i) || text.startsWith("rk_live_", i))) {
            return -1;
        }
        int end = i + 8;
        while (end < text.length() && Chars.isAlnum(text.charAt(end))) {
            end++;
        }
        return end - i >= 32 && Chars.at(text, end) != '_' ? end : -1;
    }
}
