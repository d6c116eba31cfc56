package io.otlpgovernor.rules.classification.detectors;

/**
 * JSON Web Tokens in JWS compact serialization (RFC 7519 §3, RFC 7515 §7.1): three base64url segments separated by
 * dots, {@code header.payload.signature}. The header starts with {@code eyJ} (base64 of <code>{"</code>) and must
 * decode to a JSON object; the payload must not be empty; the signature may be empty (an unsecured JWT, RFC 7519 §6,
 * ends with the second dot, which is part of the match). Up to two '=' padding characters after the signature are
 * included.
 *
 * <p>The token is not part of a longer one: no base64url character or '.' precedes it, and no base64url character
 * follows it, nor a '.' starting a further segment (JWE tokens, which have five segments, are not matched). Two
 * segments without the second dot are not a JWT.
 *
 * <p>Pre-check: the text holds two dots and contains "eyJ".
 */
public final class JwtDetector extends ScanningDetector {

    public static final String ID = "jwt";

    /** Headers longer than this (base64url characters) are not decoded; real ones with certificate chains fit. */
    private static final int MAX_HEADER = 16 * 1024;

    public JwtDetector() {
        super(ID);
    }

    @Override
    boolean mayContain(String text, long profile) {
        return TextProfile.dots(profile) >= 2 && text.contains("eyJ");
    }

    @Override
    long next(String text, int from) {
        int i = text.indexOf("eyJ", from);
        while (i >= 0) {
            int headerEnd = segmentEnd(text, i);
            long found = tokenAt(text, i, headerEnd);
            if (found >= 0) {
                return found;
            }
            i = text.indexOf("eyJ", Math.max(i + 1, headerEnd));
        }
        return -1;
    }

    private static int segmentEnd(String text, int from) {
        int end = from;
        while (end < text.length() && Chars.isBase64Url(text.charAt(end))) {
            end++;
        }
        return end;
    }

    private static long tokenAt(String text, int start, int headerEnd) {
        char before = Chars.at(text, start - 1);
        if (start > 0 && (Chars.isBase64Url(before) || before == '.')) {
            return -1;
        }
        if (Chars.at(text, headerEnd) != '.' || !Chars.isBase64Url(Chars.at(text, headerEnd + 1))) {
            return -1;
        }
        int payloadEnd = segmentEnd(text, headerEnd + 1);
        if (Chars.at(text, payloadEnd) != '.') {
            return -1;
        }
        int end = segmentEnd(text, payloadEnd + 1);
        for (int pad = 0; pad < 2 && Chars.at(text, end) == '='; pad++) {
            end++;
        }
        char after = Chars.at(text, end);
        if (Chars.isBase64Url(after) || after == '=' || (after == '.' && Chars.isBase64Url(Chars.at(text, end + 1)))) {
            return -1;
        }
        if (headerEnd - start > MAX_HEADER || !JsonObjects.isObject(Base64Url.decode(text, start, headerEnd))) {
            return -1;
        }
        return pack(start, end);
    }
}
