package io.otlpgovernor.rules.classification.detectors;

/**
 * Strict check that bytes are one JSON object (RFC 8259) and nothing else but whitespace. Validates structure only;
 * builds nothing. Nesting is limited so no input can exhaust the stack.
 */
final class JsonObjects {

    private static final int MAX_DEPTH = 32;

    private final byte[] in;
    private int pos;

    private JsonObjects(byte[] in) {
        this.in = in;
    }

    static boolean isObject(byte[] bytes) {
        if (bytes == null) {
            return false;
        }
        JsonObjects parser = new JsonObjects(bytes);
        parser.skipWhitespace();
        if (parser.peek() != '{' || !parser.value(0)) {
            return false;
        }
        parser.skipWhitespace();
        return parser.pos == bytes.length;
    }

    private int peek() {
        return pos < in.length ? in[pos] & 0xff : -1;
    }

    private void skipWhitespace() {
        while (pos < in.length && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
            pos++;
        }
    }

    private boolean value(int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        skipWhitespace();
        int c = peek();
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true");
            case 'f':
                return literal("false");
            case 'n':
                return literal("null");
            default:
                return c == '-' || (c >= '0' && c <= '9') ? number() : false;
        }
    }

    private boolean object(int depth) {
        pos++; // '{'
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return true;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"' || !string()) {
                return false;
            }
            skipWhitespace();
            if (peek() != ':') {
                return false;
            }
            pos++;
            if (!value(depth + 1)) {
                return false;
            }
            skipWhitespace();
            int c = peek();
            pos++;
            if (c == '}') {
                return true;
            }
            if (c != ',') {
                return false;
            }
        }
    }

    private boolean array(int depth) {
        pos++; // '['
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return true;
        }
        while (true) {
            if (!value(depth + 1)) {
                return false;
            }
            skipWhitespace();
            int c = peek();
            pos++;
            if (c == ']') {
                return true;
            }
            if (c != ',') {
                return false;
            }
        }
    }

    private boolean string() {
        pos++; // opening quote
        while (pos < in.length) {
            int c = in[pos++] & 0xff;
            if (c == '"') {
                return true;
            }
            if (c < 0x20) {
                return false;
            }
            if (c == '\\') {
                int e = peek();
                pos++;
                if (e == 'u') {
                    for (int k = 0; k < 4; k++) {
                        int h = peek();
                        pos++;
                        boolean hex = (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
                        if (!hex) {
                            return false;
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0 || e < 0) {
                    return false;
                }
            }
        }
        return false;
    }

    private boolean literal(String word) {
        for (int k = 0; k < word.length(); k++) {
            if (peek() != word.charAt(k)) {
                return false;
            }
            pos++;
        }
        return true;
    }

    private boolean number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            return false;
        }
        if (peek() == '.') {
            pos++;
            if (!digits()) {
                return false;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                return false;
            }
        }
        return pos > start;
    }

    private boolean digits() {
        int start = pos;
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
        return pos > start;
    }
}
