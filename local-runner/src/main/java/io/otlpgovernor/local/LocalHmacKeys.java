package io.otlpgovernor.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;

import io.otlpgovernor.rules.protection.HmacKeyring;

/**
 * The HMAC keys of a local run, for rules that hash: one random key per tenant, made on first use and kept in the
 * data directory (owner-only), so pseudonyms stay stable across local restarts. Production mounts its own keys file.
 */
final class LocalHmacKeys {

    static final String FILE_NAME = "hmac-keys.yaml";
    static final String KEY_ID = "local-1";

    private LocalHmacKeys() {}

    /** The keys file in {@code dataDir}, written (or extended) so every tenant of {@code tenants} has a key. */
    static Path ensure(Path dataDir, Set<String> tenants) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        Set<String> present = new TreeSet<>();
        StringBuilder text = new StringBuilder();
        if (Files.exists(file)) {
            text.append(Files.readString(file, StandardCharsets.UTF_8));
            for (String line : text.toString().split("\n")) {
                if (line.startsWith("  ")
                        && !line.startsWith("   ")
                        && line.trim().endsWith(":")) {
                    present.add(line.trim().substring(0, line.trim().length() - 1));
                }
            }
        } else {
            text.append(
                    "# HMAC keys of the local run (made by ./otlp-governor local). Never commit or share.\ntenants:\n");
        }
        SecureRandom random = new SecureRandom();
        for (String tenant : new TreeSet<>(tenants)) {
            if (present.contains(tenant)) {
                continue;
            }
            byte[] key = new byte[HmacKeyring.MIN_KEY_BYTES];
            random.nextBytes(key);
            text.append("  ")
                    .append(tenant)
                    .append(":\n")
                    .append("    current: ")
                    .append(KEY_ID)
                    .append('\n')
                    .append("    keys:\n")
                    .append("      ")
                    .append(KEY_ID)
                    .append(": \"")
                    .append(Base64.getEncoder().encodeToString(key))
                    .append("\"\n");
        }
        Files.createDirectories(dataDir);
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the file keeps the directory's default permissions.
            return file;
        }
        return file;
    }
}
