package io.otlpgovernor.rules.classification.detectors;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.otlpgovernor.rules.classification.detectors.Case.none;
import static io.otlpgovernor.rules.classification.detectors.Case.of;
import static io.otlpgovernor.rules.classification.detectors.Case.whole;

class PrivateKeyDetectorTest {

    private static final Detector DETECTOR = new PrivateKeyDetector();

    private static final String BODY = "c3VwZXIgZHVwZXIgc2VjcmV0IHBhc3N3b3JkLCBzdXBlciBkdXBlciBzZWNyZXQgcGFzc3"
            + "dvcmQhMTIzNCMkJQpzdXBlciBkdXBlciBzZWNyZXQgcGFzc3dvcmQsIHN1cGVyIGR1cGVy"
            + "IHNlY3JldCBwYXNzd29yZCExMjM0IyQlCgo=";

    // Cases from Yelp/detect-secrets tests/plugins/private_key_test.py
    static Stream<Case> detectSecrets() {
        String escaped =
                "-----BEGIN RSA PRIVATE KEY-----\\nc3VwZXIgZHVwZXIgc2VjcmV0IHBhc3N3b3JkLCBzdXBlciBkdXBlciBzZ\\n"
                        + "WNyZXQgcGFzc3dvcmQhMTIzNCMkJQpzdXBlciBkdXBlciBzZWNyZXQgcGFzc3dvcmQsIHN1cGVyIGR1cGVyIHNlY3JldCBwYXNz"
                        + "d29yZCExMjM0IyQlCgo=\\n-----END RSA PRIVATE KEY-----";
        String plain = "-----BEGIN PRIVATE KEY-----\n" + BODY + "\n-----END PRIVATE KEY-----";
        return Stream.of(
                // JSON-escaped newlines, as in a log body.
                of("\"" + escaped + "\"", escaped),
                of("some text here\n" + plain, plain),
                // detect-secrets also flags PuTTY key files; they are not PEM blocks and out of our scope.
                none("some text here\nPuTTY-User-Key-File-2\nsecret key"));
    }

    // Cases from gitleaks/gitleaks cmd/generate/config/rules/privatekey.go
    static Stream<Case> gitleaks() {
        String openssh =
                "-----BEGIN PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAVwAAAAdzc2gtcn"
                        + "NhAAAAAwEAAQAAAEEAqPfgaTEWEP3S9w0tgsicURfo+nLW09/0KfOPinhYZ4ouzU+3xC4plEp8Ut9FgL0AgqNslNaK34Kq+NZjO9DA"
                        + "QAAATB+9/CSfvfwkgAAAAdzc2gtcnNhAAAAQQCo9+BpMRYQ/dL3DS2CyJxRF+j6ctbT3/Qp84+KeFhnii7NT7fELilKUSnxS30WAvQC"
                        + "Co2yU1orfgqr41mM70MBAAAAAwEAAQAAAEAgkuLEHLaqkWhLgNKagSajeobLS3rPT0Agm0f7k55FXVt743hwNgkp98bMNrzy9AQ1mJ"
                        + "GbQZGrpr4c8ZAx3aRNAAAAIBOs/5OiPgoTdSy7bcF9IGpSE8ZgGKzgYQVZeN97YE00AAAAIQCjEr8yAZ54u6Lfzkontk5iS2OEsE0AH"
                        + "r18rBNkWxQ2HQAAACEBCUEaRQnMnbp79mxDXDf6AU0cN/RPBjb9qSHDcWZHGzUAAAAXcGhwc2VjbGliLWdlbmVyYXRlZC1rZXkBAgME"
                        + "\n-----END PRIVATE KEY-----";
        String rsa =
                "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8QuKUpR"
                        + "KfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEmo3qGy0t6z09AIJtH+5OeRV1be+N4cDYJKffGzDa88v"
                        + "QENZiRm0GRq6a+HPGQMd2kTQIhAKMSvzIBnni7ot/OSie2TmJLY4SwTQAevXysE2RbFDYdAiEBCUEaRQnMnbp79mxDXDf6AU0cN/RPB"
                        + "jb9qSHDcWZHGzUCIG2Es59z8ugGrDY+pxLQnwfotadxd+Uyv/Ow5T0q5gIJAiEAyS4RaI9YG8EWx/2w0T67ZUVAw8eOMB6BIUg0Xcu+"
                        + "3okCIBOs/5OiPgoTdSy7bcF9IGpSE8ZgGKzgYQVZeN97Y==\n-----END RSA PRIVATE KEY-----";
        return Stream.of(whole(openssh), of(rsa + "\n", rsa));
    }

    // Cases for the rules of this detector: every PEM private-key label, unterminated blocks, non-key PEM blocks
    static Stream<Case> rules() {
        String ec = block("EC PRIVATE KEY");
        String dsa = block("DSA PRIVATE KEY");
        String openssh = block("OPENSSH PRIVATE KEY");
        String encrypted = block("ENCRYPTED PRIVATE KEY");
        String pgp = block("PGP PRIVATE KEY BLOCK");
        String truncated = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB";
        return Stream.of(
                whole(ec),
                whole(dsa),
                whole(openssh),
                whole(encrypted),
                whole(pgp),
                of("key loaded: " + ec + " (ok)", ec),
                of(ec + "\n" + dsa, ec, dsa),
                of("config dump: " + truncated, truncated),
                of(block("CERTIFICATE") + "\n" + ec, ec),
                none(block("CERTIFICATE")),
                none(block("PUBLIC KEY")),
                none(block("RSA PUBLIC KEY")),
                none("-----BEGIN XPRIVATE KEY-----\n" + BODY + "\n-----END XPRIVATE KEY-----"),
                none("-----BEGIN private key-----\n" + BODY),
                none("BEGIN RSA PRIVATE KEY"));
    }

    private static String block(String label) {
        return "-----BEGIN " + label + "-----\n" + BODY + "\n-----END " + label + "-----";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("detectSecrets")
    void detectSecretsSuite(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gitleaks")
    void gitleaksSuite(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rules(Case c) {
        c.check(DETECTOR);
    }
}
