package io.otlpgovernor.rules.classification.detectors;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.otlpgovernor.rules.classification.detectors.Case.none;
import static io.otlpgovernor.rules.classification.detectors.Case.of;
import static io.otlpgovernor.rules.classification.detectors.Case.whole;

class CloudAccessKeyDetectorTest {

    private static final Detector DETECTOR = new CloudAccessKeyDetector();

    /** A GitHub personal access token shape: "ghp_" and 36 letters or digits. */
    private static final String GHP = "ghp_R2d2C3poLukeLeiaHan0123456789abcdEFG";

    // Cases from Yelp/detect-secrets tests/plugins/aws_key_test.py, gcp_api_test.py, slack_test.py and
    // stripe_key_test.py
    static Stream<Case> detectSecrets() {
        return Stream.of(
                whole("AKIAZZZZZZZZZZZZZZZZ"),
                none("akiazzzzzzzzzzzzzzzz"),
                none("AKIAZZZ"),
                whole("AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"),
                none("AIZA SNDSAUDHS ASASA DSIAOSIA"),
                whole("xoxp-523423-234243-234233-e039d02840a0b9379c"),
                whole("xoxs-523423-234243-234233-e039d02840a0b9379c"),
                whole("xoxa-511111111-31111111111-3111111111111-e039d02840a0b9379c"),
                whole("xoxa-2-511111111-31111111111-3111111111111-e039d02840a0b9379c"),
                whole("xoxr-523423-234243-234233-e039d02840a0b9379c"),
                whole("xoxb-34532454-e039d02840a0b9379c"),
                // detect-secrets also flags legacy "xoxo-" tokens and Slack webhook URLs; our rules cover
                // xox[baprs]- tokens only.
                none("xoxo-523423-234243-234233-e039d02840a0b9379c"),
                none("https://hooks.slack.com/services/Txxxxxxxx/Bxxxxxxxx/xxxxxxxxxxxxxxxxxxxxxxxx"),
                whole("sk_live_ReTllpYQYfIZu2Jnf2lAPFjD"),
                whole("rk_live_5TcWfjKmJgpql9hjpRnwRXbT"),
                none("pk_live_j5krY8XTgIcDaHDb3YrsAfCl"),
                none("sk_live_"));
    }

    // Cases from gitleaks/gitleaks cmd/generate/config/rules/aws.go, gcp.go, github.go and slack.go
    static Stream<Case> gitleaks() {
        return Stream.of(
                of("aws_access_key_id = \"AKIALALEMEL33243OLIB\"", "AKIALALEMEL33243OLIB"),
                none("msgstr \"Näytä asiakirjamallikansio.\""),
                none("TODAYINASIAASACKOFRICEFELLOVER"),
                // gitleaks drops these by entropy or allow-list (placeholders, AWS documentation key); this detector
                // has no entropy filter or allow-list, so they are found.
                of("key = AKIAXXXXXXXXXXXXXXXX", "AKIAXXXXXXXXXXXXXXXX"),
                of("aws_access_key: AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
                of("apiKey: \"AIzaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", "AIzaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                whole("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
                whole("AIzaSyNHxIf32IQ1a1yjl3ZJIqKZqzLAK1XhDk-"),
                none(
                        "GWw4hjABFzZCGiRpmlDyDdo87Jn9BN9THUA47muVRNunLxsa82tMAdvmrhOqNkRKiYMEAFbTJAIzaTesb6Tscfcni8vIpWZqNC"
                                + "XFDFslJtVSvFDq"),
                none("AIzaTesb6Tscfcni8vIpWZqNCXFDFslJtVSvFDqabcd123"),
                none("AIZASYCO2CXRMC9ELSKLHLHRMBSWDEVEDZTLO2O"),
                of(
                        "\"bot_token1\": \"xoxb-781236542736-2364535789652-GkwFDQoHqzXDVsC6GzqYUypD\"",
                        "xoxb-781236542736-2364535789652-GkwFDQoHqzXDVsC6GzqYUypD"),
                of(
                        "\"bot_token2\": \"xoxb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1MBS\"",
                        "xoxb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1MBS"),
                whole("xoxb-4614724432022-5152386766518-O5WzjWGLG0wcCm2WPrjEmnys"),
                whole("xoxp-41684372915-1320496754-45609968301-e708ba56e1517a99f6b5fb07349476ef"),
                whole("xoxp-283316862324-298911817009-298923149681-44f585044dace54f5701618e97cd1c0b"),
                whole("xoxb-263594206564-FGqddMF8t08v8N7Oq4i57vs1"),
                whole("xoxb-282029623751-BVtmnS3BQitmjZvjpQL7PSGP"),
                whole("xoxb-123456789012-Xw937qtWSXJss1lFaKe"),
                whole("xoxb-50014434-slacktokenx29U9X1bQ"),
                whole("xoxs-416843729158-132049654-5609968301-e708ba56e1"),
                whole("xoxs-3206092076-3204538285-3743137121-836b042620"),
                none("xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx"),
                none("xoxb-xxx"),
                none("xoxb-12345-abcd234"),
                none("xoxb-xoxb-my-bot-token"),
                none("\"token1\": \"xoxp-1234567890\""),
                none("\"token2\": \"xoxp-XXXXXXXXXX-XXXXXXXXXX-XXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\""),
                none("\"token3\": \"xoxp-1234-1234-1234-4ddbc191d40ee098cbaae6f3523ada2d\""),
                none("\"token4\": \"xoxp-572370529330-573807301142-572331691188-####################\""),
                none("xoxb-xxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx"),
                none("xoxb-Slack_BOT_TOKEN"),
                none("xoxb-abcdef-abcdef"),
                none("https://github.com/xoxa-nyc/xoxa-nyc.github.io/blob/master/README.md"),
                none("https://indieweb.org/images/3/35/2018-250-xoxo-indieweb-1.jpg"));
    }

    // Cases for the rules of this detector: every AWS prefix, GitHub token kinds, Stripe live keys, boundaries
    static Stream<Case> rules() {
        return Stream.of(
                whole("ASIAY34FZKBOKMUTVV7A"),
                whole("AGPAJQ5G2T6SXHFHBCEY"),
                whole("AIDAJQABLZS4A3QDU576"),
                whole("AROADBQP57FF2AEXAMPL"),
                whole("AIPAJQABLZS4A3QDU576"),
                whole("ANPAJ2UCCR6DPCEXAMPL"),
                whole("ANVAJQABLZS4A3QDU576"),
                of("export AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986; echo", "AKIA2E0A8F3B244C9986"),
                whole(GHP),
                whole("gho_16C7e42F292c6912E7710c838347Ae178B4a"),
                whole("ghu_16C7e42F292c6912E7710c838347Ae178B4a"),
                whole("ghs_16C7e42F292c6912E7710c838347Ae178B4a"),
                whole("ghr_1B4a2e77838347a7E420ce178F2E7c6912E1"),
                whole("github_pat_11ABCDEFG0123456789abc_"
                        + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvW"),
                whole("sk_live_4eC39HqLyjWDarjtT1zdp7dcXYZ"),
                whole("rk_live_51H8abcDEFghiJKLmnoPQRstu"),
                of("Authorization: token " + GHP + ".", GHP),
                none("xAKIAZZZZZZZZZZZZZZZZ"),
                none("AKIAZZZZZZZZZZZZZZZZZ"),
                none("AKIAzzzzzzzzzzzzzzzz"),
                none("AKIA-ZZZZZZZZZZZZZZZZ"),
                none(GHP + "H"),
                none(GHP.substring(0, 39)),
                none("my_" + GHP),
                none("GHP_" + GHP.substring(4)),
                none("sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
                none("sk_live_4eC39HqLyjWDarjtT1zdp7d"),
                none("xAIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"),
                none("xoxq-523423-234243-234233-e039d02840a0b9379c"));
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
