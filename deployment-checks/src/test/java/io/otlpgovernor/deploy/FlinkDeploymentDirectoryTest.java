package io.otlpgovernor.deploy;

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

        assertThat(topics).hasSize(19);
        assertThat(TopicContract.check(topics, "kafka-topics.yaml")).isEmpty();
    }
}
