package io.otlpgovernor.job.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.otlpgovernor.contract.config.ConfigException;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobSettingsTest {

    @TempDir
    Path dir;

    @Test
    void loadsTheDocumentedLocalDefaults() throws Exception {
        JobSettings settings = JobSettings.load(Path.of("config/job.yaml"));

        assertThat(settings.jobName()).isEqualTo("otlp-governor");
        assertThat(settings.maxParallelism()).isEqualTo(128);
        assertThat(settings.kafka().transactionTimeoutDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.kafka().maxRecordBytes()).isEqualTo(1_000_000);
        assertThat(settings.checkpoints().intervalDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.restart().strategy()).isEqualTo("exponential-delay");
        assertThat(settings).isEqualTo(JobSettings.defaults());
    }

    @Test
    void configuresRocksDbAndExactlyOnceCheckpoints() throws Exception {
        Configuration conf = JobSettings.load(Path.of("config/job.yaml")).flinkConfiguration();
        Map<String, String> keys = conf.toMap();

        assertThat(keys)
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
                .containsEntry("pipeline.generic-types", "false");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
                .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(5));
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT)).isEqualTo(Duration.ofMinutes(2));
        assertThat(conf.get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS)).isEqualTo(Duration.ofSeconds(1));
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(conf.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(128);
        assertThat(conf.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(1);
        assertThat(conf.get(PipelineOptions.NAME)).isEqualTo("otlp-governor");
    }

    @Test
    void takesIntervalAndIncrementalFromTheFile() throws Exception {
        Configuration conf = JobSettings.load(write("""
                max-parallelism: 256
                checkpoints:
                  interval: 30s
                  incremental: false
                """)).flinkConfiguration();

        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(30));
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
        assertThat(conf.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(256);
    }

    @Test
    void configuresExponentialDelayRestarts() {
        Configuration conf = withRestart(new JobSettings.Restart("exponential-delay", null, "2s", "3m"))
                .flinkConfiguration();

        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofMinutes(3));
        assertThat(conf.contains(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isFalse();
        assertThat(conf.contains(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isFalse();
    }

    @Test
    void limitsExponentialDelayRestartsWhenAttemptsAreGiven() {
        Configuration conf = withRestart(new JobSettings.Restart("exponential-delay", 7, null, null))
                .flinkConfiguration();

        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(7);
    }

    @Test
    void configuresFixedDelayRestartsWithDefaultAttempts() {
        Configuration conf = withRestart(new JobSettings.Restart("fixed-delay", null, "500ms", null))
                .flinkConfiguration();

        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isEqualTo(20);
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY))
                .isEqualTo(Duration.ofMillis(500));
        assertThat(conf.contains(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
                .isFalse();
    }

    @Test
    void configuresFixedDelayRestartsWithGivenAttempts() {
        Configuration conf = withRestart(new JobSettings.Restart("fixed-delay", 3, null, null))
                .flinkConfiguration();

        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isEqualTo(3);
    }

    @Test
    void configuresNoRestarts() {
        Configuration conf =
                withRestart(new JobSettings.Restart("none", null, null, null)).flinkConfiguration();

        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
        assertThat(conf.toMap().keySet())
                .noneMatch(key -> key.startsWith("restart-strategy.fixed-delay")
                        || key.startsWith("restart-strategy.exponential-delay"));
    }

    @Test
    void rejectsARecordSizeLimitOutsideWhatTheSinksCanWrite() throws Exception {
        Path small = write("kafka:\n  max-record-bytes: 1024\n");
        Path large = write("kafka:\n  max-record-bytes: 30000000\n");

        assertThatThrownBy(() -> JobSettings.load(small))
                .isInstanceOf(ConfigException.class)
                .hasMessage(small + ":1 kafka: kafka.max-record-bytes must be between 65536 and 25165824, got 1024");
        assertThatThrownBy(() -> JobSettings.load(large))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.max-record-bytes must be between 65536 and 25165824, got 30000000");
        assertThat(JobSettings.load(write("kafka:\n  max-record-bytes: 262144\n"))
                        .kafka()
                        .maxRecordBytes())
                .isEqualTo(262_144);
    }

    @Test
    void rejectsUnknownRestartStrategy() throws Exception {
        Path file = write("restart:\n  strategy: always\n");

        assertThatThrownBy(() -> JobSettings.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":1 restart: restart.strategy must be exponential-delay, fixed-delay or none");
    }

    @Test
    void turnsRelativeCheckpointDirectoryIntoAbsoluteFileUri() {
        JobSettings.Checkpoints checkpoints = checkpointsIn("local-data/checkpoints");
        String expected = Path.of("local-data/checkpoints")
                .toAbsolutePath()
                .normalize()
                .toUri()
                .toString();

        assertThat(checkpoints.directoryUri())
                .isEqualTo(expected)
                .startsWith("file:/")
                .endsWith("/local-data/checkpoints");
        assertThat(withCheckpoints(checkpoints).flinkConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(expected);
    }

    @Test
    void turnsLocalPathWithSpaceIntoFileUri() {
        Path local = dir.resolve("my checkpoints");

        assertThat(checkpointsIn(local.toString()).directoryUri())
                .isEqualTo(local.toUri().toString())
                .contains("my%20checkpoints");
    }

    @Test
    void keepsCheckpointDirectoryThatIsAlreadyAUri() {
        assertThat(checkpointsIn("s3://bucket/otlp-governor/checkpoints").directoryUri())
                .isEqualTo("s3://bucket/otlp-governor/checkpoints");
        assertThat(checkpointsIn("file:///var/lib/checkpoints").directoryUri())
                .isEqualTo("file:///var/lib/checkpoints");
    }

    @Test
    void rejectsTransactionTimeoutNotLongerThanIntervalPlusTimeout() throws Exception {
        Path equal = write("kafka:\n  transaction-timeout: 125s\ncheckpoints:\n  interval: 5s\n  timeout: 2m\n");

        assertThatThrownBy(() -> JobSettings.load(equal))
                .hasMessage(equal + ": kafka.transaction-timeout must be longer than checkpoints.interval plus"
                        + " checkpoints.timeout, or transactions abort before their checkpoint completes");
        assertThat(JobSettings.load(write(
                                "kafka:\n  transaction-timeout: 126s\ncheckpoints:\n  interval: 5s\n  timeout: 2m\n"))
                        .kafka()
                        .transactionTimeoutDuration())
                .isEqualTo(Duration.ofSeconds(126));
    }

    @Test
    void rejectsParallelismAboveMaxParallelism() {
        assertThatThrownBy(() -> new JobSettings(null, 5, 4, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parallelism must be between 1 and max-parallelism");
    }

    @Test
    void rejectsBadCheckpointIntervalNamingTheKey() throws Exception {
        Path file = write("checkpoints:\n  interval: often\n");

        assertThatThrownBy(() -> JobSettings.load(file))
                .hasMessageStartingWith(
                        file + ":1 checkpoints: checkpoints.interval: expected a duration such as 500ms, 10s, 5m");
    }

    @Test
    void readsRulesAndReports() throws Exception {
        JobSettings settings = JobSettings.load(write("rules:\n  directory: /etc/rules\n  hmac-keys: /etc/keys.yaml\n"
                + "reports:\n  audit-window: 30s\n  grace: 1m\n"));

        assertThat(settings.rules().directoryPath()).isEqualTo(Path.of("/etc/rules"));
        assertThat(settings.rules().hmacKeysPath()).isEqualTo(Path.of("/etc/keys.yaml"));
        assertThat(settings.reports().auditWindowDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.reports().graceDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(JobSettings.defaults().rules().hmacKeysPath()).isNull();
        assertThat(JobSettings.defaults().rules().directory()).isEqualTo("governance-rules/rules");
    }

    @Test
    void rejectsAnAuditWindowShorterThanASecond() throws Exception {
        Path file = write("reports:\n  audit-window: 200ms\n");

        assertThatThrownBy(() -> JobSettings.load(file))
                .hasMessageContaining("reports.audit-window must be at least 1s");
    }

    @Test
    void withEnvironmentReplacesOnlyServersAndCheckpointDirectory() {
        JobSettings settings = JobSettings.defaults().withEnvironment("broker:9093", "s3://b/c");

        assertThat(settings.kafka().bootstrapServers()).isEqualTo("broker:9093");
        assertThat(settings.checkpoints().directory()).isEqualTo("s3://b/c");
        assertThat(settings.kafka().transactionTimeout())
                .isEqualTo(JobSettings.defaults().kafka().transactionTimeout());
        assertThat(settings.restart()).isEqualTo(JobSettings.defaults().restart());
    }

    @Test
    void readsKafkaSecuritySettings() throws Exception {
        JobSettings settings = JobSettings.load(write("""
                kafka:
                  bootstrap-servers: kafka-bootstrap.kafka:9093
                  properties:
                    security.protocol: SASL_SSL
                    sasl.mechanism: SCRAM-SHA-512
                    ssl.truststore.type: PEM
                    ssl.truststore.location: /etc/otlp-governor/kafka-truststore/ca.crt
                """));

        assertThat(settings.kafka().properties())
                .containsExactly(
                        Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                        Map.entry("security.protocol", "SASL_SSL"),
                        Map.entry("ssl.truststore.location", "/etc/otlp-governor/kafka-truststore/ca.crt"),
                        Map.entry("ssl.truststore.type", "PEM"));
        assertThat(settings.withEnvironment("other:9093", "s3://b/c").kafka().properties())
                .isEqualTo(settings.kafka().properties());
        assertThat(JobSettings.defaults().kafka().properties()).isEmpty();
    }

    @Test
    void rejectsKafkaPropertiesThatAreNotSecuritySettings() throws Exception {
        Path file = write("kafka:\n  properties:\n    isolation.level: read_uncommitted\n");

        assertThatThrownBy(() -> JobSettings.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.properties: 'isolation.level' is not a security setting");
    }

    private static JobSettings.Checkpoints checkpointsIn(String directory) {
        return new JobSettings.Checkpoints(null, null, null, directory, null);
    }

    private static JobSettings withCheckpoints(JobSettings.Checkpoints checkpoints) {
        return new JobSettings(null, null, null, null, checkpoints, null, null, null);
    }

    private static JobSettings withRestart(JobSettings.Restart restart) {
        return new JobSettings(null, null, null, null, null, restart, null, null);
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "job", ".yaml"), yaml);
    }
}
