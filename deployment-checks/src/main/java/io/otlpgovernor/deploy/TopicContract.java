package io.otlpgovernor.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.otlpgovernor.job.kafka.TopicLayout;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The KafkaTopic resources against the topic contract as the job defines it ({@link TopicLayout}): the same topic
 * names, each with the same {@code retention.ms} and {@code cleanup.policy} (both absent where the layout leaves the
 * broker's default), and the rules topic with one partition.
 */
public final class TopicContract {

    private static final List<String> CONTRACT_CONFIGS =
            List.of(TopicConfig.RETENTION_MS_CONFIG, TopicConfig.CLEANUP_POLICY_CONFIG);

    private TopicContract() {}

    public static List<Problem> check(List<Manifest> kafkaTopics, String where) {
        Map<String, NewTopic> expected = new TreeMap<>();
        for (NewTopic topic : TopicLayout.topics(1, 1, (short) 1)) {
            expected.put(topic.name(), topic);
        }
        List<Problem> problems = new ArrayList<>();
        Map<String, Manifest> found = new TreeMap<>();
        for (Manifest manifest : kafkaTopics) {
            String name = manifest.body().path("spec").path("topicName").asText(manifest.name());
            if (found.put(name, manifest) != null) {
                problems.add(new Problem(manifest.where(), "spec.topicName: topic " + name + " is defined twice"));
            }
            NewTopic topic = expected.get(name);
            if (topic == null) {
                problems.add(
                        new Problem(manifest.where(), "spec.topicName: " + name + " is not a topic of TopicLayout"));
                continue;
            }
            JsonNode config = manifest.body().path("spec").path("config");
            Map<String, String> configs = topic.configs() == null ? Map.of() : topic.configs();
            for (String key : CONTRACT_CONFIGS) {
                String want = configs.get(key);
                String have = config.has(key) ? config.get(key).asText() : null;
                if (!Objects.equals(want, have)) {
                    problems.add(new Problem(
                            manifest.where(),
                            "spec.config." + key + ": is " + (have == null ? "not set" : have) + ", TopicLayout says "
                                    + (want == null ? "not set (broker default)" : want)));
                }
            }
            if (name.equals(io.otlpgovernor.contract.TopicNames.RULES)
                    && manifest.body().path("spec").path("partitions").asInt(-1) != 1) {
                problems.add(new Problem(
                        manifest.where(), "spec.partitions: the rules topic must have exactly 1 partition"));
            }
        }
        for (String name : expected.keySet()) {
            if (!found.containsKey(name)) {
                problems.add(new Problem(where, "no KafkaTopic for " + name + " (TopicLayout has it)"));
            }
        }
        return problems;
    }
}
