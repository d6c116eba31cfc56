package io.otlpgovernor.bridge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.otlpgovernor.rules.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {

    private static final String ACME_KEY = "acme-key-0123456789";
    private static final String ACME_SECOND_KEY = "acme-key-second-0001";
    private static final String GLOBEX_KEY = "globex-key-0123456789";

    @TempDir
    Path dir;

    @Test
    void looksUpTheTenantOfEachKey() throws Exception {
        ApiKeys keys = ApiKeys.load(write("""
                tenants:
                  acme:
                    keys: ["%s", "%s"]
                  globex:
                    keys: ["%s"]
                """.formatted(ACME_KEY, ACME_SECOND_KEY, GLOBEX_KEY)));

        assertThat(keys.tenantFor(ACME_KEY)).hasValue("acme");
        assertThat(keys.tenantFor(ACME_SECOND_KEY)).hasValue("acme");
        assertThat(keys.tenantFor(GLOBEX_KEY)).hasValue("globex");
        assertThat(keys.size()).isEqualTo(3);
    }

    @Test
    void findsNoTenantForUnknownOrMissingKey() throws Exception {
        ApiKeys keys = ApiKeys.load(write("tenants:\n  acme:\n    keys: [\"" + ACME_KEY + "\"]\n"));

        assertThat(keys.tenantFor("some-other-key-0000")).isEmpty();
        assertThat(keys.tenantFor(ACME_KEY.toUpperCase())).isEmpty();
        assertThat(keys.tenantFor(null)).isEmpty();
    }

    @Test
    void loadsTheDemoKeysFile() throws Exception {
        ApiKeys keys = ApiKeys.load(Path.of("config/demo-keys.yaml"));

        assertThat(keys.tenantFor("acme-demo-key-0001")).hasValue("acme");
        assertThat(keys.tenantFor("globex-demo-key-0001")).hasValue("globex");
    }

    @Test
    void rejectsShortKeyNamingFileAndEntryButNotTheKey() throws Exception {
        String shortKey = "short-key-15chr";
        Path file = write("tenants:\n  acme:\n    keys: [\"" + ACME_KEY + "\", \"" + shortKey + "\"]\n");

        assertThatThrownBy(() -> ApiKeys.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + " tenants.acme.keys[1]: an API key must have at least 16 characters")
                .message().doesNotContain(shortKey);
    }

    @Test
    void acceptsKeyOfExactly16Characters() throws Exception {
        String key = "0123456789abcdef";

        assertThat(ApiKeys.load(write("tenants:\n  acme:\n    keys: [\"" + key + "\"]\n")).tenantFor(key)).hasValue("acme");
    }

    @Test
    void rejectsTheSameKeyForTwoTenantsWithoutRepeatingIt() throws Exception {
        Path file = write("""
                tenants:
                  acme:
                    keys: ["%1$s"]
                  globex:
                    keys: ["%1$s"]
                """.formatted(ACME_KEY));

        assertThatThrownBy(() -> ApiKeys.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("this key is already assigned to tenant")
                .hasMessageStartingWith(file + " tenants.")
                .message().doesNotContain(ACME_KEY);
    }

    @Test
    void rejectsMalformedTenantIdWithoutRepeatingIt() throws Exception {
        Path file = write("tenants:\n  Acme Corp:\n    keys: [\"" + ACME_KEY + "\"]\n");

        assertThatThrownBy(() -> ApiKeys.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": tenants: tenant id is malformed")
                .message().doesNotContain("Acme Corp");
    }

    @Test
    void rejectsUnknownKeyInTheFile() throws Exception {
        Path file = write("tenants:\n  acme:\n    keys: [\"" + ACME_KEY + "\"]\n    rate-limit: 10\n");

        assertThatThrownBy(() -> ApiKeys.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":4 tenants.acme.rate-limit: unknown key 'rate-limit' (expected one of: keys)");
    }

    @Test
    void rejectsFileWithoutTenants() throws Exception {
        Path file = write("tenants: {}\n");

        assertThatThrownBy(() -> ApiKeys.load(file))
                .hasMessage(file + ": tenants: at least one tenant with keys is required");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "keys", ".yaml"), yaml);
    }
}
