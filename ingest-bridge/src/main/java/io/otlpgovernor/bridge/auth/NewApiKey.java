package io.otlpgovernor.bridge.auth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes a new API key: 32 random bytes (256 bits) from {@link SecureRandom}, URL-safe base64. Prints the key, to
 * give to the client, and the line to put in the keys file, which holds only its hash.
 * {@code ./otlp-governor new-api-key} runs it.
 */
public final class NewApiKey {

    private NewApiKey() {}

    /** A new random key. */
    public static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static void main(String[] args) {
        String key = generate();
        System.out.println("API key (give it to the client; it is not stored anywhere): " + key);
        System.out.println("For the keys file, under the tenant:  key-sha256: [\"" + ApiKeys.sha256(key) + "\"]");
    }
}
