package io.otlpgovernor.rules.protection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.otlpgovernor.contract.TenantIds;
import io.otlpgovernor.rules.ruleset.RuleValidationException;
import io.otlpgovernor.rules.yaml.Fields;
import io.otlpgovernor.rules.yaml.Problems;
import io.otlpgovernor.rules.yaml.YamlSource;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the HMAC keys of the {@code hash} action from a secrets file, kept apart from the rules (in production a
 * mounted Kubernetes Secret):
 *
 * <pre>
 * tenants:
 *   acme:
 *     current: k2026-01
 *     keys:
 *       k2025-07: "base64 of at least 32 random bytes"
 *       k2026-01: "…"
 * </pre>
 *
 * Problems name file, line and path; they never quote a key.
 */
public final class HmacKeyFile {

    private static final java.util.regex.Pattern KEY_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private HmacKeyFile() {}

    /** Tenant → keyring, from {@code file}. */
    public static Map<String, HmacKeyring> load(Path file) throws RuleValidationException, IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    static Map<String, HmacKeyring> parse(String file, String text) throws RuleValidationException {
        Problems problems = new Problems();
        Map<String, HmacKeyring> keyrings = new LinkedHashMap<>();
        YamlSource.parse(file, text, problems).ifPresent(root -> {
            Fields doc = Fields.of(file, "", root, problems);
            doc.require("tenants");
            for (Map.Entry<String, Node> tenant : doc.entries("tenants").entrySet()) {
                String path = "tenants." + tenant.getKey();
                if (!TenantIds.isValid(tenant.getKey())) {
                    problems.add(file, tenant.getValue(), path, "not a valid tenant id");
                    continue;
                }
                readKeyring(Fields.of(file, path, tenant.getValue(), problems))
                        .ifPresent(k -> keyrings.put(tenant.getKey(), k));
            }
            doc.finish();
        });
        if (!problems.isEmpty()) {
            throw new RuleValidationException(problems.sorted());
        }
        return keyrings;
    }

    private static Optional<HmacKeyring> readKeyring(Fields tenant) {
        tenant.require("current");
        tenant.require("keys");
        Optional<String> current = tenant.string("current");
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (Map.Entry<String, Node> key : tenant.entries("keys").entrySet()) {
            String path = tenant.child("keys") + "." + key.getKey();
            if (!KEY_ID.matcher(key.getKey()).matches()) {
                // Key ids appear in every hashed value (hmac:<id>:<digest>), so they stay plain.
                tenant.problems()
                        .add(tenant.file(), key.getValue(), path, "a key id is 1-64 letters, digits, '.', '_' or '-'");
                continue;
            }
            tenant.scalar(key.getValue(), path, "base64 text").ifPresent(encoded -> {
                try {
                    byte[] secret = Base64.getDecoder().decode(encoded.trim());
                    if (secret.length < HmacKeyring.MIN_KEY_BYTES) {
                        tenant.problems()
                                .add(
                                        tenant.file(),
                                        key.getValue(),
                                        path,
                                        "a key must decode to at least " + HmacKeyring.MIN_KEY_BYTES + " bytes");
                    } else {
                        keys.put(key.getKey(), secret);
                    }
                } catch (IllegalArgumentException e) {
                    tenant.problems().add(tenant.file(), key.getValue(), path, "not valid base64");
                }
            });
        }
        tenant.finish();
        if (current.isPresent() && !keys.isEmpty() && !keys.containsKey(current.get())) {
            tenant.problem(
                    "current",
                    "names a key that is not under keys (" + String.join(", ", List.copyOf(keys.keySet())) + ")");
            return Optional.empty();
        }
        return current.filter(keys::containsKey).map(c -> new HmacKeyring(c, keys));
    }
}
