package io.otlpgovernor.deploy;

import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** flink-deployment/: the FlinkDeployment, its settings, RBAC and KafkaTopics. */
class FlinkDeploymentDirectoryTest {

    @Test
    void everyResourceIsValid() {
        assertThat(Repository.check().checkFlinkDeploymentDirectory()).isEmpty();
    }

    @Test
    void kafkaTopicsAgreeWithTopicLayout() {
        List<Manifest> topics =
                Manifest.read(Repository.ROOT.resolve("flink-deployment/kafka-topics.yaml"), "kafka-topics.yaml");

        assertThat(topics).hasSize(20);
        assertThat(TopicContract.check(topics, "kafka-topics.yaml")).isEmpty();
    }

    @Test
    void theReplayDeploymentMustBeABoundedBatchJobGivenBothRuleDirectories() throws Exception {
        String replay = Files.readString(Repository.ROOT.resolve("flink-deployment/replay.yaml"))
                .replace("execution.runtime-mode: BATCH", "execution.runtime-mode: STREAMING")
                .replace("      - --candidate\n      - /etc/otlp-governor/candidate\n", "");
        List<Manifest> manifests = Manifest.parse(replay, "replay.yaml");

        assertThat(new ResourceRules(manifests, Repository.TEMP).check(manifests.get(0)))
                .extracting(Problem::toString)
                .anySatisfy(p -> assertThat(p).contains("execution.runtime-mode: must be BATCH"))
                .anySatisfy(p -> assertThat(p).contains("spec.job.args: must give --candidate"));
    }
}
