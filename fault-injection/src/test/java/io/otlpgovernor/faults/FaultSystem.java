package io.otlpgovernor.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.otlpgovernor.job.kafka.TopicLayout;

import static org.awaitility.Awaitility.await;

/**
 * The whole system on loopback, every part its own process: three Kafka nodes, a Flink JobManager and two
 * TaskManagers running the shaded job (parallelism 2, one slot per TaskManager, so each TaskManager runs half the
 * job), and the bridge. Everything lives under {@code target/fault-injection/<run>/}: data, configuration, one log
 * file per process. {@link #close()} kills every process, whatever state the scenario left it in, and deletes the
 * bulky data (Kafka's logs, checkpoints, temporary files: hundreds of megabytes a run) unless
 * {@code -Dfault.keep-data=true}; configuration and process logs stay for reading after the run.
 */
final class FaultSystem implements AutoCloseable {

    static final String CONSUMER_GROUP = "otlp-governor-faults";
    static final String TRANSACTIONAL_ID_PREFIX = "otlp-governor-faults";
    private static final Duration SETTLE = Duration.ofMinutes(4);

    private final Path dir;
    private KafkaCluster kafka;
    private FlinkCluster flink;
    private BridgeProcess bridge;
    private String jobId;

    private FaultSystem(Path dir) {
        this.dir = dir;
    }

    /** Starts every part and submits the job; on failure, kills whatever had started. */
    static FaultSystem start(String run) throws Exception {
        Path dir = Path.of("target", "fault-injection", run + "-" + System.currentTimeMillis())
                .toAbsolutePath();
        FaultSystem system = new FaultSystem(dir);
        try {
            system.kafka = KafkaCluster.start(dir);
            system.kafka.createTopics(TopicLayout.topics(2, 2, (short) KafkaCluster.NODES));
            system.flink = FlinkCluster.start(dir);
            system.jobId = system.flink.submit(
                    jobJar(),
                    "io.otlpgovernor.job.GovernorJob",
                    List.of(system.writeJobSettings().toString()));
            system.flink.awaitRunning(system.jobId);
            system.bridge = BridgeProcess.start(dir, system.kafka.bootstrapServers());
            return system;
        } catch (Exception | Error e) {
            system.close();
            throw e;
        }
    }

    private static Path jobJar() {
        Path jar = Path.of(System.getProperty("fault.job-jar", "../job/target/otlp-governor-job.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no shaded job jar at " + jar + " (mvn -pl job -am package makes it)");
        }
        return jar.toAbsolutePath();
    }

    /** The job's settings: checkpoints every 2 s, restarts without end, the fault-injection rules. */
    private Path writeJobSettings() throws IOException {
        Path rules = dir.resolve("rules");
        copyRules(rules);
        Path file = dir.resolve("job.yaml");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "job-name: otlp-governor-faults",
                        "parallelism: 2",
                        "max-parallelism: 128",
                        "kafka:",
                        "  bootstrap-servers: " + kafka.bootstrapServers(),
                        "  consumer-group: " + CONSUMER_GROUP,
                        "  transactional-id-prefix: " + TRANSACTIONAL_ID_PREFIX,
                        // Short enough that a TaskManager frozen past it has its transactions aborted by the brokers.
                        "  transaction-timeout: 60s",
                        "checkpoints:",
                        "  interval: 2s",
                        "  timeout: 30s",
                        "  min-pause: 500ms",
                        "  directory: " + dir.resolve("checkpoints"),
                        "  incremental: true",
                        "restart:",
                        "  strategy: fixed-delay",
                        "  attempts: 1000",
                        "  delay: 1s",
                        "rules:",
                        "  directory: " + rules,
                        "reports:",
                        "  audit-window: 2s",
                        "  grace: 2s",
                        ""));
        return file;
    }

    private static void copyRules(Path target) throws IOException {
        Path source = Path.of("src/test/resources/fault-rules");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
    }

    KafkaCluster kafka() {
        return kafka;
    }

    FlinkCluster flink() {
        return flink;
    }

    BridgeProcess bridge() {
        return bridge;
    }

    String jobId() {
        return jobId;
    }

    /**
     * Waits until the workload is acknowledged, the job has committed offsets at the end of the input and the
     * outputs have caught up with it, then returns what the verifier reads.
     */
    Verifier.Outcome settle(Workload workload, Verifier verifier) {
        await("workload acknowledged")
                .atMost(SETTLE)
                .pollInterval(Duration.ofMillis(500))
                .until(workload::done);
        await("job caught up")
                .atMost(SETTLE)
                .pollInterval(Duration.ofSeconds(1))
                .ignoreException(org.apache.kafka.common.KafkaException.class)
                .until(() -> kafka.consumedToEnd(CONSUMER_GROUP, TopicLayout.inputTopics()));
        return await("outputs complete")
                .atMost(SETTLE)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> verifier.read(workload.acknowledgedSpans()), Verifier.Outcome::complete);
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        // The bridge first (its producer would retry against a dying cluster), then Flink, then Kafka.
        if (bridge != null) {
            bridge.close();
        }
        if (flink != null) {
            flink.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (!Boolean.getBoolean("fault.keep-data")) {
            deleteData();
        }
    }

    private void deleteData() {
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> data = new ArrayList<>();
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (name.startsWith("kafka-")) {
                    data.add(child.resolve("data"));
                } else if (name.equals("checkpoints") || name.equals("tmp") || name.equals("uploads")) {
                    data.add(child);
                }
            }
            for (Path path : data) {
                deleteRecursively(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the data of " + dir, e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
