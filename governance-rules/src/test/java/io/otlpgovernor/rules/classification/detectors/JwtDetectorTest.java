package io.otlpgovernor.rules.classification.detectors;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.otlpgovernor.rules.classification.detectors.Case.none;
import static io.otlpgovernor.rules.classification.detectors.Case.of;
import static io.otlpgovernor.rules.classification.detectors.Case.whole;

class JwtDetectorTest {

    private static final Detector DETECTOR = new JwtDetector();

    /** RFC 7519 §3.1 example JWT (HS256; the header contains CR LF). */
    static final String RFC7519_JWT = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    /** RFC 7519 §6.1 example unsecured JWT ({"alg":"none"}, empty signature). */
    static final String RFC7519_UNSECURED = "eyJhbGciOiJub25lIn0"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.";

    private static final String JWT_IO = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
            + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    // Examples of RFC 7519 (§3.1 JWT, §6.1 unsecured JWT)
    static Stream<Case> rfc7519() {
        return Stream.of(
                whole(RFC7519_JWT),
                whole(RFC7519_UNSECURED),
                of("Authorization: Bearer " + RFC7519_JWT, RFC7519_JWT),
                of("token=" + RFC7519_UNSECURED + " next", RFC7519_UNSECURED),
                of("\"id_token\":\"" + RFC7519_JWT + "\"", RFC7519_JWT));
    }

    // Cases from Yelp/detect-secrets tests/plugins/jwt_test.py
    static Stream<Case> detectSecrets() {
        return Stream.of(
                whole(JWT_IO),
                whole("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IsWww6HFkcOtIMOWxZHDqcO"
                        + "oIiwiaWF0IjoxNTE2MjM5MDIyfQ.k5HibI_uLn_RTuPcaCNkaVaQH2y5q6GvJg8GPpGMRwQ"),
                none(
                        "{\"alg\":\"HS256\",\"typ\":\"JWT\"}.{\"name\":\"Jon Doe\"}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
                none(
                        "bm90X3ZhbGlkX2pzb25fYXRfYWxs.bm90X3ZhbGlkX2pzb25fYXRfYWxs.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
                none("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"),
                none("jwt"),
                none(
                        "eyJhbasdGciOiJIUaddasdasfsasdasdzI1NiIasdsInR5cCI6IkpXVCasdJasd9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZ"
                                + "SI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
                none("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxN"
                        + "TE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
                none("eyJAAAA.eyJBBB"),
                none("eyJBB.eyJCC.eyJDDDD"),
                // detect-secrets flags these two-segment strings; without the second dot they are not a JWS compact
                // serialization, so our rules do not match them.
                none("eyJ0eXAiOiJKV1QiLA0KImFsZyI6IkhTMjU2In0.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0"
                        + "IjoxNTE2MjM5MDIyfQ"),
                none("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiSm9lIiwKInN0YXR1cyI6ImVtcGxveWVlIgp9"),
                none("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0Ijo"
                        + "xNTE2MjM5MDIyfQ"));
    }

    // Cases from gitleaks/gitleaks cmd/generate/config/rules/curl.go and jwt.go
    static Stream<Case> gitleaks() {
        String curlJwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjb25maWRlbmNlIjowLjh9"
                + ".kvRPfjAhLhtRTczoRgctVGp7KY1QVH3UBZM-gM0x8ec";
        return Stream.of(
                of("curl -L -H \"Authorization:" + curlJwt + "\" service1.local -> correct jwt ", curlJwt),
                of(
                        "curl -X POST -H \"Content-Type: application/json\" -H \"Authorization: Basic " + curlJwt
                                + "\" \\",
                        curlJwt),
                // jwt.go's true positive has a mangled header ("alg" with garbage bytes) that is not JSON; gitleaks
                // matches by shape only, our rules require the header to decode to a JSON object.
                none(
                        "JWT := eyJhbGciOieeeiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwic3Vi"
                                + "ZSI6IjEyMzQ1Njc4OTAiLCJuYW1lZWEiOiJKb2huIERvZSJ9.a_5icKBDo-8EjUlrfvz2k2k-FYaindQ0DEYNrlsnRG0"));
    }

    // Cases for the rules of this detector: boundaries, padding, JWE, header checks
    static Stream<Case> rules() {
        return Stream.of(
                of("https://example.com/cb?access_token=" + JWT_IO + "&state=xyz", JWT_IO),
                of(JWT_IO + "==", JWT_IO + "=="),
                of(JWT_IO + "\n" + RFC7519_JWT, JWT_IO, RFC7519_JWT),
                none("x" + JWT_IO),
                none(JWT_IO + "x.y"),
                none(JWT_IO + ".eyJmb28iOiJiYXIifQ.c2ln"),
                none("." + JWT_IO),
                // Five segments: a JWE (header of RFC 7516 Appendix A.1, other segments abridged), not matched.
                none("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCV"
                        + ".48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6ji.XFBoMYUZod"
                        + "etZdvTiFvSkQ"),
                // Headers that decode to '{"}' (unterminated) and '{"a":1},{' (trailing text); an empty payload; a
                // header of two bytes.
                none("eyJ9.eyJzdWIiOiIxIn0.c2ln"),
                none("eyJhIjoxfSx7.eyJzdWIiOiIxIn0.c2ln"),
                none("eyJhbGciOiJub25lIn0..c2ln"),
                none("eyJ.eyJ.eyJ"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc7519")
    void rfc7519(Case c) {
        c.check(DETECTOR);
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
