package io.otlpgovernor.bridge.kafka;

import java.util.Map;

import io.otlpgovernor.bridge.BridgeConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaForwarderTest {

    @Test
    void fixesTheSettingsTheBridgesPromiseDependsOnAndPassesSecuritySettingsThrough() {
        BridgeConfig.Kafka config = new BridgeConfig.Kafka(
                "broker:9093",
                null,
                null,
                null,
                "zstd",
                8L * 1024 * 1024,
                null,
                Map.of(
                        "security.protocol",
                        "SASL_SSL",
                        "sasl.mechanism",
                        "SCRAM-SHA-512",
                        "ssl.truststore.location",
                        "/etc/ca.p12"));

        Map<String, Object> props = KafkaForwarder.producerProperties(config, 4 * 1024 * 1024);

        assertThat(props)
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true)
                .containsEntry("compression.type", "zstd")
                .containsEntry("buffer.memory", 8L * 1024 * 1024)
                .containsEntry("max.request.size", 4 * 1024 * 1024 + 64 * 1024)
                .containsEntry("batch.size", 256 * 1024)
                .containsEntry("delivery.timeout.ms", 15_000)
                .containsEntry("max.block.ms", 2_000)
                .containsEntry("bootstrap.servers", "broker:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/ca.p12");
    }
}
