package io.otlpgovernor.rules.classification.detectors;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.otlpgovernor.rules.classification.detectors.Case.at;
import static io.otlpgovernor.rules.classification.detectors.Case.none;
import static io.otlpgovernor.rules.classification.detectors.Case.of;
import static io.otlpgovernor.rules.classification.detectors.Case.whole;

class UsSsnDetectorTest {

    private static final Detector DETECTOR = new UsSsnDetector();

    // Cases from microsoft/presidio presidio-analyzer/tests/test_us_ssn_recognizer.py
    static Stream<Case> presidio() {
        return Stream.of(
                at("078051121", 0, 9),
                at("078-05-1123", 0, 11),
                at("078 05 1123", 0, 11),
                at("abc 078 05 1123 abc", 4, 15),
                none("0780511201"),
                none("078051120"),
                none("000000000"),
                none("666000000"),
                none("078-05-0000"),
                none("078 00 1123"),
                none("693-09.4444"),
                // Presidio reports these with a low or medium score; our rules accept a dash or a space as the one
                // separator, so dots and mixed groupings are not matched.
                none("078.05.1123"),
                none("078-051121 07805-1121"));
    }

    // Cases for the rules of this detector: never-issued areas, groups and serials, the advertising numbers
    // 078-05-1120 and 219-09-9999, and the bare form only when not part of a longer run
    static Stream<Case> rules() {
        return Stream.of(
                of("SSN: 536-22-1234.", "536-22-1234"),
                of("ssn=123-45-6789", "123-45-6789"),
                whole("123456789"),
                of("ids 536-22-1234, 536 22 1235", "536-22-1234", "536 22 1235"),
                of("\"ssn\":\"899-99-9999\"", "899-99-9999"),
                none("000-12-3456"),
                none("666-12-3456"),
                none("900-12-3456"),
                none("999-12-3456"),
                none("123-00-4567"),
                none("123-45-0000"),
                none("078-05-1120"),
                none("078 05 1120"),
                none("219-09-9999"),
                none("219099999"),
                none("1234567890"),
                none("12-123456789"),
                none("123456789.5"),
                none("0.123456789"),
                none("123-45-67890"),
                none("1-123-45-6789"),
                none("123 45 6789 0123"),
                none("12 123 45 6789"),
                none("x123456789"),
                none("123456789x"),
                none("415-555-2671"),
                none("123-456-789"),
                none("123-45 6789"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presidio")
    void presidioSuite(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rules(Case c) {
        c.check(DETECTOR);
    }
}
