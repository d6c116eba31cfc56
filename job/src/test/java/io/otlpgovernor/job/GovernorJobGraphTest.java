package io.otlpgovernor.job;

import java.nio.file.Path;
import java.util.List;

import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.KafkaEdges;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.apache.flink.streaming.runtime.partitioner.RebalancePartitioner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The job's graph as Flink sees it, without running it. */
class GovernorJobGraphTest {

    @Test
    void everyOperatorHasAStableUidAndAReadableName() throws Exception {
        StreamGraph graph = graph();

        assertThat(graph.getStreamNodes()).allSatisfy(node -> {
            assertThat(node.getTransformationUID())
                    .as("uid of %s", node.getOperatorName())
                    .isNotBlank();
            assertThat(node.getOperatorName()).doesNotStartWith("Process").doesNotStartWith("Co-Process");
        });
        assertThat(graph.getStreamNodes())
                .extracting(StreamNode::getTransformationUID)
                .contains(
                        GovernorJob.SOURCE_UID,
                        GovernorJob.RULES_SOURCE_UID,
                        GovernorJob.DECODE_UID,
                        GovernorJob.QUOTA_UID,
                        GovernorJob.GOVERN_UID,
                        GovernorJob.TAIL_UID,
                        GovernorJob.TAIL_RATE_LIMIT_UID,
                        GovernorJob.CARDINALITY_UID,
                        GovernorJob.USAGE_UID,
                        GovernorJob.AUDIT_UID);
        assertThat(graph.getStreamNodes())
                .extracting(StreamNode::getOperatorName)
                .contains(
                        "Tail sampling per trace",
                        "Tail rate limit per service",
                        "Cardinality limit per tenant and metric");
    }

    @Test
    void onlyTheCheapQuotaIsKeyedByTenantAndGoverningIsSpreadOverEveryInstance() throws Exception {
        StreamGraph graph = graph();

        assertThat(dataInputs(graph, GovernorJob.QUOTA_UID))
                .singleElement()
                .satisfies(edge -> assertThat(edge.getPartitioner()).isInstanceOf(KeyGroupStreamPartitioner.class));
        assertThat(dataInputs(graph, GovernorJob.GOVERN_UID))
                .singleElement()
                .satisfies(edge -> assertThat(edge.getPartitioner()).isInstanceOf(RebalancePartitioner.class));
    }

    @Test
    void tailSamplingIsKeyedByTraceTheRateLimitByServiceAndCardinalityByTenantOrMetric() throws Exception {
        StreamGraph graph = graph();

        assertThat(dataInputs(graph, GovernorJob.TAIL_UID))
                .singleElement()
                .satisfies(edge -> assertThat(edge.getPartitioner()).isInstanceOf(KeyGroupStreamPartitioner.class));
        assertThat(dataInputs(graph, GovernorJob.TAIL_RATE_LIMIT_UID))
                .singleElement()
                .satisfies(edge -> assertThat(edge.getPartitioner()).isInstanceOf(KeyGroupStreamPartitioner.class));
        assertThat(dataInputs(graph, GovernorJob.CARDINALITY_UID))
                .singleElement()
                .satisfies(edge -> assertThat(edge.getPartitioner()).isInstanceOf(KeyGroupStreamPartitioner.class));
    }

    @Test
    void governedRecordsAreWrittenInTheGoverningTaskAndEverythingElseThroughOneSharedSink() throws Exception {
        StreamGraph graph = graph();
        JobGraph job = graph.getJobGraph();

        // One task holds the governing operator and the governed sink's writer: no serialization hop between them.
        assertThat(job.getVertices())
                .extracting(JobVertex::getName)
                .anySatisfy(name -> assertThat(name)
                        .contains("Sample, classify, protect, route tiers")
                        .contains("Kafka: governed: Writer"));
        // Two transactional sinks in all (each a writer and a committer): governed, and the shared one.
        assertThat(graph.getStreamNodes())
                .extracting(StreamNode::getOperatorName)
                .filteredOn(name -> name.endsWith(": Writer"))
                .containsExactlyInAnyOrder(
                        "Kafka: governed: Writer", "Kafka: dead letters, audit, usage, tail-sampled, limited: Writer");
    }

    @Test
    void reportContributionsAreSummedInTheTaskThatMakesThemBeforeTheyAreShuffled() throws Exception {
        JobGraph job = graph().getJobGraph();

        for (String[] producerAndSums : new String[][] {
            {"Sample, classify, protect, route tiers", "Sum usage-govern", "Sum audit-govern"},
            {"Tail sampling per trace", "Sum usage-tail", "Sum audit-tail"},
            {"Cardinality limit per tenant and metric", "Sum usage-cardinality", "Sum audit-cardinality"},
            {"Quota per tenant", "Sum usage-quota", "Sum audit-quota"},
            {"Decode OTLP", "Sum usage-decode"}
        }) {
            assertThat(job.getVertices())
                    .extracting(JobVertex::getName)
                    .as("the task of %s", producerAndSums[0])
                    .anySatisfy(name -> assertThat(name).contains(producerAndSums));
        }
    }

    private static List<StreamEdge> dataInputs(StreamGraph graph, String uid) {
        StreamNode node = graph.getStreamNodes().stream()
                .filter(n -> uid.equals(n.getTransformationUID()))
                .findFirst()
                .orElseThrow();
        // The broadcast rules arrive on the other input.
        return node.getInEdges().stream()
                .filter(edge -> !GovernorJob.RULES_SOURCE_UID.equals(
                        graph.getStreamNode(edge.getSourceId()).getTransformationUID()))
                .toList();
    }

    private static StreamGraph graph() throws Exception {
        JobSettings settings = JobSettings.defaults();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        env.setParallelism(2);
        new GovernorJob(
                        KafkaEdges.all(settings),
                        RuleBootstrap.load(Path.of("src/test/resources/it-rules"), null),
                        settings.reports())
                .build(env);
        return env.getStreamGraph();
    }
}
