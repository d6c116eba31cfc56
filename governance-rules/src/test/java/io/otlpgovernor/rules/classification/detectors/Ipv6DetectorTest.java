package io.otlpgovernor.rules.classification.detectors;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.otlpgovernor.rules.classification.detectors.Case.at;
import static io.otlpgovernor.rules.classification.detectors.Case.none;
import static io.otlpgovernor.rules.classification.detectors.Case.of;
import static io.otlpgovernor.rules.classification.detectors.Case.whole;

class Ipv6DetectorTest {

    private static final Detector DETECTOR = new Ipv6Detector();

    // Cases from microsoft/presidio presidio-analyzer/tests/test_ip_recognizer.py (IPv6 rows)
    static Stream<Case> presidio() {
        return Stream.of(
                at("microsoft.com 684D:1111:222:3333:4444:5555:6:77", 14, 47),
                at("my ip: 684D:1111:222:3333:4444:5555:6:77", 7, 40),
                none("684D:1111:222:3333:4444:5555:77"),
                whole("2345:0425:2CA1:0000:0000:0567:5673:23b5"),
                whole("2345:0425:2CA1::0567:5673:23b5"),
                at("Use local ipv6 ::", 15, 17));
    }

    // Examples of RFC 4291 §2.2 (text forms) and §2.3 (prefixes; the prefix length is not part of the address)
    static Stream<Case> rfc4291() {
        return Stream.of(
                whole("ABCD:EF01:2345:6789:ABCD:EF01:2345:6789"),
                whole("2001:DB8:0:0:8:800:200C:417A"),
                whole("FF01:0:0:0:0:0:0:101"),
                whole("0:0:0:0:0:0:0:1"),
                whole("0:0:0:0:0:0:0:0"),
                whole("2001:DB8::8:800:200C:417A"),
                whole("FF01::101"),
                whole("::1"),
                whole("::"),
                whole("0:0:0:0:0:0:13.1.68.3"),
                whole("0:0:0:0:0:FFFF:129.144.52.38"),
                whole("::13.1.68.3"),
                whole("::FFFF:129.144.52.38"),
                of("2001:0DB8:0000:CD30:0000:0000:0000:0000/60", "2001:0DB8:0000:CD30:0000:0000:0000:0000"),
                of("2001:0DB8::CD30:0:0:0:0/60", "2001:0DB8::CD30:0:0:0:0"),
                of("2001:0DB8:0:CD30::/60", "2001:0DB8:0:CD30::"),
                // RFC 4291 §2.3 lists these as not legal representations of the prefix 2001:0DB8:0:CD30::/60. The
                // first is not an address at all (four groups, no "::"); the other two are valid addresses
                // (2001:db8::cd30, 2001:db8::cd3), only not that prefix, so they are found.
                none("2001:0DB8:0:CD3/60"),
                of("2001:0DB8::CD30/60", "2001:0DB8::CD30"),
                of("2001:0DB8::CD3/60", "2001:0DB8::CD3"));
    }

    // Examples of RFC 5952 (§1, §2.1–2.4 alternative forms of one address; §6 address with port)
    static Stream<Case> rfc5952() {
        return Stream.of(
                whole("2001:db8:0:0:1:0:0:1"),
                whole("2001:0db8:0:0:1:0:0:1"),
                whole("2001:db8::1:0:0:1"),
                whole("2001:db8::0:1:0:0:1"),
                whole("2001:0db8::1:0:0:1"),
                whole("2001:db8:0:0:1::1"),
                whole("2001:db8:0000:0:1::1"),
                whole("2001:DB8:0:0:1::1"),
                whole("2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001"),
                whole("2001:db8:aaaa:bbbb:cccc:dddd:eeee:001"),
                whole("2001:db8:aaaa:bbbb:cccc:dddd:eeee:01"),
                whole("2001:db8:aaaa:bbbb:cccc:dddd:eeee:1"),
                whole("2001:db8:aaaa:bbbb:cccc:dddd::1"),
                whole("2001:db8:aaaa:bbbb:cccc:dddd:0:1"),
                whole("2001:db8:0:0:0::1"),
                whole("2001:db8:0:0::1"),
                whole("2001:db8:0::1"),
                whole("2001:db8::1"),
                whole("2001:db8::aaaa:0:0:1"),
                whole("2001:db8:0:0:aaaa::1"),
                whole("2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa"),
                whole("2001:db8:aaaa:bbbb:cccc:dddd:eeee:AAAA"),
                whole("2001:db8:aaaa:bbbb:cccc:dddd:eeee:AaAa"),
                of("[2001:db8::1]:80", "2001:db8::1"),
                of("http://[2001:db8::1]:80/", "2001:db8::1"));
    }

    // Examples of RFC 4007 §11.3 (scoped addresses with a zone index)
    static Stream<Case> rfc4007() {
        return Stream.of(whole("fe80::1234%1"), whole("ff02::5678%5"), whole("ff08::9abc%10"));
    }

    // Cases from validatorjs/validator.js test/validators.test.js (isIP, unversioned and version 6)
    static Stream<Case> validatorJs() {
        return Stream.of(
                whole("::1"),
                whole("2001:db8:0000:1:1:1:1:1"),
                whole("2001:db8:3:4::192.0.2.33"),
                whole("2001:41d0:2:a141::1"),
                whole("::ffff:127.0.0.1"),
                whole("::0000"),
                whole("0000::"),
                whole("1::"),
                whole("1111:1:1:1:1:1:1:1"),
                whole("fe80::a6db:30ff:fe98:e946"),
                whole("::"),
                whole("::8"),
                whole("::ffff:255.255.255.255"),
                whole("::ffff:0:255.255.255.255"),
                whole("::2:3:4:5:6:7:8"),
                whole("::255.255.255.255"),
                whole("0:0:0:0:0:ffff:127.0.0.1"),
                whole("1:2:3:4:5:6:7::"),
                whole("1:2:3:4:5:6::8"),
                whole("1::7:8"),
                whole("1:2:3:4:5::7:8"),
                whole("1:2:3:4:5::8"),
                whole("1::6:7:8"),
                whole("1:2:3:4::6:7:8"),
                whole("1:2:3:4::8"),
                whole("1::5:6:7:8"),
                whole("1:2:3::5:6:7:8"),
                whole("1:2:3::8"),
                whole("1::4:5:6:7:8"),
                whole("1:2::4:5:6:7:8"),
                whole("1:2::8"),
                whole("1::3:4:5:6:7:8"),
                whole("1::8"),
                whole("fe80::7:8%eth0"),
                whole("fe80::7:8%1"),
                whole("64:ff9b::192.0.2.33"),
                whole("0:0:0:0:0:0:10.0.0.1"),
                whole("ff08::9abc%interface10"),
                whole("ff02::5678%pvc1.3"),
                none("abc"),
                none("127.0.0.1"),
                none("::banana"),
                none("banana::"),
                none("::1banana"),
                none("::1::"),
                none("1:"),
                none(":1"),
                none(":1:1:1::2"),
                none("1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1"),
                none("::11111"),
                none("11111:1:1:1:1:1:1:1"),
                none("2001:db8:0000:1:1:1:1::1"),
                none("0:0:0:0:0:0:ffff:127.0.0.1"),
                none("0:0:0:0:ffff:127.0.0.1"),
                none("::ffff:287.0.0.1"),
                none("fe80%fe80%"),
                none("%"));
    }

    // Cases for the rules of this detector: times, MAC addresses, scoped names in code, URLs, boundaries
    static Stream<Case> rules() {
        return Stream.of(
                of("client 2001:db8::42 connected", "2001:db8::42"),
                of("peer=fe80::1%eth0.", "fe80::1%eth0"),
                of("address fe80::1: unreachable", "fe80::1"),
                of("ip:2001:db8::7", "2001:db8::7"),
                of("2001:db8::1, 2001:db8::2", "2001:db8::1", "2001:db8::2"),
                none("12:34:56"),
                none("10:20:30.123"),
                none("2024-01-15T10:20:30Z"),
                none("00:1A:2B:3C:4D:5E"),
                none("std::string"),
                none("Foo::Bar"),
                none("a:b"),
                none("1::2::3"),
                none("1:2:3:4:5:6:7:8:9"),
                none("12345::1"),
                none("http://example.com:8080/"),
                none("id:fe80::1"),
                none("2001:db8::g"),
                none(":::"),
                none("2001:0DB8::CD30:0:0:0:0:0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presidio")
    void presidioSuite(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc4291")
    void rfc4291(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc5952")
    void rfc5952(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc4007")
    void rfc4007(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validatorJs")
    void validatorJsSuite(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rules(Case c) {
        c.check(DETECTOR);
    }
}
