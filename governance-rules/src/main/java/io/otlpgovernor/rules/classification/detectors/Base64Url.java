package io.otlpgovernor.rules.classification.detectors;

/** Decodes unpadded base64url (RFC 4648 §5) from a range of a string without intermediate strings. */
final class Base64Url {

    private Base64Url() {}

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '-') {
            return 62;
        }
        return c == '_' ? 63 : -1;
    }

    /** The bytes encoded in {@code text[from, to)}, or null when it is not valid unpadded base64url. */
    static byte[] decode(String text, int from, int to) {
        int length = to - from;
        if (length % 4 == 1) {
            return null;
        }
        byte[] out = new byte[length * 3 / 4];
        int o = 0;
        int buffer = 0;
        int bits = 0;
        for (int i = from; i < to; i++) {
            int v = value(text.charAt(i));
            if (v < 0) {
                return null;
            }
            buffer = (buffer << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[o++] = (byte) (buffer >> bits);
            }
        }
        return out;
    }
}
