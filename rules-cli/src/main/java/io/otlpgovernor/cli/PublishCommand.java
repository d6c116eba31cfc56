package io.otlpgovernor.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.rules.ruleset.RuleBook;
import io.otlpgovernor.rules.ruleset.RuleSetMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code publish}: validates the rules, then writes each tenant's rule set to the compacted rules topic, where
 * the running job picks it up. A tenant whose version is not greater than the one already published (with other
 * content) is refused, so every change carries a new version.
 */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = "Validates the rules, then publishes versioned rule sets to the compacted rules topic.")
final class PublishCommand extends RulesSubcommand implements Callable<Integer> {

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--rules", required = true, description = "The rules directory.")
    Path rules;

    @Option(names = "--tenant", description = "Publish only this tenant (default: every tenant).")
    String tenant;

    @Option(
            names = "--topic",
            defaultValue = TopicNames.RULES,
            description = "The rules topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Override
    public Integer call() throws InterruptedException {
        RuleBook book = ValidateCommand.validate(rules, out(), err());
        if (book == null) {
            return 1;
        }
        List<String> tenants =
                tenant == null ? book.tenants().keySet().stream().sorted().toList() : List.of(tenant);
        if (tenant != null && book.tenant(tenant).isEmpty()) {
            err().println("no rules for tenant " + tenant + " in " + rules);
            return 1;
        }
        try {
            Map<String, RuleSetMessage> published = PublishedRules.latest(bootstrap, topic, err());
            int failures = 0;
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                for (String id : tenants) {
                    RuleSetMessage message = RuleSetMessage.of(book, id);
                    RuleSetMessage current = published.get(id);
                    if (current != null && current.files().equals(message.files())) {
                        out().println(id + ": v" + message.version() + " is already published");
                        continue;
                    }
                    if (current != null && current.version() >= message.version()) {
                        err().println(id + ": version " + message.version()
                                + " is not greater than the published version " + current.version()
                                + "; raise 'version' in tenants/" + id + ".yaml");
                        failures++;
                        continue;
                    }
                    producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), message.toJson()))
                            .get(30, TimeUnit.SECONDS);
                    out().println(id + ": published v" + message.version()
                            + (current == null ? "" : " (was v" + current.version() + ")"));
                }
            }
            return failures == 0 ? 0 : 1;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            err().println("cannot publish to " + topic + " at " + bootstrap + ": " + cause.getMessage());
            return 1;
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        15_000),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }
}
