package io.otlpgovernor.rules.classification.detectors;

/**
 * IPv6 addresses in the text forms of RFC 4291 §2.2: full ({@code 2001:db8:0:0:8:800:200c:417a}), compressed with
 * one "::" ({@code 2001:db8::8:800:200c:417a}, {@code ::1}, {@code ::}), and with the last 32 bits as a dotted IPv4
 * address ({@code ::ffff:129.144.52.38}), each optionally followed by a zone ({@code fe80::1234%1},
 * {@code fe80::1%eth0}, RFC 4007 §11). Hexadecimal digits of either case.
 *
 * <p>Rejected: more than one "::", a group of more than four hex digits, more than eight groups (or seven with "::"),
 * fewer than eight without "::", a leading or trailing single ':', an embedded IPv4 address that is not a valid dotted
 * quad. The address is not part of a longer token: no letter, digit, '_' or '.' precedes it, and no ':' unless that
 * colon follows a word of non-hex letters ({@code ip:fe80::1}); no letter, digit or '_' follows it, nor ':' or '.'
 * continuing the run. A prefix length ({@code /64}), port or brackets are not part of the match.
 *
 * <p>Pre-check: the text holds at least two colons.
 */
public final class Ipv6Detector extends ScanningDetector {

    public static final String ID = "ipv6";

    public Ipv6Detector() {
        super(ID);
    }

    @Override
    boolean mayContain(String text, long profile) {
        return TextProfile.colons(profile) >= 2;
    }

    @Override
    long next(String text, int from) {
        for (int colon = text.indexOf(':', from); colon >= 0; colon = text.indexOf(':', colon + 1)) {
            int start = colon;
            while (start > from && colon - start < 4 && Chars.isHex(text.charAt(start - 1))) {
                start--;
            }
            if (!cleanStart(text, start)) {
                continue;
            }
            long found = parseAt(text, start);
            if (found >= 0) {
                return found;
            }
        }
        return -1;
    }

    private static boolean cleanStart(String text, int start) {
        if (start == 0) {
            return true;
        }
        char before = text.charAt(start - 1);
        if (Chars.isWordChar(before) || before == '.') {
            return false;
        }
        if (before == ':') {
            char before2 = Chars.at(text, start - 2);
            return start >= 2 && Chars.isWordChar(before2) && !Chars.isHex(before2);
        }
        return true;
    }

    private static boolean isZoneChar(char c) {
        return Chars.isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static long parseAt(String text, int start) {
        int n = text.length();
        int p = start;
        int groups = 0;
        boolean compressed = false;
        if (Chars.at(text, p) == ':') {
            if (Chars.at(text, p + 1) != ':') {
                return -1;
            }
            compressed = true;
            p += 2;
        }
        while (Chars.isHex(Chars.at(text, p))) {
            int q = p;
            while (q < n && Chars.isHex(text.charAt(q)) && q - p <= 4) {
                q++;
            }
            if (Chars.at(text, q) == '.') {
                int end = ipv4End(text, p);
                if (end < 0) {
                    return -1;
                }
                groups += 2;
                p = end;
                break;
            }
            if (q - p > 4 || ++groups > 8) {
                return -1;
            }
            p = q;
            if (Chars.at(text, p) != ':') {
                break;
            }
            if (Chars.at(text, p + 1) == ':') {
                if (compressed) {
                    return -1;
                }
                compressed = true;
                p += 2;
            } else if (Chars.isHex(Chars.at(text, p + 1))) {
                p++;
            } else {
                break; // a trailing single colon belongs to the text: "address fe80::1: unreachable"
            }
        }
        if (compressed ? groups > 7 : groups != 8) {
            return -1;
        }
        int end = p;
        if (Chars.at(text, end) == '%' && Chars.isAlnum(Chars.at(text, end + 1))) {
            int zoneEnd = end + 1;
            while (zoneEnd < n && isZoneChar(text.charAt(zoneEnd))) {
                zoneEnd++;
            }
            while (text.charAt(zoneEnd - 1) == '.') {
                zoneEnd--;
            }
            end = zoneEnd;
        }
        if (end >= n) {
            return pack(start, end);
        }
        char after = text.charAt(end);
        char after2 = Chars.at(text, end + 1);
        if (Chars.isWordChar(after)
                || (after == ':' && (Chars.isHex(after2) || after2 == ':' || text.charAt(end - 1) == ':'))
                || (after == '.' && Chars.isDigit(after2))) {
            return -1;
        }
        return pack(start, end);
    }

    /** End of the dotted quad starting at {@code from}, or -1 when it is not a valid one. */
    private static int ipv4End(String text, int from) {
        int n = text.length();
        int end = from;
        int dots = 0;
        while (end < n
                && (Chars.isDigit(text.charAt(end))
                        || (text.charAt(end) == '.' && dots < 3 && Chars.isDigit(Chars.at(text, end + 1))))) {
            if (text.charAt(end) == '.') {
                dots++;
            }
            end++;
        }
        return Ipv4Detector.parse(text, from, end) == 4 ? end : -1;
    }
}
