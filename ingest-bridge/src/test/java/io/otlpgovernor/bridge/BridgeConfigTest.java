package io.otlpgovernor.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.otlpgovernor.contract.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BridgeConfigTest {

    @TempDir
    Path dir;

    @Test
    void loadsTheDocumentedExampleWithTheDefaultsItSpellsOut() throws Exception {
        BridgeConfig example = ConfigOverrides.load(Path.of("config/bridge.yaml"), Map.of());

        assertThat(example).isEqualTo(BridgeConfig.defaults(Path.of("ingest-bridge/config/demo-keys.yaml")));
        assertThat(example.grpc().port()).isEqualTo(4317);
        assertThat(example.http().port()).isEqualTo(4318);
        assertThat(example.http().maxRequestBytes()).isEqualTo(20 * 1024 * 1024);
        assertThat(example.admin().port()).isEqualTo(9464);
        assertThat(example.limits().requestTimeoutDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(example.kafka().compression()).isEqualTo("lz4");
        assertThat(example.tls()).isNull();
    }

    @Test
    void fillsDefaultsForMissingKeysOfNestedSections() throws Exception {
        BridgeConfig config = load(
                "keys-file: keys.yaml\ngrpc:\n  port: 0\nkafka:\n  max-block: 500ms\nlimits:\n  tenant-items-per-second: 10\n");

        assertThat(config.grpc()).isEqualTo(new BridgeConfig.Grpc(0, 4 * 1024 * 1024));
        assertThat(config.kafka().maxBlockDuration()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.kafka().deliveryTimeout()).isEqualTo("15s");
        assertThat(config.limits().limitOf("acme")).isEqualTo(new BridgeConfig.TenantLimit(10, 20));
    }

    @Test
    void appliesPerTenantRateLimitOverrides() throws Exception {
        BridgeConfig config =
                load("keys-file: k.yaml\nlimits:\n  tenants:\n    acme: {items-per-second: 5, burst-items: 7}\n");

        assertThat(config.limits().limitOf("acme")).isEqualTo(new BridgeConfig.TenantLimit(5, 7));
        assertThat(config.limits().limitOf("globex")).isEqualTo(new BridgeConfig.TenantLimit(50_000, 100_000));
    }

    @Test
    void requiresKeysFile() throws Exception {
        Path file = write("grpc:\n  port: 4317\n");

        assertThatThrownBy(() -> ConfigOverrides.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": keys-file is required: the file that maps API keys to tenants");
    }

    @Test
    void rejectsRequestTimeoutNotShorterThanDeliveryTimeout() throws Exception {
        Path equal = write("keys-file: k.yaml\nkafka:\n  delivery-timeout: 5s\n  request-timeout: 5s\n");

        assertThatThrownBy(() -> ConfigOverrides.load(equal, Map.of()))
                .hasMessage(equal + ":2 kafka: request-timeout must be shorter than delivery-timeout");
    }

    @Test
    void rejectsBadValuesNamingFileLineAndKey() throws Exception {
        assertRejected(
                "keys-file: k.yaml\nkafka:\n  max-block: soon\n",
                ":2 kafka: max-block: expected a duration such as 500ms, 10s, 5m, 1h or 30d");
        assertRejected("keys-file: k.yaml\ngrpc:\n  port: 70000\n", ":2 grpc: port must be between 0 and 65535");
        assertRejected(
                "keys-file: k.yaml\nhttp:\n  max-request-bytes: 10\n",
                ":2 http: max-request-bytes must be at least 1024");
        assertRejected("keys-file: k.yaml\nkafka:\n  compression: gzip\n", ":2 kafka: compression must be lz4 or zstd");
        assertRejected(
                "keys-file: k.yaml\nlimits:\n  max-concurrent-requests: 0\n",
                ":2 limits: max-concurrent-requests must be at least 1");
        assertRejected(
                "keys-file: k.yaml\nlimits:\n  retry-after: 500ms\n",
                ":2 limits: retry-after must be at least 1s (Retry-After counts whole seconds)");
        assertRejected(
                "keys-file: k.yaml\nlimits:\n  tenants:\n    Bad Tenant: {items-per-second: 1}\n",
                ":2 limits: tenants: tenant id is malformed");
        assertRejected(
                "keys-file: k.yaml\ntls:\n  cert-file: a.crt\n", ":2 tls: cert-file and key-file are both required");
        assertRejected(
                "keys-file: k.yaml\ntls:\n  cert-file: a.crt\n  key-file: a.key\n  client-auth: require\n",
                ":2 tls: client-auth require needs client-ca-file");
    }

    @Test
    void acceptsOnlySecuritySettingsAsKafkaPropertiesAndNeverQuotesTheirValues() throws Exception {
        BridgeConfig config = load(
                "keys-file: k.yaml\nkafka:\n  properties:\n    security.protocol: SASL_SSL\n    sasl.mechanism: PLAIN\n");
        Path overriding = write("keys-file: k.yaml\nkafka:\n  properties:\n    acks: \"0\"\n");

        assertThat(config.kafka().properties()).containsEntry("security.protocol", "SASL_SSL");
        assertThatThrownBy(() -> ConfigOverrides.load(overriding, Map.of()))
                .hasMessageStartingWith(overriding + ":2 kafka: properties: 'acks' is not a security setting");
    }

    @Test
    void enablesClientCertificatesWhenACaIsGiven() throws Exception {
        BridgeConfig config =
                load("keys-file: k.yaml\ntls:\n  cert-file: s.crt\n  key-file: s.key\n  client-ca-file: ca.crt\n");

        assertThat(config.tls().clientAuth()).isEqualTo("optional");
    }

    @Test
    void withEndpointsReplacesOnlyPortsAndBootstrapServers() throws Exception {
        BridgeConfig config =
                ConfigOverrides.load(Path.of("config/bridge.yaml"), Map.of()).withEndpoints(0, 1, 2, "broker:9093");

        assertThat(config.grpc()).isEqualTo(new BridgeConfig.Grpc(0, 4_194_304));
        assertThat(config.http()).isEqualTo(new BridgeConfig.Http(1, 20 * 1024 * 1024));
        assertThat(config.admin()).isEqualTo(new BridgeConfig.Admin(2));
        assertThat(config.kafka().bootstrapServers()).isEqualTo("broker:9093");
        assertThat(config.kafka().deliveryTimeout()).isEqualTo("15s");
        assertThat(config.keysFile()).isEqualTo(Path.of("ingest-bridge/config/demo-keys.yaml"));
    }

    private void assertRejected(String yaml, String expected) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> ConfigOverrides.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + expected);
    }

    private BridgeConfig load(String yaml) throws Exception {
        return ConfigOverrides.load(write(yaml), Map.of());
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "bridge", ".yaml"), yaml);
    }
}
