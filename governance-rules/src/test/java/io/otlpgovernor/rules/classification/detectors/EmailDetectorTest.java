package io.otlpgovernor.rules.classification.detectors;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.otlpgovernor.rules.classification.detectors.Case.at;
import static io.otlpgovernor.rules.classification.detectors.Case.none;
import static io.otlpgovernor.rules.classification.detectors.Case.of;
import static io.otlpgovernor.rules.classification.detectors.Case.whole;

class EmailDetectorTest {

    private static final Detector DETECTOR = new EmailDetector();

    // Cases from microsoft/presidio presidio-analyzer/tests/test_email_recognizer.py
    static Stream<Case> presidio() {
        return Stream.of(
                at("info@presidio.site", 0, 18),
                at("my email address is info@presidio.site", 20, 38),
                at("try one of these emails: info@presidio.site or anotherinfo@presidio.site", 25, 43, 47, 72),
                at("my email is info@presidio.site", 12, 30),
                none("my email is info@presidio."));
    }

    // Cases from Yelp/detect-secrets tests/plugins/email_address_test.py
    static Stream<Case> detectSecrets() {
        return Stream.of(
                whole("user@example.com"),
                whole("user.name@example.com"),
                whole("user_name@example.com"),
                whole("user-name@example.com"),
                whole("user+name@example.com"),
                whole("user.name+category@example.com"),
                of("This is an email address: user@example.com", "user@example.com"),
                of("user@example.com is a valid email address", "user@example.com"),
                whole("user@gmail.com"),
                whole("user@yahoo.com"),
                whole("user@hotmail.com"),
                // detect-secrets skips these through an allow-list of well-known addresses; we have no allow-list.
                whole("noreply@github.com"),
                whole("git@github.com"),
                none("user@com"),
                none("@example.com"),
                none("user@.com"),
                none("user@ex..com"),
                // detect-secrets accepts these three; our rules reject them: a domain label is letters, digits and
                // '-', and does not start or end with '-'.
                none("user@ex_ample.com"),
                none("user@-example.com"),
                none("user@example-.com"));
    }

    // Cases for the rules of this detector (local part per common practice, TLD of at least two letters)
    static Stream<Case> rules() {
        return Stream.of(
                of("Contact user.name+tag@example.co.uk today", "user.name+tag@example.co.uk"),
                of("write to jane.doe@mail.example.org.", "jane.doe@mail.example.org"),
                of("<a@b.io>,<c.d@e.fg>", "a@b.io", "c.d@e.fg"),
                of("mailto:ops-team@corp.example.com?subject=hi", "ops-team@corp.example.com"),
                of("\"user.email\": \"Jane.Doe@Example.COM\"", "Jane.Doe@Example.COM"),
                of("邮箱user@example.com", "user@example.com"),
                of("-- user@example.com --", "user@example.com"),
                none("user@example.c"),
                none("user@example.123"),
                none("user..name@example.com"),
                none("user.@example.com"),
                none("a@b@example.com"),
                none("user@example.com@other.org"),
                none("josé@example.com"),
                none("foo@bar"),
                none("user@exa mple.com"),
                none("version 1.2@3.4"),
                none("@@@"),
                none("user@example.coméé"));
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
    @MethodSource("rules")
    void rules(Case c) {
        c.check(DETECTOR);
    }
}
