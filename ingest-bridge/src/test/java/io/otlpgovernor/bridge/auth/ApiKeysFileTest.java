package io.otlpgovernor.bridge.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.otlpgovernor.contract.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysFileTest {

    private static final String OLD_KEY = "old-key-of-acme-000001";
    private static final String NEW_KEY = "new-key-of-acme-000001";

    @TempDir
    Path dir;

    private final List<Boolean> reloads = new ArrayList<>();

    @Test
    void appliesAChangedFile() throws Exception {
        Path file = writeKeys(OLD_KEY);
        try (ApiKeysFile keys = ApiKeysFile.watch(file, Duration.ofHours(1), reloads::add)) {
            assertThat(keys.get().tenantFor(OLD_KEY)).hasValue("acme");

            writeKeys(NEW_KEY);

            assertThat(keys.reloadIfChanged()).isTrue();
            assertThat(keys.get().tenantFor(NEW_KEY)).hasValue("acme");
            assertThat(keys.get().tenantFor(OLD_KEY)).isEmpty();
            assertThat(reloads).containsExactly(true);
        }
    }

    @Test
    void doesNothingWhileTheContentIsUnchanged() throws Exception {
        Path file = writeKeys(OLD_KEY);
        try (ApiKeysFile keys = ApiKeysFile.watch(file, Duration.ofHours(1), reloads::add)) {
            ApiKeys before = keys.get();

            assertThat(keys.reloadIfChanged()).isFalse();
            assertThat(keys.get()).isSameAs(before);
            assertThat(reloads).isEmpty();
        }
    }

    @Test
    void keepsThePreviousKeysWhenTheNewFileIsInvalidOrGone() throws Exception {
        Path file = writeKeys(OLD_KEY);
        try (ApiKeysFile keys = ApiKeysFile.watch(file, Duration.ofHours(1), reloads::add)) {
            Files.writeString(file, "tenants:\n  acme:\n    key-sha256: [\"" + NEW_KEY + "\"]\n");
            assertThat(keys.reloadIfChanged()).isFalse();
            Files.delete(file);
            assertThat(keys.reloadIfChanged()).isFalse();

            assertThat(keys.get().tenantFor(OLD_KEY)).hasValue("acme");
            assertThat(reloads).containsExactly(false, false);
        }
    }

    @Test
    void reloadsByItselfAtTheInterval() throws Exception {
        Path file = writeKeys(OLD_KEY);
        try (ApiKeysFile keys = ApiKeysFile.watch(file, Duration.ofMillis(50), reloads::add)) {
            writeKeys(NEW_KEY);

            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> keys.get().tenantFor(NEW_KEY).isPresent());
        }
    }

    @Test
    void refusesToStartFromAnInvalidFile() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.yaml"), "tenants: {}\n");

        assertThatThrownBy(() -> ApiKeysFile.watch(file, Duration.ofHours(1), reloads::add))
                .isInstanceOf(ConfigException.class);
    }

    private Path writeKeys(String key) throws IOException {
        return Files.writeString(
                dir.resolve("keys.yaml"), "tenants:\n  acme:\n    key-sha256: [\"" + ApiKeys.sha256(key) + "\"]\n");
    }
}
