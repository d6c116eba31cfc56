package io.otlpgovernor.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.otlpgovernor.bridge.BridgeConfig;
import io.otlpgovernor.bridge.IngestBridge;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.job.GovernorJob;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.TopicLayout;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import io.otlpgovernor.rules.ruleset.RuleSources;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in one process, on embedded defaults: a single-node KRaft Kafka broker, the governance job on a
 * local Flink cluster with its web dashboard and Prometheus reporter, and the ingest bridge.
 *
 * <p>Each run starts from empty topics and state under the data directory. {@link #close()} stops the parts in
 * the reverse order: the bridge first (so every acknowledged request is in Kafka), then the job, then Kafka.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final EmbeddedKafkaBroker broker;
    private final JobClient job;
    private final IngestBridge bridge;
    private final LocalStackOptions options;

    private LocalStack(LocalStackOptions options, EmbeddedKafkaBroker broker, JobClient job, IngestBridge bridge) {
        this.options = options;
        this.broker = broker;
        this.job = job;
        this.bridge = bridge;
    }

    /** Starts every part, the bridge with fixed {@code keys}; on failure, stops whatever had started and rethrows. */
    public static LocalStack start(
            LocalStackOptions options, JobSettings jobSettings, BridgeConfig bridgeConfig, ApiKeys keys)
            throws Exception {
        return start(options, jobSettings, bridgeConfig, config -> IngestBridge.start(config, keys));
    }

    /** Starts every part, the bridge with the keys file of its configuration (reloaded when it changes). */
    public static LocalStack start(LocalStackOptions options, JobSettings jobSettings, BridgeConfig bridgeConfig)
            throws Exception {
        return start(options, jobSettings, bridgeConfig, IngestBridge::start);
    }

    /** How the bridge is started once Kafka's address is known. */
    private interface BridgeStarter {
        IngestBridge start(BridgeConfig config) throws Exception;
    }

    private static LocalStack start(
            LocalStackOptions options, JobSettings jobSettings, BridgeConfig bridgeConfig, BridgeStarter bridgeStarter)
            throws Exception {
        Path dataDir = options.dataDir().toAbsolutePath();
        deleteRecursively(dataDir.resolve("kafka"));
        deleteRecursively(dataDir.resolve("checkpoints"));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), options.kafkaPort());
        JobClient job = null;
        try {
            JobSettings settings = withLocalKeys(jobSettings, dataDir)
                    .withEnvironment(
                            broker.bootstrapServers(),
                            dataDir.resolve("checkpoints").toString());
            GovernorJob governorJob = GovernorJob.onKafka(settings);
            broker.createTopics(
                    TopicLayout.topics(2, 1, (short) 1, governorJob.rules().tiers()));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(clusterConfiguration(settings, options));
            job = governorJob.start(env, settings.jobName());
            IngestBridge bridge = bridgeStarter.start(bridgeConfig.withEndpoints(
                    options.grpcPort(), options.httpPort(), options.bridgeAdminPort(), broker.bootstrapServers()));
            return new LocalStack(options, broker, job, bridge);
        } catch (Exception | Error e) {
            if (job != null) {
                job.cancel();
            }
            broker.close();
            throw e;
        }
    }

    /** Settings with a local HMAC keys file when none is configured, holding a key for every tenant with rules. */
    private static JobSettings withLocalKeys(JobSettings settings, Path dataDir) throws IOException {
        if (settings.rules().hmacKeys() != null) {
            return settings;
        }
        Set<String> tenants = RuleSources.fromDirectory(settings.rules().directoryPath()).files().keySet().stream()
                .filter(path -> path.startsWith(RuleSources.TENANTS))
                .map(path -> path.substring(RuleSources.TENANTS.length(), path.length() - ".yaml".length()))
                .collect(Collectors.toSet());
        Path keys = LocalHmacKeys.ensure(dataDir, tenants);
        return settings.withRules(new JobSettings.Rules(settings.rules().directory(), keys.toString()));
    }

    private static Configuration clusterConfiguration(JobSettings settings, LocalStackOptions options) {
        Configuration conf = settings.flinkConfiguration();
        conf.set(RestOptions.PORT, options.dashboardPort());
        conf.setString(
                "metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", Integer.toString(options.prometheusPort()));
        return conf;
    }

    /** The embedded broker. */
    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public int grpcPort() {
        return bridge.grpcPort();
    }

    public int httpPort() {
        return bridge.httpPort();
    }

    public int bridgeAdminPort() {
        return bridge.adminPort();
    }

    /** The endpoints, for people. */
    public List<String> describe(Map<String, List<String>> demoKeys) {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "otlp-governor is running locally:",
                "  OTLP/gRPC            localhost:" + bridge.grpcPort() + "   (authorization: Bearer <key>)",
                "  OTLP/HTTP            http://localhost:" + bridge.httpPort()
                        + "/v1/{traces,metrics,logs}   (protobuf or JSON)",
                "  Bridge health        http://localhost:" + bridge.adminPort() + "/health/ready, metrics at /metrics",
                "  Kafka                " + broker.bootstrapServers()
                        + "   (governed_<signal>_<tier>, governor_audit, governor_usage; read with isolation.level=read_committed)",
                "  Flink dashboard      http://localhost:" + options.dashboardPort(),
                "  Prometheus metrics   http://localhost:" + options.prometheusPort() + "/metrics",
                "  Data and logs        " + options.dataDir().toAbsolutePath()));
        if (!demoKeys.isEmpty()) {
            lines.add("Demo API keys:");
            demoKeys.forEach((tenant, keys) -> lines.add("  " + tenant + "  " + String.join(", ", keys)));
        }
        lines.add("Press Ctrl-C to stop.");
        return lines;
    }

    @Override
    public void close() {
        bridge.close();
        try {
            job.cancel().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // The job may already be gone, for instance when the local cluster's own shutdown hook ran first.
            LOG.info("The job had already stopped: {}", e.getCause().toString());
        }
        broker.close();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot clear " + dir, e);
                }
            });
        }
    }
}
