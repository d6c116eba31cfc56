package io.otlpgovernor.bridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.otlpgovernor.contract.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigOverridesTest {

    @TempDir
    Path dir;

    @Test
    void overridesPlainSettingsFromTheEnvironment() throws Exception {
        Path file = Files.writeString(
                dir.resolve("bridge.yaml"), "keys-file: k.yaml\nkafka:\n  bootstrap-servers: file:9092\n");

        BridgeConfig config = ConfigOverrides.load(
                file,
                Map.of(
                        "OTLP_BRIDGE_KAFKA_BOOTSTRAP_SERVERS", "env-a:9092,env-b:9092",
                        "OTLP_BRIDGE_GRPC_PORT", "14317",
                        "OTLP_BRIDGE_LIMITS_REQUEST_TIMEOUT", "3s",
                        "PATH", "/usr/bin"));

        assertThat(config.kafka().bootstrapServers()).isEqualTo("env-a:9092,env-b:9092");
        assertThat(config.grpc().port()).isEqualTo(14317);
        assertThat(config.limits().requestTimeout()).isEqualTo("3s");
        assertThat(config.keysFile()).isEqualTo(Path.of("k.yaml"));
    }

    @Test
    void takesSectionsAndMappingsAsYamlAndSecretsAsTheyAre() throws Exception {
        Path file = Files.writeString(dir.resolve("bridge.yaml"), "keys-file: k.yaml\n");
        String jaas =
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p#w: d\";";

        BridgeConfig config = ConfigOverrides.load(
                file,
                Map.of(
                        "OTLP_BRIDGE_KAFKA_PROPERTIES", "{security.protocol: SASL_SSL, sasl.mechanism: PLAIN}",
                        "OTLP_BRIDGE_LIMITS_TENANTS", "{acme: {items-per-second: 9}}",
                        "OTLP_BRIDGE_KEYS_FILE", "/run/secrets/keys.yaml"));
        BridgeConfig withSecret = ConfigOverrides.load(
                Files.writeString(dir.resolve("b2.yaml"), "keys-file: k.yaml\nkafka:\n  properties: {}\n"),
                Map.of("OTLP_BRIDGE_KAFKA_PROPERTIES", "{sasl.jaas.config: '" + jaas.replace("'", "''") + "'}"));

        assertThat(config.kafka().properties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
        assertThat(config.limits().limitOf("acme").itemsPerSecond()).isEqualTo(9);
        assertThat(config.keysFile()).isEqualTo(Path.of("/run/secrets/keys.yaml"));
        assertThat(withSecret.kafka().properties()).containsEntry("sasl.jaas.config", jaas);
    }

    @Test
    void rejectsAnUnknownVariableWithThePrefix() throws Exception {
        Path file = Files.writeString(dir.resolve("bridge.yaml"), "keys-file: k.yaml\n");

        assertThatThrownBy(() -> ConfigOverrides.load(file, Map.of("OTLP_BRIDGE_GRPC_PROT", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "environment variable OTLP_BRIDGE_GRPC_PROT: not a bridge setting (expected one of: ")
                .hasMessageContaining("OTLP_BRIDGE_GRPC_PORT");
    }

    @Test
    void reportsAnInvalidOverriddenValueWithoutQuotingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("bridge.yaml"), "keys-file: k.yaml\n");

        assertThatThrownBy(() -> ConfigOverrides.load(file, Map.of("OTLP_BRIDGE_GRPC_PORT", "secret-looking-value")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file
                        + " with environment overrides OTLP_BRIDGE_GRPC_PORT: grpc.port: a value of the wrong type");
        assertThatThrownBy(() -> ConfigOverrides.load(file, Map.of("OTLP_BRIDGE_KAFKA_COMPRESSION", "snappy")))
                .hasMessage(
                        file
                                + " with environment overrides OTLP_BRIDGE_KAFKA_COMPRESSION: kafka: compression must be lz4 or zstd");
    }
}
