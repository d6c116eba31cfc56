package io.otlpgovernor.job.kafka;

import java.util.Map;

import io.otlpgovernor.job.config.JobSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaEdgesTest {

    @Test
    void givesTheSecuritySettingsToEveryClient() {
        JobSettings settings = new JobSettings(
                null,
                null,
                null,
                new JobSettings.Kafka(
                        "kafka:9093",
                        null,
                        null,
                        null,
                        null,
                        Map.of("security.protocol", "SSL", "ssl.truststore.type", "PEM")),
                null,
                null,
                null,
                null);

        assertThat(KafkaEdges.security(settings))
                .containsOnly(Map.entry("security.protocol", "SSL"), Map.entry("ssl.truststore.type", "PEM"));
        // Building every edge with them must not trip the connectors' own checks.
        assertThat(KafkaEdges.all(settings)).isNotNull();
    }

    @Test
    void sinksWriteRecordsAsLargeAsTheBridgeAccepts() {
        long bridgeHttpLimit = 20L * 1024 * 1024;

        var producer = KafkaEdges.producerSettings(JobSettings.defaults());

        assertThat(Long.parseLong(producer.getProperty("max.request.size"))).isGreaterThan(bridgeHttpLimit);
        assertThat(Long.parseLong(producer.getProperty("buffer.memory")))
                .isGreaterThanOrEqualTo(Long.parseLong(producer.getProperty("max.request.size")));
        assertThat(producer.getProperty("compression.type")).isEqualTo("lz4");
    }

    @Test
    void addsNothingForAPlaintextCluster() {
        assertThat(KafkaEdges.security(JobSettings.defaults())).isEmpty();
    }
}
