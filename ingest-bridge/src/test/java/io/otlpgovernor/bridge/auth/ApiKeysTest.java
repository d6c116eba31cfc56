package io.otlpgovernor.bridge.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.otlpgovernor.contract.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTest {

    private static final String ACME_KEY = "acme-key-0123456789";
    private static final String ACME_SECOND_KEY = "acme-key-second-0001";
    private static final String GLOBEX_KEY = "globex-key-0123456789";

    @TempDir
    Path dir;

    @Test
    void looksUpTheTenantOfEachKeyByItsHash() throws Exception {
        ApiKeys keys = ApiKeys.load(write("""
                tenants:
                  acme:
                    key-sha256: ["%s", "%s"]
                  globex:
                    key-sha256: ["%s"]
                """.formatted(
                ApiKeys.sha256(ACME_KEY), ApiKeys.sha256(ACME_SECOND_KEY).toUpperCase(), ApiKeys.sha256(GLOBEX_KEY))));

        assertThat(keys.tenantFor(ACME_KEY)).hasValue("acme");
        assertThat(keys.tenantFor(ACME_SECOND_KEY)).hasValue("acme");
        assertThat(keys.tenantFor(GLOBEX_KEY)).hasValue("globex");
        assertThat(keys.size()).isEqualTo(3);
    }

    @Test
    void hashesAsSha256Hex() {
        // printf %s test | sha256sum
        assertThat(ApiKeys.sha256("test"))
                .isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    }

    @Test
    void findsNoTenantForUnknownOrMissingKeyOrForTheHashItself() throws Exception {
        ApiKeys keys =
                ApiKeys.load(write("tenants:\n  acme:\n    key-sha256: [\"" + ApiKeys.sha256(ACME_KEY) + "\"]\n"));

        assertThat(keys.tenantFor("some-other-key-0000")).isEmpty();
        assertThat(keys.tenantFor(ACME_KEY.toUpperCase())).isEmpty();
        assertThat(keys.tenantFor(ApiKeys.sha256(ACME_KEY))).isEmpty();
        assertThat(keys.tenantFor(null)).isEmpty();
    }

    @Test
    void loadsTheDemoKeysFile() throws Exception {
        ApiKeys keys = ApiKeys.load(Path.of("config/demo-keys.yaml"));

        assertThat(keys.tenantFor("acme-demo-key-0001")).hasValue("acme");
        assertThat(keys.tenantFor("globex-demo-key-0001")).hasValue("globex");
        assertThat(keys.tenantFor("paynow-demo-key-0001")).hasValue("paynow");
    }

    @Test
    void rejectsAPlainKeyWhereAHashBelongsWithoutRepeatingIt() throws Exception {
        Path file = write(
                "tenants:\n  acme:\n    key-sha256: [\"" + ApiKeys.sha256(ACME_KEY) + "\", \"" + ACME_KEY + "\"]\n");

        assertThatThrownBy(() -> ApiKeys.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        file + " tenants.acme.key-sha256[1]: expected the SHA-256 hash of a key as 64 hex digits")
                .message()
                .doesNotContain(ACME_KEY);
    }

    @Test
    void rejectsTheSameKeyForTwoTenants() throws Exception {
        Path file = write("""
                tenants:
                  acme:
                    key-sha256: ["%1$s"]
                  globex:
                    key-sha256: ["%1$s"]
                """.formatted(ApiKeys.sha256(ACME_KEY)));

        assertThatThrownBy(() -> ApiKeys.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("this key is already assigned to tenant")
                .hasMessageStartingWith(file + " tenants.");
    }

    @Test
    void mapsClientCertificateSubjectsToTenants() throws Exception {
        ApiKeys keys = ApiKeys.load(
                write("tenants:\n  acme:\n    client-certificates: [\"CN=collector.acme.example, O=Acme\"]\n"));

        assertThat(keys.tenantForSubject(
                        new javax.security.auth.x500.X500Principal("CN=collector.acme.example,O=Acme")))
                .hasValue("acme");
        assertThat(keys.tenantForSubject(new javax.security.auth.x500.X500Principal("CN=collector.globex.example")))
                .isEmpty();
    }

    @Test
    void rejectsMalformedCertificateSubject() throws Exception {
        Path file = write("tenants:\n  acme:\n    client-certificates: [\"not a name\"]\n");

        assertThatThrownBy(() -> ApiKeys.load(file))
                .hasMessage(
                        file
                                + " tenants.acme.client-certificates[0]: not a distinguished name such as CN=collector.acme.example,O=Acme");
    }

    @Test
    void rejectsMalformedTenantIdWithoutRepeatingIt() throws Exception {
        Path file = write("tenants:\n  Acme Corp:\n    key-sha256: [\"" + ApiKeys.sha256(ACME_KEY) + "\"]\n");

        assertThatThrownBy(() -> ApiKeys.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": tenants: tenant id is malformed")
                .message()
                .doesNotContain("Acme Corp");
    }

    @Test
    void rejectsUnknownKeyInTheFile() throws Exception {
        Path file = write("tenants:\n  acme:\n    key-sha256: [\"" + ApiKeys.sha256(ACME_KEY) + "\"]\n    keys: [\""
                + ACME_KEY + "\"]\n");

        assertThatThrownBy(() -> ApiKeys.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file
                        + ":4 tenants.acme.keys: unknown key 'keys' (expected one of: client-certificates, key-sha256)")
                .message()
                .doesNotContain(ACME_KEY);
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
