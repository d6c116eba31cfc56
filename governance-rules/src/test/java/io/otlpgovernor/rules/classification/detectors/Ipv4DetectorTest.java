package io.otlpgovernor.rules.classification.detectors;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.otlpgovernor.rules.classification.detectors.Case.at;
import static io.otlpgovernor.rules.classification.detectors.Case.none;
import static io.otlpgovernor.rules.classification.detectors.Case.of;
import static io.otlpgovernor.rules.classification.detectors.Case.whole;

class Ipv4DetectorTest {

    private static final Detector DETECTOR = new Ipv4Detector();

    // Cases from microsoft/presidio presidio-analyzer/tests/test_ip_recognizer.py (IPv4 rows)
    static Stream<Case> presidio() {
        return Stream.of(at("microsoft.com 192.168.0.1", 14, 25), none("my ip: 192.168.0"));
    }

    // Cases from Yelp/detect-secrets tests/plugins/ip_address_test.py
    static Stream<Case> detectSecrets() {
        return Stream.of(
                whole("133.133.133.133"),
                of("This line has an IP address 133.133.133.133@something else", "133.133.133.133"),
                of("133.133.133.133:8080", "133.133.133.133"),
                of(
                        "This line has an IP address: 133.133.133.133:8080@something else @something else",
                        "133.133.133.133"),
                whole("1.1.1.1"),
                // detect-secrets ignores non-public addresses; for governance every address is personal data.
                whole("127.0.0.1"),
                whole("10.0.0.1"),
                whole("172.16.0.1"),
                whole("192.168.0.1"),
                none("256.256.256.256"),
                none("1.2.3"),
                none("noreply@github.com"),
                none("github.com"),
                // detect-secrets finds addresses inside these; our rules reject longer dotted runs and octets with
                // leading zeros.
                none("1.2.3.4.5.6"),
                none("1.2.3.4.5.6.7.8"),
                none("1.2.3.04"));
    }

    // Cases from validatorjs/validator.js test/validators.test.js (isIP, version 4 and unversioned)
    static Stream<Case> validatorJs() {
        return Stream.of(
                whole("127.0.0.1"),
                whole("0.0.0.0"),
                whole("255.255.255.255"),
                whole("1.2.3.4"),
                whole("255.0.0.1"),
                whole("0.0.1.1"),
                none("137.132.10.01"),
                none("0.256.0.256"),
                none("255.256.255.256"),
                none("256.0.0.0"),
                none("0.0.0.256"),
                none("26.0.0.256"),
                none("0200.200.200.200"),
                none("200.0200.200.200"),
                none("200.200.0200.200"),
                none("200.200.200.0200"),
                none("abc"));
    }

    // Cases for the decisions of this detector: version strings, ranges, prefixes, ports, sentence ends
    static Stream<Case> rules() {
        return Stream.of(
                of("ping 8.8.8.8.", "8.8.8.8"),
                of("10.0.0.0/8", "10.0.0.0"),
                of("[192.0.2.1]:443", "192.0.2.1"),
                of("10.0.0.1-10.0.0.9", "10.0.0.1", "10.0.0.9"),
                of("client=203.0.113.7, proxy=198.51.100.23", "203.0.113.7", "198.51.100.23"),
                of("http://192.0.2.10/index.html", "192.0.2.10"),
                // A bare four-part version cannot be told from an address.
                of("version 1.2.3.4", "1.2.3.4"),
                // The IPv4 part of an IPv4-mapped IPv6 address is found too (the ipv6 detector finds the whole).
                of("::ffff:192.0.2.128", "192.0.2.128"),
                none("v1.2.3.4"),
                none("10.2.3.4-beta"),
                none("1.2.3.4+build.5"),
                none("2024.01.15"),
                none("1.2.3.4a"),
                none("a1.2.3.4"),
                none("192.168.1.1.1"),
                none("x.192.168.1.1"),
                none("1..2.3.4"),
                none("999.1.1.1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presidio")
    void presidioSuite(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("detectSecrets")
    void detectSecretsSuite(Case c) {
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
