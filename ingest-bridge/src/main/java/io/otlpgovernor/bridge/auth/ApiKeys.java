package io.otlpgovernor.bridge.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.otlpgovernor.rules.config.ConfigException;
import io.otlpgovernor.rules.config.YamlFiles;
import io.otlpgovernor.rules.tenant.TenantIds;

/**
 * API keys and the tenant each one authenticates. Loaded from a keys file:
 *
 * <pre>
 * tenants:
 *   acme:
 *     keys: ["a-key-of-at-least-16-characters"]
 * </pre>
 *
 * <p>Only SHA-256 digests of the keys are kept in memory, so a heap dump does not reveal them and lookups do not
 * compare secrets character by character.
 */
public final class ApiKeys {

    static final int MIN_KEY_LENGTH = 16;

    private final Map<String, String> tenantByKeyDigest;

    private ApiKeys(Map<String, String> tenantByKeyDigest) {
        this.tenantByKeyDigest = Map.copyOf(tenantByKeyDigest);
    }

    /** Reads and checks a keys file; every problem is reported with the file, line and tenant it concerns. */
    public static ApiKeys load(Path file) throws ConfigException {
        KeysFile parsed = YamlFiles.read(file, KeysFile.class);
        Map<String, String> byDigest = new HashMap<>();
        for (Map.Entry<String, TenantKeys> tenant : parsed.tenants().entrySet()) {
            String tenantId = tenant.getKey();
            List<String> keys = tenant.getValue() == null ? List.of() : tenant.getValue().keys();
            for (int i = 0; i < keys.size(); i++) {
                String where = file + " tenants." + tenantId + ".keys[" + i + "]";
                String key = keys.get(i);
                if (key == null || key.length() < MIN_KEY_LENGTH) {
                    throw new ConfigException(where + ": an API key must have at least " + MIN_KEY_LENGTH + " characters");
                }
                String previous = byDigest.putIfAbsent(digest(key), tenantId);
                if (previous != null) {
                    throw new ConfigException(where + ": this key is already assigned to tenant " + previous);
                }
            }
        }
        return new ApiKeys(byDigest);
    }

    /** Builds a key set directly; for tests and the local stack. */
    public static ApiKeys of(Map<String, String> tenantByKey) {
        Map<String, String> byDigest = new HashMap<>();
        tenantByKey.forEach((key, tenant) -> byDigest.put(digest(key), tenant));
        return new ApiKeys(byDigest);
    }

    /** The tenant that {@code apiKey} authenticates, if any. */
    public Optional<String> tenantFor(String apiKey) {
        return apiKey == null ? Optional.empty() : Optional.ofNullable(tenantByKeyDigest.get(digest(apiKey)));
    }

    public int size() {
        return tenantByKeyDigest.size();
    }

    private static String digest(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The file's shape. */
    record KeysFile(Map<String, TenantKeys> tenants) {
        KeysFile {
            if (tenants == null || tenants.isEmpty()) {
                throw new IllegalArgumentException("tenants: at least one tenant with keys is required");
            }
            for (String tenantId : tenants.keySet()) {
                Optional<String> problem = TenantIds.problem(tenantId);
                if (problem.isPresent()) {
                    throw new IllegalArgumentException("tenants: " + problem.get());
                }
            }
        }
    }

    record TenantKeys(List<String> keys) {
        TenantKeys {
            keys = keys == null ? List.of() : keys;
        }
    }
}
