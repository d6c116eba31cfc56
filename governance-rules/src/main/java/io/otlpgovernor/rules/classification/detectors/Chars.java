package io.otlpgovernor.rules.classification.detectors;

/** Character classes shared by the detectors. ASCII-only unless stated otherwise; no allocation. */
final class Chars {

    private Chars() {}

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    static boolean isLetter(char c) {
        return isUpper(c) || isLower(c);
    }

    static boolean isAlnum(char c) {
        return isDigit(c) || isLetter(c);
    }

    static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** The URL-safe base64 alphabet of RFC 4648 §5 (JWT segments). */
    static boolean isBase64Url(char c) {
        return isAlnum(c) || c == '-' || c == '_';
    }

    /**
     * Whether {@code c} continues a word, so that a value next to it is part of a longer token: ASCII letters and
     * digits, '_', letters and digits of alphabetic scripts, and combining marks. Letters of scripts written without
     * spaces between words (Han, Kana, Hangul, Thai) do not count, so "电话415-555-2671" still yields the number.
     */
    static boolean isWordChar(char c) {
        if (c < 0x80) {
            return isAlnum(c) || c == '_';
        }
        if (Character.isLetterOrDigit(c)) {
            Character.UnicodeScript script = Character.UnicodeScript.of(c);
            return script != Character.UnicodeScript.HAN
                    && script != Character.UnicodeScript.HIRAGANA
                    && script != Character.UnicodeScript.KATAKANA
                    && script != Character.UnicodeScript.HANGUL
                    && script != Character.UnicodeScript.THAI;
        }
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    /** The character at {@code i}, or NUL outside the text. */
    static char at(String text, int i) {
        return i >= 0 && i < text.length() ? text.charAt(i) : '\0';
    }
}
