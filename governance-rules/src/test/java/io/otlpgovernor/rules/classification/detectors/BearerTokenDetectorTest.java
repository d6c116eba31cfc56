package io.otlpgovernor.rules.classification.detectors;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.otlpgovernor.rules.classification.detectors.Case.none;
import static io.otlpgovernor.rules.classification.detectors.Case.of;

class BearerTokenDetectorTest {

    private static final Detector DETECTOR = new BearerTokenDetector();

    // Cases from gitleaks/gitleaks cmd/generate/config/rules/curl.go (curl-auth-header, Bearer rows)
    static Stream<Case> gitleaks() {
        String long64 =
                "jC+6TUUjCNHcVtAXpcqBCgxnA8r+qD6MatnYaf/+289y7HWpK0BWPyLHv/K4DMN32fufwmeVVjlo8zjgBh8kx3GfS6IqO70w1DVMSCTwX"
                        + "7fhEpiXaxzv0mhSMHDX9Kw63Q6DkavUWUV+MDNhCF5wGQrcdQNncVRF3YkuDHDT/xw2YWyZ/DX8k+gAYiC8gcD8Ueg0ljBVS1IDwPjuGoF"
                        + "PESJVxYr0MDPF2D8Pn2S5rq692U4D9ZLuluS46VA4DK6ig5P7QM5XVXi4V7vXM8qpN/zqneyz+w4PUh6NIX7QG6JczMhYd9maWRWVat5jD"
                        + "dyII63P6sNAy9QZjw+ClW211Q==";
        return Stream.of(
                of(
                        "# curl -X GET \"http://localhost:3000/api/cron/status\" -H \"Authorization: Bearer "
                                + "cfcabd11c7ed9a41b1a3e063c32d5114\"",
                        "cfcabd11c7ed9a41b1a3e063c32d5114"),
                of(
                        "curl -X PUT -H 'Authorization: Bearer " + long64
                                + "' -d 'user={\"account\":\"user@domain.com\"}'"
                                + " http://127.0.0.1:8443/desks/1/occupy",
                        long64),
                of(
                        "  -H \"Authorization: Bearer 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\" \\",
                        "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"),
                of(
                        "     -H \"Authorization: Bearer _FXNljbSRYMWx3TWrd7lgKhLtVZX6iskC8Wcbb4b\" \\",
                        "_FXNljbSRYMWx3TWrd7lgKhLtVZX6iskC8Wcbb4b"),
                of(
                        "curl -H \"Authorization: Bearer sha256~bRLFnzd59Z3XpZH5_seJPHALOuvbWiKwbFKSsoALkgp\"",
                        "sha256~bRLFnzd59Z3XpZH5_seJPHALOuvbWiKwbFKSsoALkgp"),
                none("curl https://example.com/micropub -d h=entry -d \"content=Hello World\" -H \"Authorization: "
                        + "Bearer XXXXXXXXXXXX\""),
                none(
                        "curl -H \"Authorization: Bearer <Openverse API token>\" \"https://api.openverse.org/v1/audio/?q=test\""),
                none("-H \"Authorization: Bearer $API_KEY\" \\"),
                none("-H \"Authorization: Bearer $(gcloud auth print-access-token)\""));
    }

    // Examples of RFC 6750 (§2.1 header, §3 WWW-Authenticate) and RFC 6749 §4.2.2 (access token value)
    static Stream<Case> rfc6750() {
        return Stream.of(
                of("Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA", "2YotnFZFEjr1zCsicMWpAA"),
                // RFC 6750's own example token is 14 characters, below our minimum of 16.
                none("Authorization: Bearer mF_9.B5f-4.1JqM"),
                none("WWW-Authenticate: Bearer realm=\"example\""),
                none("WWW-Authenticate: Bearer realm=\"example\", error=\"invalid_token\", "
                        + "error_description=\"The access token expired\""));
    }

    // Cases for the rules of this detector: case, whitespace, padding, boundaries
    static Stream<Case> rules() {
        return Stream.of(
                of("authorization=BEARER 2YotnFZFEjr1zCsicMWpAA", "2YotnFZFEjr1zCsicMWpAA"),
                of("bearer\t2YotnFZFEjr1zCsicMWpAA", "2YotnFZFEjr1zCsicMWpAA"),
                of("Bearer   2YotnFZFEjr1zCsicMWpAA,", "2YotnFZFEjr1zCsicMWpAA"),
                of("Bearer dGhpcyBpcyBhIHRva2Vu==", "dGhpcyBpcyBhIHRva2Vu=="),
                of("{\"Authorization\":\"Bearer abc.def-ghi_jkl~mno+pqr/stu\"}", "abc.def-ghi_jkl~mno+pqr/stu"),
                of("Bearer a1 Bearer 2YotnFZFEjr1zCsicMWpAA", "2YotnFZFEjr1zCsicMWpAA"),
                none("bearer abc"),
                none("Bearer2YotnFZFEjr1zCsicMWpAA"),
                none("SomeBearer 2YotnFZFEjr1zCsicMWpAA"),
                none("Bearertoken 2YotnFZFEjr1zCsicMWpAA"),
                none("Bearer: 2YotnFZFEjr1zCsicMWpAA"),
                none("Bearer 2YotnFZFEjr1zCsicMWpAAé"),
                none("the bearer of this letter"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gitleaks")
    void gitleaksSuite(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc6750")
    void rfc6750(Case c) {
        c.check(DETECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rules(Case c) {
        c.check(DETECTOR);
    }
}
