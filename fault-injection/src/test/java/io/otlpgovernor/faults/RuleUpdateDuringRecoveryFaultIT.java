package io.otlpgovernor.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.rules.ruleset.RuleSetMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rule update published while the job recovers from a killed TaskManager: the new version (the same rules,
 * version 2) is applied once — one accepted change in the audit, though the recovered job reads the rules topic
 * again — later spans are governed under it, and the output is still exact.
 */
class RuleUpdateDuringRecoveryFaultIT extends FaultScenario {

    @Test
    @Tag("full")
    void appliesARuleUpdatePublishedDuringRecoveryOnceAndStaysExact() throws Exception {
        system = FaultSystem.start("rule-update-during-recovery");
        try (Verifier verifier = new Verifier(system.kafka().bootstrapServers());
                Workload workload = Scenarios.workload(system)) {
            Scenarios.awaitProgress(workload, 0.3);
            system.flink().taskManager(0).kill();
            publishVersion(2);
            system.flink().restartTaskManager(0);
            system.flink().awaitRunning(system.jobId());

            Verifier.Outcome outcome = system.settle(workload, verifier);

            Scenarios.assertExactlyOnce("rule-update-during-recovery", outcome, 1);
            assertThat(verifier.acceptedRuleChanges(2))
                    .as("accepted changes to version 2 in the audit")
                    .isEqualTo(1);
            Map<String, Long> byVersion = verifier.governedSpansByRuleSetVersion();
            assertThat(byVersion).as("governed spans per rule-set version").containsOnlyKeys("1", "2");
            assertThat(byVersion.values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(outcome.governed());
        }
    }

    /** Publishes the tenant's rules as {@code version}, as {@code otlp-governor rules publish} would. */
    private void publishVersion(long version) throws Exception {
        Path rules = Path.of("src/test/resources/fault-rules");
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(rules)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file).replace("version: 1", "version: " + version);
                files.put(rules.relativize(file).toString(), text);
            }
        }
        RuleSetMessage message = new RuleSetMessage(BridgeProcess.TENANT, version, files);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        system.kafka().bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            TopicNames.RULES, BridgeProcess.TENANT.getBytes(StandardCharsets.UTF_8), message.toJson()))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
