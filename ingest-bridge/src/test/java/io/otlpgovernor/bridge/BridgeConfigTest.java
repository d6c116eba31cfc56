package io.otlpgovernor.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.otlpgovernor.rules.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeConfigTest {

    @TempDir
    Path dir;

    @Test
    void loadsTheDocumentedExample() throws Exception {
        BridgeConfig config = BridgeConfig.load(Path.of("config/bridge.yaml"));

        assertThat(config.grpc().port()).isEqualTo(4317);
        assertThat(config.grpc().maxRequestBytes()).isEqualTo(4_194_304);
        assertThat(config.keysFile()).isEqualTo(Path.of("ingest-bridge/config/demo-keys.yaml"));
        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.kafka().deliveryTimeoutDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.kafka().maxBlockDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.kafka().requestTimeoutDuration()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void fillsDefaultsForMissingKeys() throws Exception {
        BridgeConfig config = BridgeConfig.load(write("keys-file: keys.yaml\n"));

        assertThat(config.grpc()).isEqualTo(new BridgeConfig.Grpc(4317, 4 * 1024 * 1024));
        assertThat(config.kafka()).isEqualTo(new BridgeConfig.Kafka("localhost:9092", "15s", "2s", "5s"));
    }

    @Test
    void fillsDefaultsForMissingKeysOfNestedSections() throws Exception {
        BridgeConfig config = BridgeConfig.load(write("keys-file: keys.yaml\ngrpc:\n  port: 0\nkafka:\n  max-block: 500ms\n"));

        assertThat(config.grpc()).isEqualTo(new BridgeConfig.Grpc(0, 4 * 1024 * 1024));
        assertThat(config.kafka().maxBlockDuration()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.kafka().deliveryTimeout()).isEqualTo("15s");
    }

    @Test
    void requiresKeysFile() throws Exception {
        Path file = write("grpc:\n  port: 4317\n");

        assertThatThrownBy(() -> BridgeConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": keys-file is required: the file that maps API keys to tenants");
    }

    @Test
    void rejectsRequestTimeoutNotShorterThanDeliveryTimeout() throws Exception {
        Path equal = write("keys-file: k.yaml\nkafka:\n  delivery-timeout: 5s\n  request-timeout: 5s\n");
        Path longer = write("keys-file: k.yaml\nkafka:\n  delivery-timeout: 5s\n  request-timeout: 1m\n");

        assertThatThrownBy(() -> BridgeConfig.load(equal))
                .hasMessage(equal + ":2 kafka: request-timeout must be shorter than delivery-timeout");
        assertThatThrownBy(() -> BridgeConfig.load(longer))
                .hasMessage(longer + ":2 kafka: request-timeout must be shorter than delivery-timeout");
    }

    @Test
    void rejectsBadDurationNamingTheKey() throws Exception {
        Path file = write("keys-file: k.yaml\nkafka:\n  max-block: soon\n");

        assertThatThrownBy(() -> BridgeConfig.load(file))
                .hasMessageStartingWith(file + ":2 kafka: max-block: expected a duration such as 500ms, 10s, 5m");
    }

    @Test
    void rejectsOutOfRangeGrpcSettings() throws Exception {
        Path port = write("keys-file: k.yaml\ngrpc:\n  port: 70000\n");
        Path size = write("keys-file: k.yaml\ngrpc:\n  max-request-bytes: 10\n");

        assertThatThrownBy(() -> BridgeConfig.load(port)).hasMessage(port + ":2 grpc: port must be between 0 and 65535");
        assertThatThrownBy(() -> BridgeConfig.load(size)).hasMessage(size + ":2 grpc: max-request-bytes must be at least 1024");
    }

    @Test
    void withEndpointsReplacesOnlyPortAndBootstrapServers() throws Exception {
        BridgeConfig config = BridgeConfig.load(Path.of("config/bridge.yaml")).withEndpoints(0, "broker:9093");

        assertThat(config.grpc()).isEqualTo(new BridgeConfig.Grpc(0, 4_194_304));
        assertThat(config.kafka()).isEqualTo(new BridgeConfig.Kafka("broker:9093", "15s", "2s", "5s"));
        assertThat(config.keysFile()).isEqualTo(Path.of("ingest-bridge/config/demo-keys.yaml"));
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "bridge", ".yaml"), yaml);
    }
}
