package io.otlpgovernor.rules.classification.detectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SensitiveKeyNamesTest {

    private static final SensitiveKeyNames NAMES = new SensitiveKeyNames();

    @Test
    void id() {
        assertThat(NAMES.id()).isEqualTo("sensitive-key-name");
    }

    // Key names from Yelp/detect-secrets tests/plugins/keyword_test.py that it treats as secret keywords
    @ParameterizedTest
    @ValueSource(strings = {"apikey", "my_password", "the_password", "private_key", "secret", "password"})
    void detectSecretsKeywords(String key) {
        assertThat(NAMES.isSensitive(key)).as(key).isTrue();
    }

    // Key names from Yelp/detect-secrets tests/plugins/keyword_test.py that are not keywords there either ("key" alone
    // is too noisy), and ones it matches as substrings where our rule is whole words only
    @ParameterizedTest
    @ValueSource(strings = {"some_key", "theapikey", "fooapikeyfoo", "theapikeyforfoo", "fooprivate_keyfoo"})
    void detectSecretsNonKeywordsAndSubstrings(String key) {
        assertThat(NAMES.isSensitive(key)).as(key).isFalse();
    }

    // OpenTelemetry semantic-convention attribute names: http.request.header.<key>, http.response.header.<key>,
    // session.id and session.previous_id name secrets; gen_ai token counters and types do not
    @ParameterizedTest
    @ValueSource(
            strings = {
                "http.request.header.authorization",
                "http.response.header.set-cookie",
                "http.request.header.cookie",
                "http.request.header.x-api-key",
                "session.id",
                "session.previous_id"
            })
    void semanticConventionsSensitive(String key) {
        assertThat(NAMES.isSensitive(key)).as(key).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "gen_ai.usage.input_tokens",
                "gen_ai.usage.output_tokens",
                "gen_ai.token.type",
                "http.request.method",
                "url.full",
                "user_agent.original",
                "server.address",
                "enduser.id",
                "http.request.header.content-type",
                "llm.token_count.prompt"
            })
    void semanticConventionsNotSensitive(String key) {
        assertThat(NAMES.isSensitive(key)).as(key).isFalse();
    }

    // Every term of the rule, in the spellings keys come in: dotted, snake_case, kebab-case, camelCase, UPPER_CASE
    @ParameterizedTest
    @ValueSource(
            strings = {
                "user.password",
                "DB_PASSWORD",
                "dbPassword",
                "userPassword",
                "passwd",
                "pwd",
                "client_secret",
                "clientSecret",
                "token",
                "access_token",
                "accessToken",
                "refresh_token",
                "X-Auth-Token",
                "oauth.token",
                "api_key",
                "apiKey",
                "APIKey",
                "X-Api-Key",
                "aws.access_key",
                "AWS_ACCESS_KEY_ID",
                "accessKey",
                "private_key",
                "privateKey",
                "tls.privatekey",
                "authorization",
                "Authorization",
                "auth",
                "http.auth",
                "cookie",
                "Set-Cookie",
                "setCookie",
                "session",
                "sessionId",
                "user.ssn",
                "SSN",
                "social_security",
                "socialSecurityNumber",
                "credit_card",
                "creditCardNumber",
                "creditcard",
                "card_number",
                "cardNumber",
                "cc_number",
                "ccNumber",
                "cvv",
                "cvv2",
                "CVC",
                "iban",
                "bank.iban",
                "account_number",
                "accountNumber",
                "dob",
                "user.dob",
                "date_of_birth",
                "dateOfBirth",
                "date-of-birth"
            })
    void sensitive(String key) {
        assertThat(NAMES.isSensitive(key)).as(key).isTrue();
    }

    // Whole words only: these contain a term's letters but not the term as a word
    @ParameterizedTest
    @ValueSource(
            strings = {
                "author",
                "tokenizer_version",
                "passage",
                "authority",
                "oauth",
                "authorName",
                "secretary",
                "cookies_enabled",
                "passwords_checked",
                "keyboard",
                "card.brand",
                "account.id",
                "birth_year",
                "date",
                "private",
                "social.media",
                "api.version",
                "access_log",
                "tokens",
                "sessions_active",
                "passport",
                "accountNumbers",
                "dobby",
                "",
                " ",
                "..",
                "日本語"
            })
    void notSensitive(String key) {
        assertThat(NAMES.isSensitive(key)).as(key).isFalse();
    }

    @Test
    void nullIsNotSensitive() {
        assertThat(NAMES.isSensitive(null)).isFalse();
    }

    @Test
    void splitsKeysIntoLowerCaseWords() {
        assertThat(SensitiveKeyNames.words("http.request.header.X-Api-Key"))
                .containsExactly("http", "request", "header", "x", "api", "key");
        assertThat(SensitiveKeyNames.words("XMLHttpRequest_userPassword2"))
                .containsExactly("xml", "http", "request", "user", "password", "2");
        assertThat(SensitiveKeyNames.words("APIKey")).containsExactly("api", "key");
    }
}
