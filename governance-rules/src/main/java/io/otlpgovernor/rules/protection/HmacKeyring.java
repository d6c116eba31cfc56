package io.otlpgovernor.rules.protection;

import java.util.Map;
import java.util.Optional;

/**
 * One tenant's HMAC keys for the {@code hash} action: key id → secret, and the id of the current key. Several keys
 * let a tenant rotate: rules name a key id, or use the current one, and every hashed value records the id of the
 * key that made it. Secrets never appear in {@link #toString()}.
 *
 * @param currentKeyId the key used when a rule names none
 * @param keys         key id → secret bytes (at least 32 bytes each)
 */
public record HmacKeyring(String currentKeyId, Map<String, byte[]> keys) {

    public static final int MIN_KEY_BYTES = 32;

    public HmacKeyring {
        keys = Map.copyOf(keys);
        if (!keys.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("the current key id '" + currentKeyId + "' is not among the keys");
        }
        keys.forEach((id, secret) -> {
            if (secret.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("HMAC key '" + id + "' is shorter than " + MIN_KEY_BYTES + " bytes");
            }
        });
    }

    /** The secret of {@code keyId}, or of the current key when empty. */
    public Optional<byte[]> secret(Optional<String> keyId) {
        return Optional.ofNullable(keys.get(keyId.orElse(currentKeyId)));
    }

    /** The key id that {@code keyId} resolves to. */
    public String resolve(Optional<String> keyId) {
        return keyId.orElse(currentKeyId);
    }

    @Override
    public String toString() {
        return "HmacKeyring[current=" + currentKeyId + ", ids=" + keys.keySet() + "]";
    }
}
