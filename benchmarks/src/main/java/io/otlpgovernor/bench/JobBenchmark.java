package io.otlpgovernor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.job.GovernorJob;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.InputRecordDeserializer;
import io.otlpgovernor.job.kafka.JobEdges;
import io.otlpgovernor.job.kafka.KafkaEdges;
import io.otlpgovernor.job.kafka.RuleUpdateDeserializer;
import io.otlpgovernor.job.kafka.TopicLayout;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import io.otlpgovernor.rules.pipeline.model.InputRecord;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The governance job against an identity job (results in docs/benchmarks.md, "Governance job vs identity
 * exactly-once job"). One run, one machine, one embedded broker, one input written once:
 * <ol>
 *   <li>the input topics are filled once with span export requests (and one log export request per five span
 *       requests) from {@link TelemetryCorpus}, tenant {@code bench}, with current timestamps;</li>
 *   <li>the <b>identity job</b> reads them ({@code read_committed}, bounded at the offsets present at start) and
 *       writes every record unchanged to one topic with an exactly-once {@link KafkaSink};</li>
 *   <li>the <b>governor job</b> is the real graph ({@link GovernorJob}) on the production Kafka edges
 *       ({@link KafkaEdges#all}), with the input and rules sources made bounded in the same way; tenant
 *       {@code bench} extends {@code gdpr} (personal data hashed with HMAC), has a rate and a daily quota that are
 *       evaluated on every request but never reached, and retention rules that split requests over tiers;</li>
 *   <li>identity and governor runs alternate: one warm-up pair, then {@code pairs} measured pairs. Each job is
 *       timed from its submission to its end (the bounded sources finish, the last transactions commit), and its
 *       output is counted {@code read_committed} afterwards: the identity copy must hold every input record, the
 *       governed topics every input span and log record, and nothing may be dead-lettered.</li>
 * </ol>
 * Both jobs run with the same parallelism, RocksDB with incremental checkpoints, the same checkpoint interval and
 * exactly-once sinks with lz4, each on its own local MiniCluster in this JVM.
 *
 * <p>Arguments, all optional, in order: span requests of 100 spans (default 15000, about 1.2 GB), measured pairs (3), parallelism
 * of both jobs (2), rules ({@code gdpr}: as above; {@code none}: a tenant file with no rules at all, to see the
 * cost of the job's structure alone), checkpoint interval (5s, the job's default), input partitions (2).
 * System property {@code bench.dir}: the working directory (default {@code benchmarks/target/job-benchmark}, or
 * {@code target/job-benchmark} outside the repository root); it is emptied first and removed at the end unless
 * {@code -Dbench.keep=true}.
 */
public final class JobBenchmark {

    static final String TENANT = "bench";
    static final String IDENTITY_TOPIC = "bench_identity";
    static final int ITEMS_PER_REQUEST = 100;
    /** One log export request per this many span export requests. */
    static final int SPAN_REQUESTS_PER_LOG_REQUEST = 5;

    private JobBenchmark() {}

    record Options(
            int spanRequests,
            int pairs,
            int parallelism,
            String rules,
            String checkpointInterval,
            int partitions,
            int spansPerTrace) {
        static Options parse(String[] args) {
            Options o = new Options(
                    args.length > 0 ? Integer.parseInt(args[0]) : 15000,
                    args.length > 1 ? Integer.parseInt(args[1]) : 3,
                    args.length > 2 ? Integer.parseInt(args[2]) : 2,
                    args.length > 3 ? args[3] : "gdpr",
                    args.length > 4 ? args[4] : "5s",
                    args.length > 5 ? Integer.parseInt(args[5]) : 2,
                    1);
            if (!o.rules.equals("gdpr") && !o.rules.equals("none")) {
                throw new IllegalArgumentException("rules must be gdpr or none");
            }
            return o;
        }
    }

    /** What was written to the input topics. */
    record Input(long records, long spans, long logRecords, long bytes) {
        long items() {
            return spans + logRecords;
        }
    }

    /** One job run. */
    record Run(String job, int pair, double startSeconds, double seconds, double cores, long items, String check) {
        double itemsPerSecond() {
            return items / seconds;
        }

        double cpuMicrosPerItem() {
            return cores * seconds * 1e6 / items;
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("log4j2.configurationFile", "log4j2-job-benchmark.xml");
        Options options = Options.parse(args);
        Path dir = workDirectory();
        // Flink's blobs and RocksDB's files, and anything else asking for a temporary file, stay under dir.
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        System.setProperty("java.io.tmpdir", tmp.toString());

        List<String> report = new ArrayList<>();
        report.add(String.format(
                Locale.ROOT,
                "setup: %d span requests + %d log requests of %d items; parallelism %d; %d input partitions;"
                        + " checkpoints every %s (RocksDB, incremental); rules: %s; %d cores; Java %s",
                options.spanRequests(),
                options.spanRequests() / SPAN_REQUESTS_PER_LOG_REQUEST,
                ITEMS_PER_REQUEST,
                options.parallelism(),
                options.partitions(),
                options.checkpointInterval(),
                options.rules(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));

        Path rulesDir = writeRules(dir.resolve("rules"), options.rules());
        Path keys = writeHmacKeys(dir.resolve("hmac-keys.yaml"));
        RuleBootstrap bootstrap = RuleBootstrap.load(rulesDir, keys);
        List<Run> runs = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0)) {
            List<NewTopic> topics = new ArrayList<>(
                    TopicLayout.topics(options.partitions(), options.partitions(), (short) 1, bootstrap.tiers()));
            topics.add(new NewTopic(IDENTITY_TOPIC, options.partitions(), (short) 1));
            broker.createTopics(topics);

            long fillStart = System.nanoTime();
            Input input = fill(broker, options);
            report.add(String.format(
                    Locale.ROOT,
                    "input: %,d records, %,d spans + %,d log records, %,d bytes (written once in %.1f s)",
                    input.records(),
                    input.spans(),
                    input.logRecords(),
                    input.bytes(),
                    (System.nanoTime() - fillStart) / 1e9));
            System.out.println(report.get(report.size() - 1));

            for (int pair = 0; pair <= options.pairs(); pair++) {
                Run identity = identity(broker, options, dir, rulesDir, keys, input, pair);
                print(identity);
                runs.add(identity);
                Run governor = governor(broker, options, dir, rulesDir, keys, bootstrap, input, pair);
                print(governor);
                runs.add(governor);
            }
        } finally {
            if (!Boolean.getBoolean("bench.keep")) {
                deleteRecursively(dir);
            }
        }

        report.add("");
        report.add("| pair | identity: s | items/s | CPU µs/item | governor: s | items/s | CPU µs/item | ratio |");
        report.add("| --- | --- | --- | --- | --- | --- | --- | --- |");
        List<Double> ratios = new ArrayList<>();
        List<Double> identities = new ArrayList<>();
        List<Double> governors = new ArrayList<>();
        for (int i = 0; i < runs.size(); i += 2) {
            Run identity = runs.get(i);
            Run governor = runs.get(i + 1);
            double ratio = governor.itemsPerSecond() / identity.itemsPerSecond();
            boolean warmup = identity.pair() == 0;
            if (!warmup) {
                ratios.add(ratio);
                identities.add(identity.itemsPerSecond());
                governors.add(governor.itemsPerSecond());
            }
            report.add(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %,.0f | %.1f | %.1f | %,.0f | %.1f | %.3f |",
                    warmup ? "warm-up" : Integer.toString(identity.pair()),
                    identity.seconds(),
                    identity.itemsPerSecond(),
                    identity.cpuMicrosPerItem(),
                    governor.seconds(),
                    governor.itemsPerSecond(),
                    governor.cpuMicrosPerItem(),
                    ratio));
        }
        report.add(String.format(
                Locale.ROOT,
                "| **median** | | %,.0f | | | %,.0f | | **%.3f** |",
                median(identities),
                median(governors),
                median(ratios)));
        report.add("");
        report.add(
                "Ratio: governor items/s ÷ identity items/s of the same pair; the median row: the median of each column over the"
                        + " measured pairs. Seconds: from the job's submission to its end (its MiniCluster's start before submission, not"
                        + String.format(
                                Locale.ROOT,
                                " counted, took %.1f–%.1f s).",
                                runs.stream()
                                        .mapToDouble(Run::startSeconds)
                                        .min()
                                        .orElse(0),
                                runs.stream()
                                        .mapToDouble(Run::startSeconds)
                                        .max()
                                        .orElse(0))
                        + " CPU µs/item: this process's CPU time (job, broker, GC, JIT) during the run per item. Items: spans and log records.");
        report.add("");
        report.add("Output checks (read_committed, after each run):");
        runs.forEach(r ->
                report.add("- " + r.job() + " " + (r.pair() == 0 ? "warm-up" : "pair " + r.pair()) + ": " + r.check()));
        System.out.println();
        report.forEach(System.out::println);
    }

    private static void print(Run run) {
        System.out.printf(
                Locale.ROOT,
                "%-8s %-7s %6.1f s  %,10.0f items/s  %.2f cores  (cluster start %.1f s)  %s%n",
                run.job(),
                run.pair() == 0 ? "warm-up" : "pair " + run.pair(),
                run.seconds(),
                run.itemsPerSecond(),
                run.cores(),
                run.startSeconds(),
                run.check());
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Setup

    static Path workDirectory() throws IOException {
        String configured = System.getProperty("bench.dir");
        Path dir = configured != null
                ? Path.of(configured)
                : Files.isDirectory(Path.of("benchmarks", "target"))
                        ? Path.of("benchmarks", "target", "job-benchmark")
                        : Path.of("target", "job-benchmark");
        dir = dir.toAbsolutePath().normalize();
        deleteRecursively(dir);
        return Files.createDirectories(dir);
    }

    /** The shipped presets, and tenant {@code bench}'s rules. */
    static Path writeRules(Path dir, String rules) throws IOException {
        Path presets = Files.createDirectories(dir.resolve("presets"));
        Path shipped = Path.of(System.getProperty("rules.dir", "governance-rules/rules"))
                .resolve("presets");
        if (!Files.isDirectory(shipped)) {
            throw new IllegalStateException(
                    "no presets in " + shipped.toAbsolutePath() + ": run from the repository root or set -Drules.dir");
        }
        try (Stream<Path> files = Files.list(shipped)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(file, presets.resolve(file.getFileName()));
            }
        }
        Path tenants = Files.createDirectories(dir.resolve("tenants"));
        String tenant = rules.equals("none") ? """
                # No rules at all: nothing is classified, protected, limited or routed (everything goes to tier standard).
                tenant: bench
                version: 1
                """ : """
                # GDPR (personal data hashed with HMAC, secrets dropped), quotas on but never reached, tiers by rule:
                # database spans to short, other spans (all carry a client IP) to extended, logs by their labels.
                tenant: bench
                version: 1
                extends: [gdpr]
                quotas:
                  rate:
                    unit: items
                    per-second: 1_000_000_000
                    burst: 1_000_000_000
                  daily:
                    items: 1_000_000_000_000
                  over-quota: drop
                retention:
                  rules:
                    - id: database-spans-short
                      tier: short
                      when:
                        signals: [spans]
                        attributes:
                          db.system: postgresql
                    - id: pii-extended
                      tier: extended
                      when:
                        labels: [pii]
                    - id: debug-logs-short
                      tier: short
                      when:
                        signals: [logs]
                        attributes:
                          severity: debug
                """;
        Files.writeString(tenants.resolve(TENANT + ".yaml"), tenant);
        return dir;
    }

    /** A keys file with one fresh 32-byte key for tenant {@code bench}. */
    static Path writeHmacKeys(Path file) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Files.writeString(
                file,
                "tenants:\n  " + TENANT + ":\n    current: k1\n    keys:\n      k1: \""
                        + Base64.getEncoder().encodeToString(key) + "\"\n");
    }

    /**
     * Writes the input once, round-robin over the partitions, with the producer's current time as record timestamp
     * (the job's arrival time) and item times in the 17 minutes before, so nothing is older than its tier.
     */
    static Input fill(EmbeddedKafkaBroker broker, Options options) throws Exception {
        long baseNanos =
                (System.currentTimeMillis() - 1_000) * 1_000_000L - TelemetryCorpus.TIME_SPREAD_NANOS - 5_000_000_000L;
        TelemetryCorpus corpus = new TelemetryCorpus(42, baseNanos, options.spansPerTrace());
        List<Header> headers = List.of(new RecordHeader(RecordHeaders.TENANT, TENANT.getBytes(StandardCharsets.UTF_8)));
        AtomicReference<Exception> failure = new AtomicReference<>();
        long records = 0;
        long spans = 0;
        long logRecords = 0;
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4",
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        4 * 1024 * 1024),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < options.spanRequests(); i++) {
                byte[] request = corpus.spans(ITEMS_PER_REQUEST).toByteArray();
                send(
                        producer,
                        new ProducerRecord<>(
                                Signal.SPANS.inputTopic(), i % options.partitions(), null, null, request, headers),
                        failure);
                records++;
                spans += ITEMS_PER_REQUEST;
                bytes += request.length;
                if (i % SPAN_REQUESTS_PER_LOG_REQUEST == SPAN_REQUESTS_PER_LOG_REQUEST - 1) {
                    byte[] logs = corpus.logs(ITEMS_PER_REQUEST).toByteArray();
                    int partition = (i / SPAN_REQUESTS_PER_LOG_REQUEST) % options.partitions();
                    send(
                            producer,
                            new ProducerRecord<>(Signal.LOGS.inputTopic(), partition, null, null, logs, headers),
                            failure);
                    records++;
                    logRecords += ITEMS_PER_REQUEST;
                    bytes += logs.length;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("filling the input failed", failure.get());
        }
        long written = countRecords(broker, TopicLayout.inputTopics(), Map.of());
        if (written != records) {
            throw new IllegalStateException("input topics hold " + written + " records, " + records + " were sent");
        }
        return new Input(records, spans, logRecords, bytes);
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            ProducerRecord<byte[], byte[]> record,
            AtomicReference<Exception> failure) {
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
    }

    static JobSettings settings(
            String name, Options options, Path dir, EmbeddedKafkaBroker broker, Path rulesDir, Path keys) {
        return new JobSettings(
                name,
                options.parallelism(),
                128,
                new JobSettings.Kafka(broker.bootstrapServers(), name, name, "10m"),
                new JobSettings.Checkpoints(
                        options.checkpointInterval(),
                        null,
                        null,
                        dir.resolve("checkpoints").resolve(name).toString(),
                        true),
                new JobSettings.Restart("none", null, null, null),
                new JobSettings.Rules(rulesDir.toString(), keys.toString()),
                new JobSettings.Reports(null, null));
    }

    private static StreamExecutionEnvironment environment(JobSettings settings, Path dir) throws IOException {
        Configuration conf = settings.flinkConfiguration();
        conf.set(
                CoreOptions.TMP_DIRS,
                Files.createDirectories(dir.resolve("tmp").resolve(settings.jobName()))
                        .toString());
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The two jobs

    /**
     * The input source both jobs read: {@link KafkaEdges#inputSource}'s settings, bounded at the offsets present when
     * the job starts.
     */
    static KafkaSource<InputRecord> boundedInput(JobSettings settings) {
        return KafkaSource.<InputRecord>builder()
                .setBootstrapServers(settings.kafka().bootstrapServers())
                .setTopics(TopicLayout.inputTopics())
                .setGroupId(settings.kafka().consumerGroup())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new InputRecordDeserializer())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty(
                        ConsumerConfig.CLIENT_ID_CONFIG + ".prefix",
                        settings.kafka().consumerGroup())
                .build();
    }

    /** {@link KafkaEdges#rulesSource}, bounded: the rules topic as it is at start (here: empty). */
    static KafkaSource<RuleUpdate> boundedRules(JobSettings settings) {
        return KafkaSource.<RuleUpdate>builder()
                .setBootstrapServers(settings.kafka().bootstrapServers())
                .setTopics(TopicNames.RULES)
                .setGroupId(settings.kafka().consumerGroup() + "-rules")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new RuleUpdateDeserializer())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty(
                        ConsumerConfig.CLIENT_ID_CONFIG + ".prefix",
                        settings.kafka().consumerGroup() + "-rules")
                .build();
    }

    /** Copies each input record unchanged (value and tenant header) to {@link #IDENTITY_TOPIC}. */
    static final class IdentitySerializer implements KafkaRecordSerializationSchema<InputRecord> {
        @Override
        public ProducerRecord<byte[], byte[]> serialize(InputRecord record, KafkaSinkContext context, Long timestamp) {
            List<Header> headers = record.tenant() == null
                    ? List.of()
                    : List.of(new RecordHeader(
                            RecordHeaders.TENANT, record.tenant().getBytes(StandardCharsets.UTF_8)));
            return new ProducerRecord<>(IDENTITY_TOPIC, null, null, null, record.payload(), headers);
        }
    }

    /**
     * The identity job's sink, with the governor's producer settings ({@link KafkaEdges#producerSettings}:
     * exactly-once, transaction timeout, lz4, batching).
     */
    static KafkaSink<InputRecord> identitySink(JobSettings settings) {
        return KafkaSink.<InputRecord>builder()
                .setKafkaProducerConfig(KafkaEdges.producerSettings(settings))
                .setBootstrapServers(settings.kafka().bootstrapServers())
                .setRecordSerializer(new IdentitySerializer())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(settings.kafka().transactionalIdPrefix() + "-identity")
                .build();
    }

    static Run identity(
            EmbeddedKafkaBroker broker, Options options, Path dir, Path rulesDir, Path keys, Input input, int pair)
            throws Exception {
        JobSettings settings = settings("bench-identity-" + pair, options, dir, broker, rulesDir, keys);
        StreamExecutionEnvironment env = environment(settings, dir);
        env.fromSource(boundedInput(settings), WatermarkStrategy.noWatermarks(), "Kafka: OTLP input")
                .uid(GovernorJob.SOURCE_UID)
                .sinkTo(identitySink(settings))
                .uid("identity-sink")
                .name("Kafka: identity copy");
        Map<TopicPartition, Long> before = endOffsets(broker, List.of(IDENTITY_TOPIC));
        Timing timing = execute(env, settings.jobName());
        long copied = countRecords(broker, List.of(IDENTITY_TOPIC), before);
        discard(broker, List.of(IDENTITY_TOPIC));
        String check = copied == input.records()
                ? "all " + copied + " records copied"
                : "MISMATCH: " + copied + " of " + input.records() + " records copied";
        return new Run("identity", pair, timing.startSeconds(), timing.seconds(), timing.cores(), input.items(), check);
    }

    static Run governor(
            EmbeddedKafkaBroker broker,
            Options options,
            Path dir,
            Path rulesDir,
            Path keys,
            RuleBootstrap bootstrap,
            Input input,
            int pair)
            throws Exception {
        JobSettings settings = settings("bench-governor-" + pair, options, dir, broker, rulesDir, keys);
        StreamExecutionEnvironment env = environment(settings, dir);
        JobEdges kafka = KafkaEdges.all(settings);
        JobEdges edges = new JobEdges(
                boundedInput(settings),
                boundedRules(settings),
                kafka.governed(),
                kafka.outputs(),
                kafka.maxRecordBytes());
        new GovernorJob(edges, bootstrap, settings.reports()).build(env);

        List<String> governedTopics = new ArrayList<>();
        for (Signal signal : List.of(Signal.SPANS, Signal.LOGS)) {
            bootstrap.tiers().keySet().forEach(tier -> governedTopics.add(TopicNames.governed(signal, tier)));
        }
        Map<TopicPartition, Long> before = endOffsets(broker, governedTopics);
        Map<TopicPartition, Long> deadBefore = endOffsets(broker, List.of(TopicNames.DEAD_LETTER));
        Timing timing = execute(env, settings.jobName());
        Map<String, Long> perTopic = countItems(broker, governedTopics, before);
        long deadLetters = countRecords(broker, List.of(TopicNames.DEAD_LETTER), deadBefore);
        discard(broker, governedTopics);
        long spans = perTopic.entrySet().stream()
                .filter(e -> e.getKey().startsWith(TopicNames.governed(Signal.SPANS, "")))
                .mapToLong(Map.Entry::getValue)
                .sum();
        long logs = perTopic.entrySet().stream()
                .filter(e -> e.getKey().startsWith(TopicNames.governed(Signal.LOGS, "")))
                .mapToLong(Map.Entry::getValue)
                .sum();
        String split = perTopic.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue())
                .reduce((a, b) -> a + ", " + b)
                .orElse("-");
        String check = spans == input.spans() && logs == input.logRecords() && deadLetters == 0
                ? "all " + spans + " spans and " + logs + " log records governed (" + split + ")"
                : "MISMATCH: " + spans + " of " + input.spans() + " spans, " + logs + " of " + input.logRecords()
                        + " log records governed (" + split + "), " + deadLetters + " dead letters";
        return new Run("governor", pair, timing.startSeconds(), timing.seconds(), timing.cores(), input.items(), check);
    }

    /**
     * @param startSeconds until the job was submitted (the local MiniCluster starts first)
     * @param seconds      from submission to the job's end
     * @param cores        this process's CPU time over {@code seconds}
     */
    record Timing(double startSeconds, double seconds, double cores) {}

    private static Timing execute(StreamExecutionEnvironment env, String name) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long start = System.nanoTime();
        JobClient client = env.executeAsync(name);
        long submitted = System.nanoTime();
        long cpu = os.getProcessCpuTime();
        ThreadCpuSampler threads = ThreadCpuSampler.start();
        client.getJobExecutionResult().get();
        long end = System.nanoTime();
        long processCpu = os.getProcessCpuTime() - cpu;
        double seconds = (end - submitted) / 1e9;
        System.out.printf(Locale.ROOT, "  %s, CPU seconds by thread: %s%n", name, threads.stop(processCpu));
        return new Timing((submitted - start) / 1e9, seconds, processCpu / 1e9 / seconds);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Counting output, read_committed

    private static KafkaConsumer<byte[], byte[]> consumer(EmbeddedKafkaBroker broker) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        8 * 1024 * 1024,
                        ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                        32 * 1024 * 1024),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, Collection<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        partitions.sort(Comparator.comparing(TopicPartition::toString));
        return partitions;
    }

    /** The last stable offsets (what a {@code read_committed} reader can reach) of every partition of {@code topics}. */
    static Map<TopicPartition, Long> endOffsets(EmbeddedKafkaBroker broker, Collection<String> topics) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(broker)) {
            return new HashMap<>(consumer.endOffsets(partitions(consumer, topics), Duration.ofSeconds(30)));
        }
    }

    /** Committed records in {@code topics} after the offsets {@code from} (from the beginning where absent). */
    static long countRecords(EmbeddedKafkaBroker broker, Collection<String> topics, Map<TopicPartition, Long> from) {
        long[] count = {0};
        consume(broker, topics, from, record -> count[0]++);
        return count[0];
    }

    /** Committed spans or log records per topic in {@code topics} after the offsets {@code from}. */
    static Map<String, Long> countItems(
            EmbeddedKafkaBroker broker, Collection<String> topics, Map<TopicPartition, Long> from) {
        Map<String, Long> items = new TreeMap<>();
        topics.forEach(topic -> items.put(topic, 0L));
        consume(broker, topics, from, record -> {
            try {
                long n = record.topic().startsWith(TopicNames.governed(Signal.SPANS, ""))
                        ? OtlpTree.count(ExportTraceServiceRequest.parseFrom(record.value()))
                        : OtlpTree.count(ExportLogsServiceRequest.parseFrom(record.value()));
                items.merge(record.topic(), n, Long::sum);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException("governed output does not parse: " + record.topic(), e);
            }
        });
        return items;
    }

    /** Items in the audit summaries from {@code from} on, by {@code action/rule} (e.g. {@code tail-keep/errors}). */
    static Map<String, Long> auditedItems(EmbeddedKafkaBroker broker, Map<TopicPartition, Long> from) {
        Map<String, Long> items = new TreeMap<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        consume(broker, List.of(TopicNames.AUDIT), from, record -> {
            try {
                for (com.fasterxml.jackson.databind.JsonNode entry :
                        json.readTree(record.value()).path("entries")) {
                    items.merge(
                            entry.path("action").asText() + "/"
                                    + entry.path("rule").asText(),
                            entry.path("count").asLong(),
                            Long::sum);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("an audit record is not JSON", e);
            }
        });
        return items;
    }

    private static void consume(
            EmbeddedKafkaBroker broker,
            Collection<String> topics,
            Map<TopicPartition, Long> from,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> action) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(broker)) {
            List<TopicPartition> partitions = partitions(consumer, topics);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            consumer.assign(partitions);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, from.getOrDefault(partition, 0L));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topics + " to the end");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        action.accept(record);
                    }
                }
            }
        }
    }

    /** Deletes the checked output of a run ({@code deleteRecords} to the end), so that runs do not fill the disk. */
    static void discard(EmbeddedKafkaBroker broker, Collection<String> topics) {
        Map<TopicPartition, org.apache.kafka.clients.admin.RecordsToDelete> all = new HashMap<>();
        endOffsets(broker, topics)
                .forEach((partition, end) ->
                        all.put(partition, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(end)));
        try (org.apache.kafka.clients.admin.Admin admin = broker.admin()) {
            admin.deleteRecords(all).all().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete the output of " + topics, e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
