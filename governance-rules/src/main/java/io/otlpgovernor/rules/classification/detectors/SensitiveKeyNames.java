package io.otlpgovernor.rules.classification.detectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recognises attribute keys that name secrets or personal data, so their values can be governed whatever they
 * contain: {@code user.password}, {@code http.request.header.authorization}, {@code X-Api-Key}, {@code dbPassword}.
 *
 * <p>The key is split into words at separators ({@code . _ - /}, spaces, any non-alphanumeric character), at
 * camelCase boundaries ({@code userPassword}, {@code APIKey}) and between letters and digits ({@code cvv2}), and the
 * words are lower-cased. The key is sensitive when one of its words, or a run of consecutive words, is a sensitive
 * term: password, passwd, pwd, secret, token, auth, authorization, cookie, session, ssn, cvv, cvc, iban, dob;
 * api key, access key, private key, set cookie, social security, credit card, card number, cc number, account
 * number, date of birth; and the same terms written as one word (apikey, accesskey, privatekey, setcookie,
 * socialsecurity, creditcard, cardnumber, ccnumber, accountnumber, dateofbirth) plus common one-word compounds
 * (sessionid, accesstoken, refreshtoken, authtoken, secretkey). Whole words only: {@code author},
 * {@code tokenizer_version} and {@code passage} are not sensitive. {@code token} followed by {@code type} or
 * {@code count} describes tokens rather than holding one ({@code gen_ai.token.type}, {@code llm.token_count}) and
 * is not sensitive; plurals are not terms ({@code gen_ai.usage.input_tokens} counts tokens).
 *
 * <p>Immutable and thread-safe. Splitting a key allocates a little; attribute keys repeat, so callers on the hot
 * path can cache the answer per key.
 */
public final class SensitiveKeyNames {

    public static final String ID = "sensitive-key-name";

    private static final Set<String> WORDS = Set.of(
            "password",
            "passwd",
            "pwd",
            "secret",
            "token",
            "auth",
            "authorization",
            "cookie",
            "session",
            "ssn",
            "cvv",
            "cvc",
            "iban",
            "dob",
            "apikey",
            "accesskey",
            "privatekey",
            "setcookie",
            "socialsecurity",
            "creditcard",
            "cardnumber",
            "ccnumber",
            "accountnumber",
            "dateofbirth",
            "sessionid",
            "accesstoken",
            "refreshtoken",
            "authtoken",
            "secretkey");

    private static final List<List<String>> PHRASES = List.of(
            List.of("api", "key"),
            List.of("access", "key"),
            List.of("private", "key"),
            List.of("set", "cookie"),
            List.of("social", "security"),
            List.of("credit", "card"),
            List.of("card", "number"),
            List.of("cc", "number"),
            List.of("account", "number"),
            List.of("date", "of", "birth"));

    private static final Set<String> NOT_AFTER_TOKEN = Set.of("type", "count");

    public String id() {
        return ID;
    }

    /** Whether {@code attributeKey} names a secret or personal data. */
    public boolean isSensitive(String attributeKey) {
        if (attributeKey == null || attributeKey.isEmpty()) {
            return false;
        }
        List<String> words = words(attributeKey);
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (WORDS.contains(word)) {
                boolean describesTokens =
                        word.equals("token") && i + 1 < words.size() && NOT_AFTER_TOKEN.contains(words.get(i + 1));
                if (!describesTokens) {
                    return true;
                }
            }
            for (List<String> phrase : PHRASES) {
                if (startsWith(words, i, phrase)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean startsWith(List<String> words, int from, List<String> phrase) {
        if (from + phrase.size() > words.size()) {
            return false;
        }
        for (int k = 0; k < phrase.size(); k++) {
            if (!words.get(from + k).equals(phrase.get(k))) {
                return false;
            }
        }
        return true;
    }

    /** The lower-cased words of {@code key}. */
    static List<String> words(String key) {
        List<String> words = new ArrayList<>(4);
        StringBuilder word = new StringBuilder();
        int n = key.length();
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                flush(words, word);
                continue;
            }
            if (word.length() > 0) {
                char prev = key.charAt(i - 1);
                boolean boundary = (Character.isLowerCase(prev) && Character.isUpperCase(c))
                        || (Character.isDigit(prev) != Character.isDigit(c))
                        || (Character.isUpperCase(prev)
                                && Character.isUpperCase(c)
                                && i + 1 < n
                                && Character.isLowerCase(key.charAt(i + 1)));
                if (boundary) {
                    flush(words, word);
                }
            }
            word.append(c);
        }
        flush(words, word);
        return words;
    }

    private static void flush(List<String> words, StringBuilder word) {
        if (word.length() > 0) {
            words.add(word.toString().toLowerCase(Locale.ROOT));
            word.setLength(0);
        }
    }

    @Override
    public String toString() {
        return "SensitiveKeyNames[" + ID + "]";
    }
}
