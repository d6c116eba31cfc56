package io.otlpgovernor.rules.classification.detectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every built-in detector on large, degenerate and unusual input: it must not throw, its matches must be in order,
 * non-overlapping and inside the text, and it must agree with {@link Detector#matches}. Runs large inputs without
 * timing assertions; a super-linear scanner would show up as a test that takes far too long.
 */
class DetectorRobustnessTest {

    private static final int ONE_MB = 1 << 20;

    static Stream<Detector> detectors() {
        return BuiltInDetectors.all().stream();
    }

    /** Every kind of value and near-miss the detectors look for. */
    static final String[] PIECES = {
        "GET /api/v1/users/12345 HTTP/1.1 ",
        "user=jane.doe+tag@example.co.uk ",
        "email: info@presidio. ",
        "card 4111 1111 1111 1111 ",
        "order 12345678901234567890 ",
        "ssn 536-22-1234 ",
        "ts=1700000000000 ",
        "iban DE89 3704 0044 0532 0130 00 ",
        "iban GB82WEST12345698765432 ",
        "tel +1 (415) 555-2671 ",
        "call 030 123456 78 ",
        "2024-01-15T10:20:30.123Z ",
        "client 192.168.0.1:8080 ",
        "v1.2.3.4-beta ",
        "peer 2001:db8::1%eth0 ",
        "mac 00:1A:2B:3C:4D:5E ",
        "std::string ",
        "Authorization: Bearer ",
        JwtDetectorTest.RFC7519_JWT,
        " ",
        "AKIAIOSFODNN7EXAMPLE ",
        "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe ",
        "xoxb-263594206564-FGqddMF8t08v8N7Oq4i57vs1 ",
        "sk_live_ReTllpYQYfIZu2Jnf2lAPFjD ",
        "eyJ.eyJ. ",
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE----- ",
        "@@ :: -- .. ",
        "日本語テキスト ",
        "ünïcödé 😀 ",
        "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 ",
        "\n",
        "\t",
    };

    /** About 1 MB of log-like text mixing {@link #PIECES}. */
    static String mixedText() {
        String[] pieces = PIECES;
        Random random = new Random(42);
        StringBuilder text = new StringBuilder(ONE_MB + 256);
        while (text.length() < ONE_MB) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        // One private key at the end, unterminated, so the private-key detector also runs to the end of the text.
        text.append("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1P");
        return text.toString();
    }

    /** Inputs built to defeat naive scanners: long runs of the characters each detector keys on. */
    static List<String> degenerateTexts() {
        List<String> texts = new ArrayList<>();
        texts.add("1".repeat(ONE_MB));
        texts.add("1 ".repeat(ONE_MB / 2));
        texts.add("1-".repeat(ONE_MB / 2));
        texts.add("1.".repeat(ONE_MB / 2));
        texts.add("1:".repeat(ONE_MB / 2));
        texts.add(":".repeat(ONE_MB));
        texts.add("a".repeat(ONE_MB) + "@");
        texts.add("a@".repeat(ONE_MB / 2));
        texts.add("a.".repeat(ONE_MB / 2) + "@b.com");
        texts.add("eyJ".repeat(ONE_MB / 3));
        texts.add("eyJ.".repeat(ONE_MB / 4));
        texts.add("AKIA".repeat(ONE_MB / 4));
        texts.add("xoxb-1".repeat(ONE_MB / 6));
        texts.add("bearer ".repeat(ONE_MB / 7));
        texts.add("Bearer " + "a".repeat(ONE_MB));
        texts.add("-----BEGIN ".repeat(ONE_MB / 11));
        texts.add("-----BEGIN PRIVATE KEY-----".repeat(ONE_MB / 27));
        texts.add("DE89 ".repeat(ONE_MB / 5));
        texts.add("(1) ".repeat(ONE_MB / 4));
        texts.add("+1 ".repeat(ONE_MB / 3));
        texts.add("4111 ".repeat(ONE_MB / 5));
        return texts;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("detectors")
    void runsOnOneMegabyteOfMixedText(Detector detector) {
        String text = mixedText();
        List<Detector.Match> found = detector.find(text);
        assertWellFormed(detector, text, found);
        assertThat(found)
                .as(detector.id() + " finds something in the mixed text")
                .isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("detectors")
    void runsOnDegenerateText(Detector detector) {
        for (String text : degenerateTexts()) {
            List<Detector.Match> found = detector.find(text);
            assertWellFormed(detector, text, found);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("detectors")
    void emptyWhitespaceAndUnicodeTextDoNotThrow(Detector detector) {
        String[] texts = {
            "",
            " ",
            "\t\n\r ",
            "\u00a0\u2028\u2029\u3000",
            "日本語のテキスト",
            "ünïcödé façade naïve",
            "😀😃😄",
            "\ud83d",
            "\ude00abc\ud83d",
            "\u0000\u0001\u007f",
            "עברית ومرحبا",
            "e\u0301\u0301",
            "\uFF0B\uFF11\uFF15",
            "@",
            ":",
            ".",
            "-",
            "+",
            "(",
            "eyJ",
            "Bearer",
            "-----BEGIN ",
            "-----BEGIN PRIVATE KEY-----",
            "::",
            "1",
        };
        for (String text : texts) {
            List<Detector.Match> found = detector.find(text);
            assertWellFormed(detector, text, found);
        }
        assertThat(detector.find(null)).isEmpty();
        assertThat(detector.matches(null)).isFalse();
        assertThat(detector.find("")).isSameAs(Detector.Match.NONE);
    }

    @Test
    void sensitiveKeyNamesHandlesUnusualKeys() {
        SensitiveKeyNames names = new SensitiveKeyNames();
        for (String key : new String[] {"", " ", "😀", "\ud83d", "a".repeat(100_000), "._-/", "Ω.password"}) {
            names.isSensitive(key);
        }
        assertThat(names.isSensitive("Ω.password")).isTrue();
    }

    private static void assertWellFormed(Detector detector, String text, List<Detector.Match> found) {
        int previousEnd = 0;
        for (Detector.Match match : found) {
            assertThat(match.start())
                    .as("%s: ordered, non-overlapping", detector.id())
                    .isGreaterThanOrEqualTo(previousEnd);
            assertThat(match.end()).as("%s: inside the text", detector.id()).isLessThanOrEqualTo(text.length());
            previousEnd = match.end();
        }
        assertThat(detector.matches(text))
                .as("%s: matches agrees with find", detector.id())
                .isEqualTo(!found.isEmpty());
    }
}
