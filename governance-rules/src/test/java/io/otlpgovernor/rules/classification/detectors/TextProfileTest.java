package io.otlpgovernor.rules.classification.detectors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-pass profile, and that no detector's pre-check on it ever rules out a text its scan would match. */
class TextProfileTest {

    private static final String NOISE = "aZ09 .:@-_\tbB/=+()é日";
    private static final String PRIVATE_KEY =
            "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9"
                    + "Cnzj4p4WGeKLs1P\n-----END RSA PRIVATE KEY-----";

    @Test
    void countsAndFlagsWhatTheTextHolds() {
        long profile = TextProfile.of("Bearer ab-c_d user@x.io 10.0.0.1 fe80::1 GB82WEST");

        assertThat(TextProfile.digits(profile)).isEqualTo(10);
        assertThat(TextProfile.dots(profile)).isEqualTo(4);
        assertThat(TextProfile.colons(profile)).isEqualTo(2);
        assertThat(TextProfile.upperCase(profile)).isEqualTo(7);
        assertThat(TextProfile.has(
                        profile,
                        TextProfile.AT
                                | TextProfile.DASH
                                | TextProfile.UNDERSCORE
                                | TextProfile.BLANK
                                | TextProfile.LETTER_B
                                | TextProfile.UPPER_UPPER_DIGIT_DIGIT))
                .isTrue();
        assertThat(TextProfile.of("")).isZero();
        assertThat(TextProfile.has(TextProfile.of("G8B2 GB8 2GB"), TextProfile.UPPER_UPPER_DIGIT_DIGIT))
                .isFalse();
        assertThat(TextProfile.digits(TextProfile.of("1".repeat(1000)))).isEqualTo(255);
        // Too long to count exactly: nothing is ruled out.
        long huge = TextProfile.of("x".repeat(70_000));
        assertThat(TextProfile.digits(huge)).isEqualTo(255);
        assertThat(TextProfile.has(huge, TextProfile.AT | TextProfile.UPPER_UPPER_DIGIT_DIGIT))
                .isTrue();
    }

    @Test
    void noPreCheckRulesOutATextItsScanMatches() {
        Random random = new Random(20261206L);
        Map<String, Integer> matched = new HashMap<>();
        Map<String, Integer> ruledOut = new HashMap<>();
        for (int round = 0; round < 20_000; round++) {
            String text = randomText(random);
            long profile = TextProfile.of(text);
            for (Detector detector : BuiltInDetectors.all()) {
                ScanningDetector scanning = (ScanningDetector) detector;
                List<Long> unfiltered = scan(scanning, text);
                boolean passes = scanning.mayContain(text, profile);
                if (!unfiltered.isEmpty()) {
                    matched.merge(detector.id(), 1, Integer::sum);
                    assertThat(passes)
                            .as("%s pre-check on a text it matches (round %d)", detector.id(), round)
                            .isTrue();
                }
                if (!passes) {
                    ruledOut.merge(detector.id(), 1, Integer::sum);
                }
                assertThat(detector.find(text, profile).size()).isEqualTo(unfiltered.size());
            }
        }
        assertThat(matched.keySet())
                .as("every detector matched some texts, so the check means something")
                .containsExactlyInAnyOrderElementsOf(BuiltInDetectors.ids());
        assertThat(ruledOut.keySet())
                .as("every pre-check ruled some texts out")
                .containsExactlyInAnyOrderElementsOf(BuiltInDetectors.ids());
    }

    /** Up to four pieces of {@link DetectorRobustnessTest#PIECES} or a private key, in random noise. */
    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = random.nextInt(5);
        for (int i = 0; i <= pieces; i++) {
            for (int noise = random.nextInt(12); noise > 0; noise--) {
                text.append(NOISE.charAt(random.nextInt(NOISE.length())));
            }
            if (i < pieces) {
                int which = random.nextInt(DetectorRobustnessTest.PIECES.length + 1);
                String piece = which == DetectorRobustnessTest.PIECES.length
                        ? PRIVATE_KEY
                        : DetectorRobustnessTest.PIECES[which];
                text.append(random.nextInt(4) == 0 ? piece.trim() : piece);
            }
        }
        return text.toString();
    }

    /** Every match of the scan, without the pre-check. */
    private static List<Long> scan(ScanningDetector detector, String text) {
        List<Long> matches = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            long packed = detector.next(text, from);
            if (packed < 0) {
                break;
            }
            matches.add(packed);
            from = (int) packed;
        }
        return matches;
    }
}
