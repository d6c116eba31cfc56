package io.otlpgovernor.job.replay;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.otlpgovernor.contract.config.ConfigException;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.KafkaEdges;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import io.otlpgovernor.rules.replay.ReplayDiff;
import io.otlpgovernor.rules.replay.ReplayTotals;
import io.otlpgovernor.rules.ruleset.RuleValidationException;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What-if replay as a Flink application, for history too large for one machine (flink-deployment/replay.yaml):
 * replays a range of the input topics under the baseline and the candidate rule directories, one BATCH job after
 * the other on the cluster it is submitted to, and writes one report per tenant to {@code governor_replay} (the
 * same documents {@code ./otlp-governor rules replay} writes).
 *
 * <pre>
 * ReplayApplication --settings job.yaml --baseline &lt;rules dir&gt; --candidate &lt;rules dir&gt; --from -24h [--to now]
 *                   [--tenant id]
 * </pre>
 *
 * The Kafka cluster, its security settings and the HMAC keys come from the job's settings file. A mistake in the
 * arguments or the rules ends it with one line on stderr and exit status 2.
 */
public final class ReplayApplication {

    /** Where the per-tenant reports go. */
    public static final String REPLAY_TOPIC = "governor_replay";

    private ReplayApplication() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options;
        JobSettings settings;
        RuleBootstrap baseline;
        RuleBootstrap candidate;
        Instant from;
        Instant to;
        try {
            options = options(args);
            settings = JobSettings.load(Path.of(required(options, "--settings")));
            Path keys = settings.rules().hmacKeysPath();
            baseline = RuleBootstrap.load(Path.of(required(options, "--baseline")), keys);
            candidate = RuleBootstrap.load(Path.of(required(options, "--candidate")), keys);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            from = ReplayTime.parse(required(options, "--from"), now, "--from");
            to = ReplayTime.parse(options.getOrDefault("--to", "now"), now, "--to");
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("empty range: --from " + from + " is not before --to " + to);
            }
        } catch (IllegalArgumentException | ConfigException | RuleValidationException | java.io.IOException e) {
            System.err.println("otlp-governor replay: " + e.getMessage());
            System.exit(2);
            return;
        }
        Set<String> tenants = options.containsKey("--tenant") ? Set.of(options.get("--tenant")) : Set.of();
        ReplayJob.Range range = new ReplayJob.Range(from.toEpochMilli(), to.toEpochMilli());
        Properties security = KafkaEdges.security(settings);
        String bootstrap = settings.kafka().bootstrapServers();
        ReplayTotals before = totals(ReplayJob.run(environment(), bootstrap, security, baseline, range, tenants));
        ReplayTotals after = totals(ReplayJob.run(environment(), bootstrap, security, candidate, range, tenants));
        publish(new ReplayDiff(from, to, before, after), bootstrap, security);
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        return env;
    }

    private static ReplayTotals totals(ReplayJob.Documents documents) {
        return ReplayTotals.of(documents.usage(), documents.audit());
    }

    private static void publish(ReplayDiff diff, String bootstrap, Properties security) throws Exception {
        Properties producer = new Properties();
        producer.putAll(security);
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> out =
                new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, byte[]> report : diff.perTenant().entrySet()) {
                out.send(new ProducerRecord<>(
                                REPLAY_TOPIC, report.getKey().getBytes(StandardCharsets.UTF_8), report.getValue()))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code --name value} pairs. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            options.put(args[i], args[i + 1]);
        }
        for (String name : options.keySet()) {
            if (!Set.of("--settings", "--baseline", "--candidate", "--from", "--to", "--tenant")
                    .contains(name)) {
                throw new IllegalArgumentException("unknown option " + name
                        + " (options: --settings, --baseline, --candidate, --from, --to, --tenant)");
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }
}
