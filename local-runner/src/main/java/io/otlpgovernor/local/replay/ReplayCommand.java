package io.otlpgovernor.local.replay;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.otlpgovernor.cli.PublishedRules;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.job.replay.ReplayApplication;
import io.otlpgovernor.job.replay.ReplayJob;
import io.otlpgovernor.job.replay.ReplayTime;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import io.otlpgovernor.rules.replay.ReplayDiff;
import io.otlpgovernor.rules.replay.ReplayTotals;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSetMessage;
import io.otlpgovernor.rules.ruleset.RuleSources;
import io.otlpgovernor.rules.ruleset.RuleValidationException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rules replay}: governs a stretch of the input topics' history twice — under the rules in force and under
 * candidate rules — in Flink's BATCH mode on a local cluster, and shows what would differ, per tenant: received,
 * kept and dropped by reason per signal and tier, what each rule did, quota drops per minute, tail keeps per policy.
 * Writes nothing to the governed topics. Counts and names only.
 *
 * <p>Exit status: 0 done, 2 a mistake in the command (one line says what), 1 Kafka or the replay failed.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Replays Kafka history under the rules in force and under candidate rules, and reports the"
                + " difference (no output to the governed topics).")
public final class ReplayCommand implements Callable<Integer> {

    /** The topic the per-tenant replay reports go to. */
    public static final String REPLAY_TOPIC = ReplayApplication.REPLAY_TOPIC;

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(
            names = "--rules",
            required = true,
            description = "The candidate rules: a rules directory (presets/,"
                    + " tenants/); its files replace the baseline's files of the same name.")
    Path candidate;

    @Option(
            names = "--baseline",
            description = "The baseline rules directory (default: the rules in force: ${DEFAULT-VALUE} with the rule"
                    + " sets published to the rules topic).",
            defaultValue = "governance-rules/rules")
    Path baseline;

    @Option(names = "--baseline-files-only", description = "Use --baseline as it is, without the rules topic.")
    boolean baselineFilesOnly;

    @Option(
            names = "--hmac-keys",
            description = "The HMAC keys file for rules that hash (default: local-data/hmac-keys.yaml when it exists).")
    Path hmacKeys;

    @Option(names = "--tenant", defaultValue = "all", description = "A tenant id, or all (default).")
    String tenant;

    @Option(names = "--from", required = true, description = "Start: ISO-8601, or relative to now such as -24h.")
    String from;

    @Option(names = "--to", defaultValue = "now", description = "End (not included), as --from (default: now).")
    String to;

    @Option(names = "--output", description = "Also write the report as JSON to this file.")
    Path output;

    @Option(names = "--no-topic", description = "Do not write the per-tenant reports to " + REPLAY_TOPIC + ".")
    boolean noTopic;

    @Option(names = "--parallelism", defaultValue = "2", description = "Local Flink slots (default: 2).")
    int parallelism;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path work = null;
        try {
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Instant start = ReplayTime.parse(from, now, "--from");
            Instant end = ReplayTime.parse(to, now, "--to");
            if (!start.isBefore(end)) {
                return usage(err, "empty range: --from " + start + " is not before --to " + end);
            }
            if (parallelism < 1 || parallelism > 64) {
                return usage(err, "--parallelism must be between 1 and 64");
            }
            Path keys = hmacKeys != null ? hmacKeys : existing(Path.of("local-data/hmac-keys.yaml"));
            if (keys != null && !Files.isRegularFile(keys)) {
                return usage(err, "--hmac-keys " + keys + ": no such file");
            }
            for (Path dir : new Path[] {baseline, candidate}) {
                if (!Files.isDirectory(dir)) {
                    return usage(err, dir + ": no such rules directory");
                }
            }
            work = Files.createTempDirectory("otlp-governor-replay");
            Path baselineRules = copy(baseline, work.resolve("baseline"));
            if (!baselineFilesOnly) {
                PublishedRules.latest(bootstrap, TopicNames.RULES, err).values().forEach(m -> write(m, baselineRules));
            }
            Path candidateRules = copy(candidate, copy(baselineRules, work.resolve("candidate")));
            RuleBootstrap baselineBootstrap = load("baseline", baselineRules, keys);
            RuleBootstrap candidateBootstrap = load("candidate", candidateRules, keys);
            Set<String> tenants = tenants(baselineRules, candidateRules);
            if (!tenant.equals("all") && !tenants.contains(tenant)) {
                return usage(
                        err,
                        "unknown tenant '" + tenant + "': no rules for it in the baseline or the candidate"
                                + " (tenants: " + String.join(", ", tenants) + ")");
            }
            Optional<Instant> oldest = HistoryBounds.oldest(bootstrap);
            if (oldest.isEmpty()) {
                return usage(err, "nothing to replay: the input topics at " + bootstrap + " hold no records");
            }
            if (!oldest.get().isBefore(end)) {
                return usage(
                        err,
                        "the range ends at " + end + ", before the oldest record the input topics still" + " hold ("
                                + oldest.get() + "): retention removed it");
            }
            if (oldest.get().isAfter(start)) {
                err.println("note: the input topics hold nothing older than " + oldest.get()
                        + " (retention, or nothing was sent before); read " + oldest.get() + " .. " + end
                        + " of the range asked for");
            }
            ReplayJob.Range range = new ReplayJob.Range(start.toEpochMilli(), end.toEpochMilli());
            Set<String> only = tenant.equals("all") ? Set.of() : Set.of(tenant);
            out.println("replaying " + start + " .. " + end + " under the baseline rules ...");
            out.flush();
            ReplayTotals before = replay(baselineBootstrap, range, only);
            out.println("replaying it under the candidate rules ...");
            out.flush();
            ReplayTotals after = replay(candidateBootstrap, range, only);
            ReplayDiff diff = new ReplayDiff(start, end, before, after);
            out.print(diff.table());
            if (output != null) {
                Files.write(output, diff.json());
                out.println("report: " + output);
            }
            if (!noTopic) {
                publish(diff);
                out.println("per-tenant reports: topic " + REPLAY_TOPIC);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (RuleValidationException e) {
            return usage(err, e.getMessage());
        } catch (KafkaException e) {
            err.println("otlp-governor rules replay: Kafka at " + bootstrap + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("otlp-governor rules replay: the replay failed: " + rootMessage(e));
            return 1;
        } finally {
            delete(work);
        }
    }

    private ReplayTotals replay(RuleBootstrap rules, ReplayJob.Range range, Set<String> only) throws Exception {
        ReplayJob.Documents documents =
                ReplayJob.run(ReplayJob.localEnvironment(parallelism), bootstrap, new Properties(), rules, range, only);
        return ReplayTotals.of(documents.usage(), documents.audit());
    }

    private static RuleBootstrap load(String which, Path rules, Path keys) throws RuleValidationException {
        try {
            return RuleBootstrap.load(rules, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + which + " rules cannot be used: " + e.getMessage());
        } catch (RuleValidationException e) {
            throw new IllegalArgumentException("the " + which + " rules do not validate: " + e.getMessage());
        }
    }

    private static Set<String> tenants(Path... directories) throws RuleValidationException {
        Set<String> tenants = new TreeSet<>();
        for (Path dir : directories) {
            tenants.addAll(
                    RuleLoader.load(RuleSources.fromDirectory(dir)).tenants().keySet());
        }
        return tenants;
    }

    private void publish(ReplayDiff diff) throws Exception {
        Map<String, Object> common = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(common)) {
            admin.createTopics(java.util.List.of(new NewTopic(REPLAY_TOPIC, Optional.empty(), Optional.empty())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Map.Entry<String, byte[]> report : diff.perTenant().entrySet()) {
                producer.send(new ProducerRecord<>(
                                REPLAY_TOPIC, report.getKey().getBytes(StandardCharsets.UTF_8), report.getValue()))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Writes a published rule set's files over the baseline's. */
    private static void write(RuleSetMessage message, Path rules) {
        message.files().forEach((path, text) -> {
            try {
                Path file = rules.resolve(path);
                Files.createDirectories(file.getParent());
                Files.writeString(file, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Copies the rule files of {@code from} into {@code to} (replacing files of the same name); returns {@code to}. */
    private static Path copy(Path from, Path to) throws IOException {
        for (String sub : new String[] {RuleSources.PRESETS, RuleSources.TENANTS}) {
            Path source = from.resolve(sub);
            Files.createDirectories(to.resolve(sub));
            if (!Files.isDirectory(source)) {
                continue;
            }
            try (Stream<Path> files = Files.list(source)) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    Files.copy(
                            file,
                            to.resolve(sub).resolve(file.getFileName().toString()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    private static Path existing(Path file) {
        return Files.isRegularFile(file) ? file : null;
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the replay's temporary rules in " + dir, e);
        }
    }

    private static int usage(PrintWriter err, String message) {
        err.println("otlp-governor rules replay: " + message);
        return 2;
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
