package io.otlpgovernor.local.subjects;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.job.replay.ReplayJob;
import io.otlpgovernor.job.replay.ReplayTime;
import io.otlpgovernor.job.subjects.SubjectFindJob;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.subjects.SubjectEntry;
import io.otlpgovernor.rules.subjects.SubjectIdentifiers;
import io.otlpgovernor.rules.subjects.SubjectReport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code subjects find}: a subject access report. Scans the governed topics and the dead letters over a time range
 * (a bounded Flink job on a local cluster) for the subject's pseudonyms under every key of the tenant's keyring —
 * so rotated keys are covered — and for its raw identifier, and reports where records hold it and when retention
 * removes them.
 */
@Command(
        name = "find",
        mixinStandardHelpOptions = true,
        description = "Reports which topics, partitions, offsets and times hold a subject's records (raw or"
                + " pseudonymised), and when retention removes them.")
public final class FindCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SubjectOptions options;

    @ArgGroup(exclusive = true, multiplicity = "1")
    SubjectOptions.Identifier identifier;

    @Option(
            names = "--from",
            defaultValue = "-30d",
            description = "Start: ISO-8601, or relative such as -7d (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to", defaultValue = "now", description = "End (not included), as --from (default: now).")
    String to;

    @Option(names = "--output", description = "Also write the report as JSON to this file.")
    Path output;

    @Option(names = "--parallelism", defaultValue = "2", description = "Local Flink slots (default: 2).")
    int parallelism;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Instant start = ReplayTime.parse(from, now, "--from");
            Instant end = ReplayTime.parse(to, now, "--to");
            if (!start.isBefore(end)) {
                return Outcomes.usage(err, "find", "empty range: --from " + start + " is not before --to " + end);
            }
            HmacKeyring keyring = options.keyring();
            SubjectIdentifiers.Recognised subject = identifier.recognise();
            SubjectEntry entry = SubjectIdentifiers.entry(
                    options.tenant, subject, keyring, SubjectEntry.DROP_RECORD, now.toString());
            Map<String, SubjectReport.Retention> topics = topics();
            out.println("scanning " + topics.size() + " topics, " + start + " .. " + end + " ...");
            out.flush();
            List<SubjectReport.Holding> holdings = SubjectFindJob.run(
                    ReplayJob.localEnvironment(parallelism),
                    options.bootstrap,
                    new Properties(),
                    new ArrayList<>(topics.keySet()),
                    new ReplayJob.Range(start.toEpochMilli(), end.toEpochMilli()),
                    entry,
                    options.hmacKeys);
            SubjectReport report = new SubjectReport(
                    options.tenant,
                    entry.kind(),
                    entry.id(),
                    start,
                    end,
                    entry.pseudonyms().keySet(),
                    topics.keySet(),
                    holdings,
                    topics);
            out.print(report.table());
            if (output != null) {
                Files.write(output, report.json());
                out.println("report: " + output);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            return Outcomes.usage(err, "find", e.getMessage());
        } catch (org.apache.kafka.common.KafkaException e) {
            return Outcomes.kafka(err, "find", e);
        } catch (Exception e) {
            err.println("otlp-governor subjects find: the scan failed: " + rootMessage(e));
            return 1;
        }
    }

    /** The governed topics and the dead letters, with their retention. */
    private Map<String, SubjectReport.Retention> topics() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
            List<String> names = admin.listTopics().names().get(20, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith("governed_") || t.equals(TopicNames.DEAD_LETTER))
                    .sorted()
                    .toList();
            if (names.isEmpty()) {
                throw new IllegalArgumentException("no governed topics at " + options.bootstrap);
            }
            List<ConfigResource> resources = names.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                    .toList();
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(resources).all().get(20, TimeUnit.SECONDS);
            Map<String, SubjectReport.Retention> topics = new java.util.TreeMap<>();
            configs.forEach((resource, config) -> topics.put(
                    resource.name(),
                    new SubjectReport.Retention(
                            millis(config, TopicConfig.RETENTION_MS_CONFIG),
                            millis(config, TopicConfig.SEGMENT_MS_CONFIG))));
            return topics;
        } catch (ExecutionException | TimeoutException e) {
            throw new org.apache.kafka.common.KafkaException(SubjectsTopic.unreachable(options.bootstrap));
        }
    }

    private static long millis(Config config, String name) {
        var entry = config.get(name);
        return entry == null || entry.value() == null ? -1 : Long.parseLong(entry.value());
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
