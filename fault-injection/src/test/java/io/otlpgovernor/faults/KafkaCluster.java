package io.otlpgovernor.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

import static org.awaitility.Awaitility.await;

/**
 * A real Kafka cluster of three KRaft nodes, each a broker and a controller in its own JVM ({@code kafka.Kafka}),
 * on loopback. Topics are replicated three times with {@code min.insync.replicas=2}, the transaction state log too,
 * so one node can die without stopping acknowledged writes or transactions.
 */
final class KafkaCluster implements AutoCloseable {

    static final int NODES = 3;
    private static final Duration READY = Duration.ofSeconds(90);

    private final List<JavaProcess> nodes = new ArrayList<>();
    private final List<Integer> brokerPorts = new ArrayList<>();

    private KafkaCluster() {}

    /** Formats the storage of three nodes under {@code dir}, starts them and waits until all three are brokers. */
    static KafkaCluster start(Path dir) {
        KafkaCluster cluster = new KafkaCluster();
        try {
            cluster.create(dir);
            cluster.nodes.forEach(JavaProcess::start);
            cluster.awaitBrokers(NODES);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void create(Path dir) {
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            brokerPorts.add(Ports.free());
            controllerPorts.add(Ports.free());
        }
        String voters = java.util.stream.IntStream.range(0, NODES)
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
                .collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < NODES; i++) {
            Path nodeDir = dir.resolve("kafka-" + (i + 1));
            Path properties = writeProperties(nodeDir, i + 1, brokerPorts.get(i), controllerPorts.get(i), voters);
            format(dir, nodeDir, properties, clusterId);
            nodes.add(new JavaProcess(
                    "kafka-" + (i + 1), jvmArgs(dir), "kafka.Kafka", List.of(properties.toString()), Map.of(), dir));
        }
    }

    private static List<String> jvmArgs(Path dir) {
        return List.of(
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + dir.resolve("tmp"),
                "-Dlog4j2.configurationFile=" + LogConfig.write(dir));
    }

    private static Path writeProperties(Path nodeDir, int nodeId, int brokerPort, int controllerPort, String voters) {
        String properties = String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + nodeDir.resolve("data"),
                "default.replication.factor=3",
                "min.insync.replicas=2",
                "offsets.topic.replication.factor=3",
                "transaction.state.log.replication.factor=3",
                "transaction.state.log.min.isr=2",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                // A small machine: few threads, and a killed node's partitions move back to it soon after its return.
                "num.network.threads=2",
                "num.io.threads=2",
                "leader.imbalance.check.interval.seconds=10",
                "");
        try {
            Files.createDirectories(nodeDir);
            Path file = nodeDir.resolve("server.properties");
            Files.writeString(file, properties);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kafka-storage.sh format}: every node of one cluster with the same id, before its first start. */
    private static void format(Path dir, Path nodeDir, Path properties, String clusterId) {
        JavaProcess tool = new JavaProcess(
                        "format-" + nodeDir.getFileName(),
                        jvmArgs(dir),
                        "kafka.tools.StorageTool",
                        List.of("format", "--cluster-id", clusterId, "--config", properties.toString()),
                        Map.of(),
                        dir)
                .start();
        int status = tool.awaitExit(120);
        if (status != 0) {
            throw new IllegalStateException("formatting " + nodeDir + " failed (" + status + "):\n" + tool.tail());
        }
    }

    String bootstrapServers() {
        return brokerPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    JavaProcess node(int index) {
        return nodes.get(index);
    }

    /** SIGKILL to one node. */
    void kill(int index) {
        nodes.get(index).kill();
    }

    /** Starts a killed node again on its data and waits until the cluster has all its brokers back. */
    void restart(int index) {
        nodes.get(index).start();
        awaitBrokers(NODES);
    }

    private void awaitBrokers(int count) {
        await("Kafka brokers")
                .atMost(READY)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    nodes.forEach(this::checkAlive);
                    try (Admin admin = admin()) {
                        return admin.describeCluster()
                                        .nodes()
                                        .get(5, TimeUnit.SECONDS)
                                        .size()
                                == count;
                    }
                });
    }

    private void checkAlive(JavaProcess node) {
        if (!node.isAlive()) {
            throw new IllegalStateException(node.name() + " exited:\n" + node.tail());
        }
    }

    /** Creates topics and waits until every partition has a leader and three in-sync replicas. */
    void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            List<String> names = topics.stream().map(NewTopic::name).toList();
            await("topic leaders")
                    .atMost(READY)
                    .ignoreExceptions()
                    .until(() -> admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                            .flatMap(description -> description.partitions().stream())
                            .allMatch(p -> p.leader() != null && p.isr().size() == NODES));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics", e);
        }
    }

    /** Whether {@code group} has committed offsets at the end of every partition of {@code topics}. */
    boolean consumedToEnd(String group, Collection<String> topics) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (TopicDescription description : admin.describeTopics(topics)
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .values()) {
                description
                        .partitions()
                        .forEach(p ->
                                latest.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.latest()));
            }
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                    .allMatch(end -> {
                        OffsetAndMetadata done = committed.get(end.getKey());
                        return end.getValue().offset() == 0
                                || (done != null
                                        && done.offset() >= end.getValue().offset());
                    });
        }
    }

    /** Whether any transaction whose id starts with {@code prefix} is open on the brokers. */
    boolean hasOngoingTransactions(String prefix) throws Exception {
        try (Admin admin = admin()) {
            return admin.listTransactions().all().get(10, TimeUnit.SECONDS).stream()
                    .anyMatch(t -> t.transactionalId().startsWith(prefix)
                            && t.state() == org.apache.kafka.clients.admin.TransactionState.ONGOING);
        }
    }

    Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10000));
    }

    @Override
    public void close() {
        nodes.forEach(JavaProcess::close);
    }
}
