package io.otlpgovernor.rules.classification.detectors;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.otlpgovernor.rules.classification.detectors.Case.at;
import static io.otlpgovernor.rules.classification.detectors.Case.none;
import static io.otlpgovernor.rules.classification.detectors.Case.of;
import static io.otlpgovernor.rules.classification.detectors.Case.whole;

class PaymentCardDetectorTest {

    private static final Detector DETECTOR = new PaymentCardDetector();

    // Cases from microsoft/presidio presidio-analyzer/tests/test_credit_card_recognizer.py
    static Stream<Case> presidio() {
        return Stream.of(
                at("4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881", 0, 16, 17, 36, 37, 56),
                at("371449635398431", 0, 15),
                at("5555555555554444", 0, 16),
                at("5019717010103742", 0, 16),
                at("30569309025904", 0, 14),
                at("6011000400000000", 0, 16),
                at("3528000700000000", 0, 16),
                at("6759649826438453", 0, 16),
                at("4111111111111111", 0, 16),
                at("4917300800000000", 0, 16),
                at("4484070000000000", 0, 16),
                none("4012-8888-8888-1882"),
                none("my credit card number is 4012-8888-8888-1882"),
                none("36168002586008"),
                none("my credit card number is 36168002586008"),
                // Presidio accepts these UATP (AirPlus) numbers; our issuer list has no prefix 1, so we reject them.
                none("122000000000003"),
                none("my credit card: 122000000000003"));
    }

    // Test card numbers published by the card networks, as listed in the Stripe and PayPal/Braintree sandbox
    // documentation (Visa 13 and 16 digits, Mastercard 5- and 2-series, Amex, Discover, JCB, Diners, UnionPay)
    static Stream<Case> networkTestNumbers() {
        return Stream.of(
                whole("4222222222222"),
                whole("4000056655665556"),
                whole("5105105105105100"),
                whole("2223003122003222"),
                whole("378282246310005"),
                whole("378734493671000"),
                whole("6011111111111117"),
                whole("6011000990139424"),
                whole("3530111333300000"),
                whole("3566002020360505"),
                whole("38520000023237"),
                whole("36227206271667"),
                whole("6200000000000005"));
    }

    // Cases for the rules of this detector: grouping, boundaries, Luhn and issuer checks
    static Stream<Case> rules() {
        return Stream.of(
                whole("4111 1111 1111 1111"),
                whole("4111-1111-1111-1111"),
                whole("3782 822463 10005"),
                whole("3782-822463-10005"),
                whole("3056 930902 5904"),
                of("card=4111111111111111&exp=12/25", "4111111111111111"),
                of("pan: 5555 5555 5555 4444, cvv 123", "5555 5555 5555 4444"),
                of("pan 4111 1111 1111 1111 123", "4111 1111 1111 1111"),
                of("4111 1111 1111 1111 5555 5555 5555 4444", "4111 1111 1111 1111", "5555 5555 5555 4444"),
                of("qty 12 4111 1111 1111 1111", "4111 1111 1111 1111"),
                of("\"card\":\"4111111111111111\"", "4111111111111111"),
                none("4111111111111112"),
                none("41111111111111111111"),
                none("12344111111111111111"),
                none("x4111111111111111"),
                none("4111111111111111x"),
                none("4111 1111-1111 1111"),
                none("4111-1111-1111-1111-1111"),
                none("4111111111111111-22"),
                none("1.4111111111111111"),
                none("0000000000000000"),
                none("1700000000000"),
                none("2024-01-15 10:00:00.123456"),
                none("4111 11111 1111 1111 1"),
                of("5105 1051 0510 5100 7", "5105 1051 0510 5100"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presidio")
    void presidioSuite(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networkTestNumbers")
    void networkTestNumbers(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rules(Case c) {
        c.check(DETECTOR);
    }
}
