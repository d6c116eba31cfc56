package io.otlpgovernor.rules.classification.detectors;

/**
 * Tokens after the {@code Bearer} authentication scheme (RFC 6750 §2.1), as in an {@code Authorization} header
 * value logged verbatim: "Bearer" in any case, as a whole word, then spaces or tabs, then the token — at least 16
 * characters of the b64token alphabet {@code [A-Za-z0-9-._~+/]} followed by any '=' padding. The match covers the
 * token only, so masking it keeps the scheme name readable. Parameters such as {@code Bearer realm="api"} are not
 * tokens (too short, and '=' is not followed by the token's end).
 *
 * <p>Pre-check: the text is at least 23 characters long ("bearer", a space, 16 token characters) and holds a 'b' or
 * 'B' and a space or tab; the scan then
 * looks further only at a 'b' or 'B' starting the word "bearer".
 */
public final class BearerTokenDetector extends ScanningDetector {

    public static final String ID = "bearer-token";

    private static final int MIN_TOKEN = 16;

    public BearerTokenDetector() {
        super(ID);
    }

    @Override
    boolean mayContain(String text, long profile) {
        return text.length() >= 6 + 1 + MIN_TOKEN && TextProfile.has(profile, TextProfile.LETTER_B | TextProfile.BLANK);
    }

    private static boolean isTokenChar(char c) {
        return Chars.isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }

    @Override
    long next(String text, int from) {
        int n = text.length();
        for (int i = from; i + 6 < n; i++) {
            char c = text.charAt(i);
            if ((c != 'b' && c != 'B') || !text.regionMatches(true, i, "bearer", 0, 6)) {
                continue;
            }
            if ((i > 0 && Chars.isWordChar(text.charAt(i - 1))) || Chars.isWordChar(text.charAt(i + 6))) {
                continue;
            }
            int start = i + 6;
            while (start < n && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
                start++;
            }
            if (start == i + 6) {
                continue;
            }
            int end = start;
            while (end < n && isTokenChar(text.charAt(end))) {
                end++;
            }
            int tokenChars = end - start;
            while (end < n && text.charAt(end) == '=') {
                end++;
            }
            if (tokenChars >= MIN_TOKEN && !Chars.isWordChar(Chars.at(text, end))) {
                return pack(start, end);
            }
            i = Math.max(i, end - 1);
        }
        return -1;
    }
}
