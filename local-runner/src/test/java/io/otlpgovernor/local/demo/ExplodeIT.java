package io.otlpgovernor.local.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.otlpgovernor.bridge.BridgeConfig;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.TopicLayout;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.local.LocalStack;
import io.otlpgovernor.local.LocalStackOptions;
import io.otlpgovernor.rules.cardinality.CardinalityRules;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSources;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./otlp-governor demo explode} against the local stack with the shipped rules and demo keys: every series it
 * asked for reaches the bridge (the SDK's own limit of 2,000 series per instrument does not fold them), and acme's
 * limit on {@code orders.placed} lets exactly its number of series through, dropping the rest, as the cardinality
 * documents, the usage and the audit trail all say.
 */
class ExplodeIT {

    private static final Path OUTPUT = Path.of("target/explode-run");
    private static final String METRIC = "orders.placed";
    private static final String ATTRIBUTE = "cart.id";
    /** More than the SDK's default limit of 2,000 series per instrument. */
    private static final int SERIES = 2_500;
    /** The run's last export, the minute that holds it ending, and the job's next checkpoint. */
    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(150);

    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStack stack;
    private static long limit;

    @BeforeAll
    static void startStack() throws Exception {
        Path rules = Path.of("../governance-rules/rules");
        CardinalityRules acme = RuleLoader.load(RuleSources.fromDirectory(rules))
                .tenant("acme")
                .orElseThrow()
                .cardinality()
                .orElseThrow();
        limit = acme.limitOf(METRIC).orElseThrow();
        assertThat(limit).as("acme's limit on " + METRIC).isLessThan(SERIES);
        JobSettings settings = new JobSettings(
                "otlp-governor-explode",
                1,
                128,
                new JobSettings.Kafka(null, "otlp-governor-explode", "otlp-governor-explode", "2m"),
                new JobSettings.Checkpoints("500ms", "30s", "100ms", null, true),
                new JobSettings.Restart("fixed-delay", 3, "200ms", null),
                new JobSettings.Rules(rules.toString(), null),
                new JobSettings.Reports("1s", "1s"));
        stack = LocalStack.start(
                new LocalStackOptions(
                        Files.createDirectories(OUTPUT.resolve("data")), 0, 0, 0, 0, freePort(), freePort()),
                settings,
                BridgeConfig.defaults(Path.of("unused")),
                ApiKeys.load(Path.of("../ingest-bridge/config/demo-keys.yaml")));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everySeriesReachesTheBridgeAndAcmesLimitLetsExactlyItsNumberThrough() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = DemoCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int status = commandLine.execute(
                "explode",
                "--endpoint",
                "http://localhost:" + stack.grpcPort(),
                "--tenant",
                "acme",
                "--service",
                "checkout",
                "--metric",
                METRIC,
                "--series",
                Integer.toString(SERIES),
                "--rate",
                "2500",
                "--minutes",
                "0.5");

        assertThat(status).as(out + "\n" + err).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).contains("2,500 of 2,500 series so far").contains("(0 failed)");
        long acknowledged = acknowledgedPoints(out.toString());
        assertThat(acknowledged).as("data points the bridge acknowledged").isGreaterThanOrEqualTo(SERIES);

        String key = "acme/" + METRIC;
        try (CommittedTopicReader input =
                        new CommittedTopicReader(stack.bootstrapServers(), List.of(Signal.METRICS.inputTopic()));
                CommittedTopicReader output =
                        new CommittedTopicReader(stack.bootstrapServers(), TopicLayout.governedTopics());
                CommittedTopicReader usage =
                        new CommittedTopicReader(stack.bootstrapServers(), List.of(TopicNames.USAGE));
                CommittedTopicReader audit =
                        new CommittedTopicReader(stack.bootstrapServers(), List.of(TopicNames.AUDIT))) {
            await().atMost(REPORT_TIMEOUT).untilAsserted(() -> {
                assertThat(points(input.poll()).count())
                        .as("data points on the input topic")
                        .isEqualTo(acknowledged);
                List<JsonNode> reports = metricReports(documents(usage.poll()), key);
                long rejected = sum(reports, "rejected_points");
                assertThat(sum(reports, "data_points"))
                        .as("data points in " + key + "'s cardinality documents")
                        .isEqualTo(acknowledged);
                assertThat(points(output.poll()).count())
                        .as("governed data points")
                        .isEqualTo(acknowledged - rejected);
                assertThat(sum(usageOf(documents(usage.records())), "dropped/cardinality"))
                        .as("dropped.cardinality in acme's usage")
                        .isEqualTo(rejected);
                assertThat(cardinalityDrops(documents(audit.poll())))
                        .as("audited cardinality-drop of " + METRIC)
                        .isEqualTo(rejected);
            });

            // What the bridge wrote: every series asked for, none folded by the SDK.
            Points sent = points(input.records());
            assertThat(sent.values()).hasSize(SERIES);
            assertThat(sent.overflowPoints()).isZero();
            // What came out: exactly as many series as the limit, among those sent.
            Points governed = points(output.records());
            assertThat(governed.values()).hasSize((int) limit);
            assertThat(sent.values()).containsAll(governed.values());
            List<JsonNode> reports = metricReports(documents(usage.records()), key);
            assertThat(sum(reports, "rejected_points")).isPositive();
            assertThat(sum(reports, "new_series")).as("series admitted").isEqualTo(limit);
            assertThat(reports).allSatisfy(report -> {
                assertThat(report.path("limit").asLong()).isEqualTo(limit);
                assertThat(report.path("active_series").asLong()).isEqualTo(limit);
                assertThat(report.path("stripped_points").asLong()).isZero();
                assertThat(report.path("tagged_points").asLong()).isZero();
                // A HyperLogLog estimate (about 3 % standard error) of the 2,400 series over the limit.
                assertThat(report.path("over_limit_series_estimate").asLong()).isBetween(2_100L, 2_700L);
            });
        }
    }

    /** The data points of the exports the command reported as accepted. */
    private static long acknowledgedPoints(String output) {
        Matcher accepted =
                Pattern.compile("export of ([0-9,]+) data points accepted").matcher(output);
        long points = 0;
        while (accepted.find()) {
            points += Long.parseLong(accepted.group(1).replace(",", ""));
        }
        return points;
    }

    /** The values of the exploding attribute, and the data points, of acme's metric in {@code records}. */
    private static Points points(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> values = new HashSet<>();
        long count = 0;
        long overflow = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!"acme".equals(header(record, RecordHeaders.TENANT))) {
                continue;
            }
            ExportMetricsServiceRequest request;
            try {
                request = ExportMetricsServiceRequest.parseFrom(record.value());
            } catch (IOException e) {
                throw new UncheckedIOException("not a metrics request on " + record.topic(), e);
            }
            List<Metric> metrics = new ArrayList<>();
            request.getResourceMetricsList()
                    .forEach(r -> r.getScopeMetricsList().forEach(s -> metrics.addAll(s.getMetricsList())));
            for (Metric metric : metrics) {
                if (!metric.getName().equals(METRIC)) {
                    continue;
                }
                for (NumberDataPoint point : metric.getSum().getDataPointsList()) {
                    count++;
                    for (KeyValue attribute : point.getAttributesList()) {
                        if (attribute.getKey().equals(ATTRIBUTE)) {
                            values.add(attribute.getValue().getStringValue());
                        }
                        if (attribute.getKey().equals(CardinalityRules.OVERFLOW_ATTRIBUTE)) {
                            overflow++;
                        }
                    }
                }
            }
        }
        return new Points(values, count, overflow);
    }

    private record Points(Set<String> values, long count, long overflowPoints) {}

    /** The metric's entries of the cardinality documents of {@code key}. */
    private static List<JsonNode> metricReports(List<JsonNode> documents, String key) {
        return documents.stream()
                .filter(d -> d.path("type").asText().equals("cardinality"))
                .filter(d -> d.path("key").asText().equals(key))
                .map(d -> d.path("metrics").path(METRIC))
                .filter(JsonNode::isObject)
                .toList();
    }

    private static List<JsonNode> usageOf(List<JsonNode> documents) {
        return documents.stream()
                .filter(d -> d.path("type").asText().equals("usage"))
                .filter(d -> d.path("tenant").asText().equals("acme"))
                .map(d -> d.path("signals").path("metrics"))
                .toList();
    }

    private static long cardinalityDrops(List<JsonNode> audit) {
        long drops = 0;
        for (JsonNode document : audit) {
            if (!document.path("tenant").asText().equals("acme")) {
                continue;
            }
            for (JsonNode entry : document.path("entries")) {
                if (entry.path("rule").asText().equals("cardinality")
                        && entry.path("action").asText().equals("cardinality-drop")
                        && entry.path("field").asText().equals(METRIC)) {
                    drops += entry.path("count").asLong();
                }
            }
        }
        return drops;
    }

    private static long sum(List<JsonNode> nodes, String path) {
        return nodes.stream().mapToLong(n -> n.at("/" + path).asLong()).sum();
    }

    private static List<JsonNode> documents(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(record -> {
                    try {
                        return JSON.readTree(record.value());
                    } catch (IOException e) {
                        throw new UncheckedIOException("not a JSON document on " + record.topic(), e);
                    }
                })
                .toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
