package io.otlpgovernor.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM.
 *
 * <p>Used by the local stack ({@code ./otlp-governor local}) and by every integration test, so both run on the same
 * broker code that production clusters run. Settings are those of a one-node cluster: replication factor 1 and
 * min ISR 1 for the internal offsets and transaction-state topics, no group rebalance delay, no topic
 * auto-creation (topics are created explicitly, as in production).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final Path dataDir;
    private final int brokerPort;
    private final KafkaConfig config;
    private KafkaRaftServer server;
    private volatile boolean running;

    private EmbeddedKafkaBroker(Path dataDir, int brokerPort, KafkaConfig config) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.config = config;
    }

    /** Formats a fresh log directory under {@code dataDir} and starts a broker on {@code brokerPort} (0 = any free port). */
    public static EmbeddedKafkaBroker start(Path dataDir, int brokerPort) {
        try {
            Files.createDirectories(dataDir);
            int port = brokerPort == 0 ? freePort() : brokerPort;
            int controllerPort = freePort();
            KafkaConfig config = KafkaConfig.fromProps(brokerProperties(dataDir, port, controllerPort));
            format(config, dataDir);
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, port, config);
            broker.startServer();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka broker in " + dataDir, e);
        }
    }

    private void startServer() {
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        running = true;
        awaitReady(Duration.ofSeconds(60));
    }

    /**
     * Stops the broker as a crash-free shutdown would, keeping its data and ports, so that {@link #restart()} can
     * bring the same broker back; for tests of clients while Kafka is away. Does nothing if it is not running.
     */
    public synchronized void stop() {
        close();
    }

    /**
     * Starts the broker again after {@link #stop()}, on the same ports and with the same data (the log directory is
     * not formatted again), and waits until it answers.
     *
     * @throws IllegalStateException if the broker is running
     */
    public synchronized void restart() {
        if (running) {
            throw new IllegalStateException("the broker is running; stop() it first");
        }
        startServer();
    }

    /** Whether the broker is running (started and neither stopped nor closed). */
    public boolean isRunning() {
        return running;
    }

    private static Properties brokerProperties(Path dataDir, int port, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        props.put(
                "listeners",
                "PLAINTEXT://localhost:" + port + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.resolve("logs").toString());
        props.put("metadata.log.dir", dataDir.resolve("metadata").toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        // Small segments and index buffers keep a test broker near 100 MB of heap.
        props.put("log.cleaner.dedupe.buffer.size", "2097152");
        props.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        return props;
    }

    private static void format(KafkaConfig config, Path dataDir) {
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(List.of(
                            dataDir.resolve("logs").toString(),
                            dataDir.resolve("metadata").toString()))
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the embedded Kafka log directories: " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = admin()) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException(
                                "embedded Kafka broker did not become ready within " + timeout, e);
                    }
                    pause(Duration.ofMillis(100));
                }
            }
        }
    }

    /** {@code localhost:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    public int port() {
        return brokerPort;
    }

    /** A new admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /**
     * Creates {@code topics} (existing ones are left alone) and waits until every partition has a leader: producing
     * into a topic whose leader KRaft has not yet published loses the first batch.
     */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(), e);
                    }
                }
            }
            awaitLeaders(admin, topics.stream().map(NewTopic::name).collect(Collectors.toList()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out creating topics", e);
        }
    }

    /** Creates single-partition topics with the given names. */
    public void createTopics(String... names) {
        createTopics(java.util.Arrays.stream(names)
                .map(n -> new NewTopic(n, 1, (short) 1))
                .toList());
    }

    /**
     * Whether consumer group {@code group} has committed offsets at the end of every partition of {@code topics}
     * (an empty partition counts as consumed). For a Flink job, whose source commits offsets when a checkpoint
     * completes, this means every input record has been processed and its output committed.
     */
    public boolean hasConsumedToEnd(String group, Collection<String> topics) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics)
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .forEach((topic, description) -> description
                            .partitions()
                            .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                    .allMatch(end -> {
                        OffsetAndMetadata done = committed.get(end.getKey());
                        long endOffset = end.getValue().offset();
                        return endOffset == 0 || (done != null && done.offset() >= endOffset);
                    });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read offsets of group " + group + ": " + e, e);
        }
    }

    private static void awaitLeaders(Admin admin, List<String> names) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                Map<String, TopicDescription> descriptions =
                        admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
                boolean allLed = descriptions.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (allLed) {
                    return;
                }
            } catch (Exception e) {
                // Metadata can lag right after creation: retry until the deadline.
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("topics " + names + " have no leader after 30 s", e);
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("topics " + names + " have no leader after 30 s");
            }
            pause(Duration.ofMillis(100));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public synchronized void close() {
        if (running) {
            running = false;
            server.shutdown();
            server.awaitShutdown();
        }
    }
}
