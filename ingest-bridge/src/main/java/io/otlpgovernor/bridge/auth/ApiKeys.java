package io.otlpgovernor.bridge.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

import io.otlpgovernor.contract.TenantIds;
import io.otlpgovernor.contract.config.ConfigException;
import io.otlpgovernor.contract.config.YamlFiles;

/**
 * The credentials of each tenant, loaded from the keys file, which holds SHA-256 hashes of API keys — never the
 * keys — and the subjects of client certificates:
 *
 * <pre>
 * tenants:
 *   acme:
 *     key-sha256: ["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"]
 *     client-certificates: ["CN=collector.acme.example,O=Acme"]
 * </pre>
 *
 * <p>API keys are random tokens of at least 128 bits (see {@link NewApiKey}), so one round of SHA-256 is enough:
 * there is no dictionary to try. A lookup hashes the presented key and finds the hash in a map, so no secret is
 * compared character by character.
 */
public final class ApiKeys {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final Map<String, String> tenantByKeyHash;
    private final Map<X500Principal, String> tenantBySubject;

    private ApiKeys(Map<String, String> tenantByKeyHash, Map<X500Principal, String> tenantBySubject) {
        this.tenantByKeyHash = Map.copyOf(tenantByKeyHash);
        this.tenantBySubject = Map.copyOf(tenantBySubject);
    }

    /** Reads and checks a keys file; problems are reported with the file, line and entry they concern. */
    public static ApiKeys load(Path file) throws ConfigException {
        KeysFile parsed = YamlFiles.read(file, KeysFile.class);
        Map<String, String> byHash = new HashMap<>();
        Map<X500Principal, String> bySubject = new HashMap<>();
        for (Map.Entry<String, TenantCredentials> tenant : parsed.tenants().entrySet()) {
            String tenantId = tenant.getKey();
            TenantCredentials credentials =
                    tenant.getValue() == null ? new TenantCredentials(null, null) : tenant.getValue();
            for (int i = 0; i < credentials.keySha256().size(); i++) {
                String where = file + " tenants." + tenantId + ".key-sha256[" + i + "]";
                String hash = credentials.keySha256().get(i);
                if (hash == null
                        || !SHA256_HEX.matcher(hash.toLowerCase(Locale.ROOT)).matches()) {
                    throw new ConfigException(where + ": expected the SHA-256 hash of a key as 64 hex digits"
                            + " (make one with: ./otlp-governor new-api-key)");
                }
                String previous = byHash.putIfAbsent(hash.toLowerCase(Locale.ROOT), tenantId);
                if (previous != null) {
                    throw new ConfigException(where + ": this key is already assigned to tenant " + previous);
                }
            }
            for (int i = 0; i < credentials.clientCertificates().size(); i++) {
                String where = file + " tenants." + tenantId + ".client-certificates[" + i + "]";
                X500Principal subject;
                try {
                    subject = new X500Principal(credentials.clientCertificates().get(i));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new ConfigException(
                            where + ": not a distinguished name such as CN=collector.acme.example,O=Acme");
                }
                String previous = bySubject.putIfAbsent(subject, tenantId);
                if (previous != null) {
                    throw new ConfigException(
                            where + ": this certificate subject is already assigned to tenant " + previous);
                }
            }
        }
        return new ApiKeys(byHash, bySubject);
    }

    /** Builds a key set from plain keys; for tests and the benchmark. */
    public static ApiKeys of(Map<String, String> tenantByKey) {
        Map<String, String> byHash = new HashMap<>();
        tenantByKey.forEach((key, tenant) -> byHash.put(sha256(key), tenant));
        return new ApiKeys(byHash, Map.of());
    }

    /** The tenant that {@code apiKey} authenticates, if any. */
    public Optional<String> tenantFor(String apiKey) {
        return apiKey == null ? Optional.empty() : Optional.ofNullable(tenantByKeyHash.get(sha256(apiKey)));
    }

    /** The tenant a client certificate with {@code subject} authenticates, if any. */
    public Optional<String> tenantForSubject(X500Principal subject) {
        return Optional.ofNullable(tenantBySubject.get(subject));
    }

    /** Number of keys. */
    public int size() {
        return tenantByKeyHash.size();
    }

    /** The hash the keys file stores for {@code key}: SHA-256 of its UTF-8 bytes, as 64 lower-case hex digits. */
    public static String sha256(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The file's shape. */
    record KeysFile(Map<String, TenantCredentials> tenants) {
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

    record TenantCredentials(List<String> keySha256, List<String> clientCertificates) {
        TenantCredentials {
            keySha256 = keySha256 == null ? List.of() : keySha256;
            clientCertificates = clientCertificates == null ? List.of() : clientCertificates;
        }
    }
}
