package io.otlpgovernor.rules.classification.detectors;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.otlpgovernor.rules.classification.detectors.Case.at;
import static io.otlpgovernor.rules.classification.detectors.Case.none;
import static io.otlpgovernor.rules.classification.detectors.Case.of;
import static io.otlpgovernor.rules.classification.detectors.Case.whole;

class PhoneDetectorTest {

    private static final Detector DETECTOR = new PhoneDetector();

    // Cases from microsoft/presidio presidio-analyzer/tests/test_phone_recognizer.py
    static Stream<Case> presidio() {
        return Stream.of(
                at("My US number is (415) 555-0132, and my international one is +1 415 555 0132", 16, 30, 60, 75),
                at("My Israeli number is 09-7625400", 21, 31),
                at("_: (415)555-0132", 3, 16),
                at("United States: (415)555-0132", 15, 28),
                at("US: 415-555-0132", 4, 16),
                at("_: +55 11 98456 5666", 3, 20),
                at("Brazil: +55 11 98456 5666", 8, 25),
                at("BR: +55 11 98456 5666", 4, 21));
    }

    // Cases from google/libphonenumber java/libphonenumber/test/com/google/i18n/phonenumbers/
    // PhoneNumberMatcherTest.java: numbers it finds (with their exact raw strings), and its IMPOSSIBLE_CASES
    static Stream<Case> libphonenumber() {
        return Stream.of(
                whole("+1 (650) 333-6000"),
                whole("1-650-333-6000"),
                whole("+64 3 331 6005"),
                whole("03-331 6005"),
                whole("03 331 6005"),
                whole("+39 02-36618 300"),
                whole("+54 9 343 555 1212"),
                whole("0343 15 555 1212"),
                whole("+54 11 3797 0000"),
                whole("011 3797 0000"),
                whole("+52 (449)978-0001"),
                whole("01 (449)978-0001"),
                whole("(449)978-0001"),
                whole("+52 1 33 1234-5678"),
                whole("044 (33) 1234-5678"),
                whole("045 33 1234-5678"),
                whole("415-666-7777"),
                whole("+1 415-666-7777"),
                whole("(415) 6667777"),
                whole("415-6667777"),
                whole("0800-2491234"),
                whole("01 (33) 3461 2234"),
                whole("(33) 3461 2234"),
                // libphonenumber's raw string includes the extension; ours ends before it.
                of("+44 2034567890 x456", "+44 2034567890"),
                of("(800) 901-3355 x 7246433", "(800) 901-3355"),
                of("1 415 666 7777 x 123", "1 415 666 7777"),
                of("My address is CA 34215 - 415-666-7777 is my number.", "415-666-7777"),
                of("My number is (415) 666 7777. 34215 is my zip-code.", "(415) 666 7777"),
                at("Call 650-253-4561 -- 455-234-3451", 5, 17, 21, 33),
                of("Tel: 415-666-7777 on Saturdays.", "415-666-7777"),
                of("我的电话号码是415-666-7777", "415-666-7777"),
                none("Call 650-253-4561--455-234-3451"),
                none("12345"),
                none("23456789"),
                none("234567890112"),
                none("650+253+1234"),
                none("3/10/1984"),
                none("03/27/2011"),
                none("31/8/2011"),
                none("1/12/2011"),
                none("10/12/82"),
                none("650x2531234"),
                none("2012-01-02 08:00"),
                none("2012/01/02 08:00"),
                none("20120102 08:00"),
                none("abc415-666-7777def"),
                none("415-666-7777%"),
                none("80.585 [79.964, 81.191]"),
                none("80.585 ((79.964)"),
                none("(80).(585) (79).(9)64"),
                // libphonenumber finds these without a formatting signal or with 'x' extensions; our rules need a
                // signal, so plain digits are never a number.
                none("4156667777"),
                none("033316005"));
    }

    // Cases for the rules of this detector: E.164, national formats with separators, and the numbers that look
    // like phone numbers but are not (counters, timestamps, ports, ids, IP addresses, dates, versions, cards)
    static Stream<Case> rules() {
        return Stream.of(
                whole("+14155552671"),
                whole("+1 (415) 555-2671"),
                whole("415-555-2671"),
                whole("+44 20 7946 0958"),
                whole("+44 (0)20 7946 0958"),
                whole("030 123456 78"),
                whole("415.555.2671"),
                whole("01.23.45.67.89"),
                whole("415 555 2671"),
                of("phone=+33 1 23 45 67 89;", "+33 1 23 45 67 89"),
                of("\"phone\":\"(415) 555-2671\"", "(415) 555-2671"),
                of("call 20241 440-600-5124", "440-600-5124"),
                of("Apt 12 415-555-2671", "415-555-2671"),
                of("415-666-7777 1234", "415-666-7777"),
                of("tel:+1-415-555-2671", "+1-415-555-2671"),
                none("1700000000000"),
                none("count 12345678"),
                none("port 8080"),
                none("id 1234 5678"),
                none("1000-2000"),
                none("ports 8000-9000"),
                none("10.0.0.1"),
                none("192.168.100.200"),
                none("192.168.100.200:8080"),
                none("10.20.30.40"),
                none("2024-01-15"),
                none("15.01.2024"),
                none("2024-01-15T10:20:30Z"),
                none("12:34:56.789"),
                none("1.22.333.4444"),
                none("v12.345.6789"),
                none("10.2.3.4-beta"),
                none("123-45-6789"),
                none("4111 1111 1111 1111"),
                none("4111-1111-1111-1111"),
                none("3782-822463-10005"),
                none("550e8400-e29b-41d4-a716-446655440000"),
                none("trace 4bf92f3577b34da6a3ce929d0e0e4736"),
                none("1,234,567,890"),
                none("2001:db8::1"),
                none("00-1A-2B-3C-4D-5E"),
                none("+1234567"),
                none("1234 5678 9012 3456 7890"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presidio")
    void presidioSuite(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libphonenumber")
    void libphonenumberSuite(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rules(Case c) {
        c.check(DETECTOR);
    }
}
