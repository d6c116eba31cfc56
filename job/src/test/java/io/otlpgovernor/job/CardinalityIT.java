package io.otlpgovernor.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.contract.otlp.tree.DataPoints;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.TopicLayout;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Metric cardinality limits on a MiniCluster with RocksDB and checkpoints against an embedded broker: tenant
 * {@code exploding} (3 active series per metric, new ones dropped) sends a metric whose user attribute takes a new
 * value per data point, next to a steady metric; tenant {@code shop} (no limits) sends the same explosion. The
 * exploding metric is held at its first three series — also after a stop with savepoint and a restore — while its
 * steady metric and the other tenant flow untouched.
 */
class CardinalityIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int USERS = 20;

    @TempDir
    Path workDir;

    private EmbeddedKafkaBroker broker;
    private JobClient job;
    private CommittedTopicReader usage;
    private CommittedTopicReader audit;
    private CommittedTopicReader governed;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start(workDir.resolve("kafka"), 0);
        JobHarness.createTopics(broker, 1);
        usage = new CommittedTopicReader(broker.bootstrapServers(), List.of(TopicNames.USAGE));
        audit = new CommittedTopicReader(broker.bootstrapServers(), List.of(TopicNames.AUDIT));
        governed = new CommittedTopicReader(
                broker.bootstrapServers(),
                TopicLayout.governedTopics().stream()
                        .filter(t -> t.startsWith("governed_metrics_"))
                        .toList());
    }

    @AfterEach
    void stop() throws Exception {
        usage.close();
        audit.close();
        governed.close();
        JobHarness.cancelAndClose(job, broker);
    }

    @Test
    void anExplodingMetricIsHeldAtItsLimitAcrossASavepointWhileTheOtherTenantAndMetricFlow() throws Exception {
        JobSettings settings =
                JobHarness.fastSettings(broker, workDir.resolve("checkpoints"), workDir.resolve("rules"));
        job = start(settings.flinkConfiguration(), settings);
        try (KafkaProducer<byte[], byte[]> producer = JobHarness.producer(broker)) {
            for (String tenant : List.of("exploding", "shop")) {
                for (int first = 0; first < USERS; first += 5) {
                    send(producer, tenant, "logins", first, 5);
                    send(producer, tenant, "cpu", 0, 2);
                }
            }
        }
        awaitMetricsUsage(usage -> accepted(usage, "exploding") == 3 + 8
                && dropped(usage, "exploding") == USERS - 3
                && accepted(usage, "shop") == USERS + 8);
        // Usage is written after the records it counts: they are committed, and read within the wait.
        await().atMost(TIMEOUT).until(() -> governedUsers("shop", "logins").size() == USERS);
        assertThat(governedUsers("exploding", "logins")).containsExactly("u0", "u1", "u2");
        assertThat(governedUsers("exploding", "cpu")).hasSize(8);
        await().atMost(TIMEOUT)
                .until(() ->
                        Reports.audited(auditDocuments(), "exploding", "cardinality", "cardinality-drop") == USERS - 3);
        assertThat(Reports.audited(auditDocuments(), "shop", "cardinality", "cardinality-drop"))
                .isZero();

        String savepoint = JobHarness.stopWithSavepoint(job, workDir.resolve("savepoints"));
        Configuration restored = settings.flinkConfiguration();
        restored.setString("execution.savepoint.path", savepoint);
        job = start(restored, settings);
        try (KafkaProducer<byte[], byte[]> producer = JobHarness.producer(broker)) {
            send(producer, "exploding", "logins", 1, 1); // active before the savepoint: flows
            send(producer, "exploding", "logins", 50, 1); // new: the restored set is full
        }

        awaitMetricsUsage(
                usage -> accepted(usage, "exploding") == 3 + 8 + 1 && dropped(usage, "exploding") == USERS - 3 + 1);
        await().atMost(TIMEOUT).until(() -> governedUsers("exploding", "logins").size() == 4);
        assertThat(governedUsers("exploding", "logins")).containsExactly("u0", "u1", "u2", "u1");
        await().atMost(TIMEOUT)
                .until(() -> cardinalityDocuments("exploding/logins").stream()
                        .anyMatch(d -> d.path("metrics")
                                        .path("logins")
                                        .path("rejected_points")
                                        .asLong()
                                > 0));
        JsonNode document = cardinalityDocuments("exploding/logins").get(0);
        assertThat(document.path("metrics").path("logins").path("active_series").asLong())
                .isEqualTo(3);
        assertThat(document.path("metrics").path("logins").path("limit").asLong())
                .isEqualTo(3);
        assertThat(cardinalityDocuments("shop")).isEmpty();
    }

    private JobClient start(Configuration configuration, JobSettings settings) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(configuration);
        return GovernorJob.onKafka(settings).start(env, settings.jobName());
    }

    /** One gauge request of {@code count} data points, users {@code u<first>} on, from service checkout. */
    private static void send(KafkaProducer<byte[], byte[]> producer, String tenant, String metric, int first, int count)
            throws Exception {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int user = first; user < first + count; user++) {
            gauge.addDataPoints(NumberDataPoint.newBuilder()
                    .addAttributes(KeyValue.newBuilder()
                            .setKey("user")
                            .setValue(AnyValue.newBuilder().setStringValue("u" + user)))
                    .setTimeUnixNano(System.currentTimeMillis() * 1_000_000)
                    .setAsInt(user));
        }
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(KeyValue.newBuilder()
                                        .setKey("service.name")
                                        .setValue(AnyValue.newBuilder().setStringValue("checkout"))))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(Metric.newBuilder().setName(metric).setGauge(gauge))))
                .build();
        JobHarness.send(producer, Signal.METRICS.inputTopic(), tenant, request.toByteArray());
    }

    private static long accepted(List<JsonNode> usage, String tenant) {
        return Reports.usage(usage, tenant, "metrics", "accepted");
    }

    private static long dropped(List<JsonNode> usage, String tenant) {
        return Reports.usage(usage, tenant, "metrics", "dropped/cardinality");
    }

    private void awaitMetricsUsage(java.util.function.Predicate<List<JsonNode>> settled) {
        await().atMost(TIMEOUT).until(() -> {
            JobHarness.assertRunning(job);
            return settled.test(Reports.documents(usage.poll()));
        });
    }

    private List<JsonNode> auditDocuments() {
        return Reports.documents(audit.poll());
    }

    private List<JsonNode> cardinalityDocuments(String key) {
        return Reports.documents(usage.poll()).stream()
                .filter(d -> d.path("type").asText().equals("cardinality"))
                .filter(d -> d.path("key").asText().equals(key))
                .toList();
    }

    /** The user of each data point of {@code metric} that {@code tenant} has in the governed metric topics. */
    private List<String> governedUsers(String tenant, String metric) throws Exception {
        List<String> users = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : governed.poll()) {
            if (!tenant.equals(JobHarness.header(record, RecordHeaders.TENANT))) {
                continue;
            }
            OtlpTree.forEach(ExportMetricsServiceRequest.parseFrom(record.value()), (point, at) -> {
                if (at.metric().getName().equals(metric)) {
                    users.add(DataPoints.attributes(point).get(0).getValue().getStringValue());
                }
            });
        }
        return users;
    }
}
