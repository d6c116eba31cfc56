package io.otlpgovernor.rules.protection;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudonyms the {@code hash} action writes: {@code hmac:<key id>:<first 16 bytes of HMAC-SHA-256,
 * base64url>}. Equal values under one key give equal pseudonyms (joins and counts still work), nothing can be read
 * back, and the key id says which key made it. Data-subject requests compute the same pseudonyms, so a subject is
 * found whether its identifier arrives raw or already hashed.
 */
public final class Pseudonyms {

    /** What every pseudonym starts with. */
    public static final String PREFIX = "hmac:";

    /** The length of a pseudonym's digest part: 16 bytes in unpadded base64url. */
    public static final int DIGEST_CHARS = 22;

    private static final Base64.Encoder DIGEST = Base64.getUrlEncoder().withoutPadding();

    private Pseudonyms() {}

    /** A new HMAC-SHA-256 instance for {@code secret}; not thread-safe. */
    public static Mac mac(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    /** The pseudonym of {@code value} under the key {@code keyId}, whose {@link #mac} is {@code mac}. */
    public static String of(Mac mac, String keyId, String value) {
        byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        return PREFIX + keyId + ":" + DIGEST.encodeToString(Arrays.copyOf(digest, 16));
    }
}
