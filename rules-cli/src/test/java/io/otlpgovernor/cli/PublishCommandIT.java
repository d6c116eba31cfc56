package io.otlpgovernor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import io.otlpgovernor.rules.ruleset.RuleSetMessage;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code publish} against a real (embedded) broker. */
class PublishCommandIT {

    @TempDir
    Path dir;

    private EmbeddedKafkaBroker broker;

    @BeforeEach
    void start() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        broker.createTopics(List.of(new NewTopic(TopicNames.RULES, 1, (short) 1)
                .configs(java.util.Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void publishesEachTenantsRuleSetOnceAndRefusesAChangeWithoutANewVersion() throws IOException {
        Path rules = dir.resolve("rules");
        Files.createDirectories(rules.resolve("tenants"));
        Files.createDirectories(rules.resolve("presets"));
        Files.writeString(
                rules.resolve("presets/base.yaml"), "preset: base\nclassification:\n  detectors:\n    - id: email\n");
        Files.writeString(rules.resolve("tenants/acme.yaml"), "tenant: acme\nversion: 1\nextends: [base]\n");
        Files.writeString(rules.resolve("tenants/globex.yaml"), "tenant: globex\nversion: 4\n");

        RulesCommandTest.Run first =
                RulesCommandTest.run("publish", "--bootstrap", broker.bootstrapServers(), "--rules", rules.toString());
        RulesCommandTest.Run again =
                RulesCommandTest.run("publish", "--bootstrap", broker.bootstrapServers(), "--rules", rules.toString());
        Files.writeString(rules.resolve("tenants/acme.yaml"), "tenant: acme\nversion: 1\n");
        RulesCommandTest.Run stale = RulesCommandTest.run(
                "publish", "--bootstrap", broker.bootstrapServers(), "--rules", rules.toString(), "--tenant", "acme");
        Files.writeString(rules.resolve("tenants/acme.yaml"), "tenant: acme\nversion: 2\n");
        RulesCommandTest.Run raised = RulesCommandTest.run(
                "publish", "--bootstrap", broker.bootstrapServers(), "--rules", rules.toString(), "--tenant", "acme");

        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("acme: published v1", "globex: published v4");
        assertThat(again.out()).contains("acme: v1 is already published", "globex: v4 is already published");
        assertThat(stale.status()).isEqualTo(1);
        assertThat(stale.err())
                .contains(
                        "acme: version 1 is not greater than the published version 1; raise 'version' in tenants/acme.yaml");
        assertThat(raised.out()).contains("acme: published v2 (was v1)");

        try (CommittedTopicReader reader =
                new CommittedTopicReader(broker.bootstrapServers(), List.of(TopicNames.RULES))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.poll().size() >= 3);
            List<String> published = reader.poll().stream()
                    .map(r -> new String(r.key(), StandardCharsets.UTF_8) + " v"
                            + RuleSetMessage.fromJson(r.value()).version())
                    .toList();
            assertThat(published).containsExactly("acme v1", "globex v4", "acme v2");
            RuleSetMessage acmeV1 =
                    RuleSetMessage.fromJson(reader.records().get(0).value());
            assertThat(acmeV1.files()).containsOnlyKeys("presets/base.yaml", "tenants/acme.yaml");
        }
    }

    @Test
    void saysWhenKafkaCannotBeReached() throws IOException {
        Path rules = dir.resolve("rules");
        Files.createDirectories(rules.resolve("tenants"));
        Files.writeString(rules.resolve("tenants/acme.yaml"), "tenant: acme\nversion: 1\n");

        RulesCommandTest.Run run =
                RulesCommandTest.run("publish", "--bootstrap", "localhost:1", "--rules", rules.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("cannot publish to governor_rules at localhost:1");
    }
}
