package io.otlpgovernor.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.job.GovernorJob;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.KafkaEdges;
import io.otlpgovernor.job.kafka.TopicLayout;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;

/**
 * Tail sampling in the governance job (results in docs/benchmarks.md, "Tail sampling"). Tenant {@code bench} has
 * {@link JobBenchmark}'s {@code gdpr} rules plus {@code sampling.tail} (policies {@code status-error} and
 * {@code probabilistic} 0.1). Two modes, first argument:
 * <ul>
 *   <li>{@code throughput} [span requests (1000)] [pairs (1)] [parallelism (2)] [spans per trace (1)]: the input is written once; identity
 *       job ({@link JobBenchmark#identity}, bounded, timed from submission to its end) and tail-sampling governor job
 *       ({@code decision-wait: 30s}) alternate. The governor runs <b>unbounded</b> (a processing-time timer of a trace
 *       still pending at the end of a bounded input would decide nothing useful), and is timed from submission until
 *       the tail-sampling operator has received everything: the governing operator has read every input record and
 *       the tail operator's {@code numRecordsIn} has not grown for 2 s (the end is its last change). Then the
 *       benchmark waits past the decision wait and counts the spans kept ({@code read_committed}).</li>
 *   <li>{@code state} [span requests (10100)] [parallelism (2)] [spans per trace (1)]: {@code decision-wait: 10m}; the governor starts on
 *       empty input topics; heap used after a full GC is read when it runs idle, then the input is written and read
 *       by the job, a few checkpoints pass, and heap after a full GC, the RocksDB working directories' size and the
 *       last checkpoint directory's size are read with every span still buffered.</li>
 * </ul>
 * With one span per trace (the default) every corpus span and log record has its own trace id, so each is a pending
 * trace of its own: the worst case for the buffer. With more, consecutive spans share a trace (which may continue
 * in the next request) and log records join recent traces ({@link TelemetryCorpus}).
 */
public final class TailSamplingBenchmark {

    private static final String TAIL_OPERATOR = "Tail sampling per trace";
    private static final String GOVERN_OPERATOR = "Sample, classify, protect, route tiers";

    private TailSamplingBenchmark() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("log4j2.configurationFile", "log4j2-job-benchmark.xml");
        String mode = args.length > 0 ? args[0] : "throughput";
        boolean state = mode.equals("state");
        if (!state && !mode.equals("throughput")) {
            throw new IllegalArgumentException("mode must be throughput or state");
        }
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : state ? 10100 : 1000;
        int pairs = state ? 0 : args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int parallelism = args.length > (state ? 2 : 3) ? Integer.parseInt(args[state ? 2 : 3]) : 2;
        int spansPerTrace = args.length > (state ? 3 : 4) ? Integer.parseInt(args[state ? 3 : 4]) : 1;
        JobBenchmark.Options options =
                new JobBenchmark.Options(requests, pairs, parallelism, "gdpr", "5s", 2, spansPerTrace);

        Path dir = Path.of(System.getProperty("bench.dir", "benchmarks/target/tail-benchmark"))
                .toAbsolutePath()
                .normalize();
        delete(dir);
        Files.createDirectories(dir);
        System.setProperty(
                "java.io.tmpdir", Files.createDirectories(dir.resolve("tmp")).toString());
        Path rulesDir = JobBenchmark.writeRules(dir.resolve("rules"), "gdpr");
        Path tenantFile = rulesDir.resolve("tenants").resolve(JobBenchmark.TENANT + ".yaml");
        Files.writeString(tenantFile, Files.readString(tenantFile) + """
                sampling:
                  tail:
                    decision-wait: %s
                    policies:
                      - id: errors
                        type: status-error
                      - id: ten-percent
                        type: probabilistic
                        probability: 0.1
                """.formatted(state ? "10m" : "30s"));
        Path keys = JobBenchmark.writeHmacKeys(dir.resolve("hmac-keys.yaml"));
        RuleBootstrap bootstrap = RuleBootstrap.load(rulesDir, keys);
        System.out.printf(
                Locale.ROOT,
                "mode %s: %d span requests of 100, %d spans per trace, parallelism %d, %d cores, max heap %d MiB%n",
                mode,
                requests,
                spansPerTrace,
                parallelism,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0)) {
            List<NewTopic> topics = new ArrayList<>(TopicLayout.topics(2, 2, (short) 1, bootstrap.tiers()));
            topics.add(new NewTopic(JobBenchmark.IDENTITY_TOPIC, 2, (short) 1));
            broker.createTopics(topics);
            if (state) {
                state(broker, options, dir, rulesDir, keys, bootstrap);
            } else {
                throughput(broker, options, dir, rulesDir, keys, bootstrap);
            }
        } finally {
            if (!Boolean.getBoolean("bench.keep")) {
                delete(dir);
            }
        }
    }

    private static void throughput(
            EmbeddedKafkaBroker broker,
            JobBenchmark.Options options,
            Path dir,
            Path rulesDir,
            Path keys,
            RuleBootstrap bootstrap)
            throws Exception {
        JobBenchmark.Input input = JobBenchmark.fill(broker, options);
        System.out.printf(
                Locale.ROOT,
                "input: %,d records, %,d spans + %,d log records, %,d bytes%n",
                input.records(),
                input.spans(),
                input.logRecords(),
                input.bytes());
        List<String> rows = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int pair = 0; pair <= options.pairs(); pair++) {
            JobBenchmark.Run identity = JobBenchmark.identity(broker, options, dir, rulesDir, keys, input, pair);
            System.out.printf(
                    Locale.ROOT,
                    "identity %d: %.1f s, %,.0f items/s, %s%n",
                    pair,
                    identity.seconds(),
                    identity.itemsPerSecond(),
                    identity.check());

            Running governor = startGovernor(broker, options, dir, rulesDir, keys, bootstrap, "bench-tail-" + pair);
            Map<TopicPartition, Long> before = JobBenchmark.endOffsets(broker, governedSpanTopics(bootstrap));
            Map<TopicPartition, Long> auditBefore = JobBenchmark.endOffsets(broker, List.of(TopicNames.AUDIT));
            Ingest ingest = governor.awaitIngest(input.records(), 30 * 60);
            double rate = input.items() / ingest.seconds();
            System.out.printf(
                    Locale.ROOT,
                    "tail     %d: %.1f s, %,.0f items/s (tail operator received %,d pieces)%n",
                    pair,
                    ingest.seconds(),
                    rate,
                    ingest.pieces());
            Thread.sleep(45_000); // 30 s decision wait, then a checkpoint commits the decisions
            long kept = JobBenchmark.countItems(broker, governedSpanTopics(bootstrap), before).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            System.out.printf(
                    Locale.ROOT,
                    "  audited items by action/rule: %s%n",
                    JobBenchmark.auditedItems(broker, auditBefore));
            governor.cancel();
            JobBenchmark.discard(broker, governedSpanTopics(bootstrap));
            double ratio = rate / identity.itemsPerSecond();
            if (pair > 0) {
                ratios.add(ratio);
            }
            rows.add(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %,.0f | %.1f | %,.0f | %.3f | %,d of %,d (%.1f %%) |",
                    pair == 0 ? "warm-up" : pair,
                    identity.seconds(),
                    identity.itemsPerSecond(),
                    ingest.seconds(),
                    rate,
                    ratio,
                    kept,
                    input.spans(),
                    100.0 * kept / input.spans()));
            System.out.println(rows.get(rows.size() - 1));
        }
        System.out.println();
        System.out.println(
                "| pair | identity: s | items/s | tail governor: s to ingest | items/s | ratio | spans kept 45 s after ingest |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        rows.forEach(System.out::println);
        System.out.printf(
                Locale.ROOT,
                "median ratio of measured pairs: %.3f%n",
                ratios.stream().sorted().toList().get(ratios.size() / 2));
    }

    private static void state(
            EmbeddedKafkaBroker broker,
            JobBenchmark.Options options,
            Path dir,
            Path rulesDir,
            Path keys,
            RuleBootstrap bootstrap)
            throws Exception {
        Running governor = startGovernor(broker, options, dir, rulesDir, keys, bootstrap, "bench-tail-state");
        governor.awaitRunning();
        Thread.sleep(15_000);
        long heapIdle = heapAfterGc();
        long diskIdle = size(dir.resolve("rocksdb"));
        System.out.printf(
                Locale.ROOT, "idle: heap after full GC %,d bytes; RocksDB directories %,d bytes%n", heapIdle, diskIdle);
        JobBenchmark.Input input = JobBenchmark.fill(broker, options);
        System.out.printf(
                Locale.ROOT,
                "input: %,d records, %,d spans + %,d log records, %,d bytes%n",
                input.records(),
                input.spans(),
                input.logRecords(),
                input.bytes());
        Ingest ingest = governor.awaitIngest(input.records(), 30 * 60);
        System.out.printf(
                Locale.ROOT,
                "ingested in %.1f s (after the fill); tail operator received %,d pieces%n",
                ingest.seconds(),
                ingest.pieces());
        Thread.sleep(20_000); // a few checkpoints: memtables flushed to SST files
        long heapFull = heapAfterGc();
        long disk = size(dir.resolve("rocksdb"));
        long checkpoints = size(dir.resolve("checkpoints"));
        long kept = JobBenchmark.countItems(broker, governedSpanTopics(bootstrap), Map.of()).values().stream()
                .mapToLong(Long::longValue)
                .sum();
        System.out.printf(
                Locale.ROOT,
                "buffered: heap after full GC %,d bytes (idle %,d, difference %+,d); RocksDB directories %,d bytes"
                        + " (%.0f bytes per span); checkpoint directory %,d bytes (%.0f bytes per span); spans written out so far: %,d%n",
                heapFull,
                heapIdle,
                heapFull - heapIdle,
                disk,
                (double) (disk - diskIdle) / input.spans(),
                checkpoints,
                (double) checkpoints / input.spans(),
                kept);
        governor.cancel();
    }

    private static List<String> governedSpanTopics(RuleBootstrap bootstrap) {
        return bootstrap.tiers().keySet().stream()
                .map(tier -> TopicNames.governed(Signal.SPANS, tier))
                .toList();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    record Ingest(double seconds, long pieces) {}

    /** An unbounded governor job and the counters {@link Reporter} found for it. */
    record Running(JobClient client, long submittedNanos, String job) {
        void awaitRunning() throws InterruptedException {
            while (Reporter.sum(job, TAIL_OPERATOR) < 0) {
                Thread.sleep(100);
            }
        }

        /** Until the governing operator has read {@code records} and the tail operator's input has been still for 2 s. */
        Ingest awaitIngest(long records, int timeoutSeconds) throws Exception {
            long start = System.nanoTime();
            long lastPieces = -1;
            long lastChange = start;
            long lastPrint = start;
            while (true) {
                long now = System.nanoTime();
                long pieces = Reporter.sum(job, TAIL_OPERATOR);
                if (pieces != lastPieces) {
                    lastPieces = pieces;
                    lastChange = now;
                }
                if (now - lastPrint > 10_000_000_000L) {
                    lastPrint = now;
                    System.out.printf(
                            Locale.ROOT,
                            "  %.0f s: governing read %,d of %,d records, tail operator %,d pieces%n",
                            (now - start) / 1e9,
                            Reporter.sum(job, GOVERN_OPERATOR),
                            records,
                            pieces);
                }
                if (Reporter.sum(job, GOVERN_OPERATOR) >= records && now - lastChange > 2_000_000_000L) {
                    return new Ingest((lastChange - Math.max(submittedNanos, start)) / 1e9, lastPieces);
                }
                if (client.getJobStatus().get().isGloballyTerminalState()
                        || now - start > timeoutSeconds * 1_000_000_000L) {
                    throw new IllegalStateException(job + " did not ingest its input: "
                            + client.getJobStatus().get());
                }
                Thread.sleep(50);
            }
        }

        void cancel() throws Exception {
            client.cancel().get();
        }
    }

    private static Running startGovernor(
            EmbeddedKafkaBroker broker,
            JobBenchmark.Options options,
            Path dir,
            Path rulesDir,
            Path keys,
            RuleBootstrap bootstrap,
            String name)
            throws Exception {
        JobSettings settings = JobBenchmark.settings(name, options, dir, broker, rulesDir, keys);
        Configuration conf = settings.flinkConfiguration();
        conf.set(
                CoreOptions.TMP_DIRS,
                Files.createDirectories(dir.resolve("tmp").resolve(name)).toString());
        conf.setString(
                "state.backend.rocksdb.localdir",
                Files.createDirectories(dir.resolve("rocksdb").resolve(name)).toString());
        conf.setString("metrics.reporter.bench.factory.class", ReporterFactory.class.getName());
        conf.setString("metrics.reporter.bench.interval", "1 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        new GovernorJob(KafkaEdges.all(settings), bootstrap, settings.reports()).build(env);
        JobClient client = env.executeAsync(name);
        return new Running(client, System.nanoTime(), name);
    }

    /** Sum of {@code numRecordsIn} over the subtasks of {@code operator} in {@code job}; -1 before it registered. */
    public static final class Reporter implements MetricReporter {
        private static final Map<Counter, String[]> COUNTERS = new ConcurrentHashMap<>();

        static long sum(String job, String operator) {
            long sum = -1;
            for (Map.Entry<Counter, String[]> e : COUNTERS.entrySet()) {
                if (job.equals(e.getValue()[0]) && e.getValue()[1].startsWith(operator)) {
                    sum = Math.max(sum, 0) + e.getKey().getCount();
                }
            }
            return sum;
        }

        @Override
        public void open(MetricConfig config) {}

        @Override
        public void close() {}

        @Override
        public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
            Map<String, String> vars = group.getAllVariables();
            if (name.equals("numRecordsIn")
                    && metric instanceof Counter counter
                    && vars.containsKey("<operator_name>")) {
                COUNTERS.put(counter, new String[] {vars.get("<job_name>"), vars.get("<operator_name>")});
            }
        }

        @Override
        public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
            if (metric instanceof Counter counter) {
                COUNTERS.remove(counter);
            }
        }
    }

    public static final class ReporterFactory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new Reporter();
        }
    }

    private static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0; // removed meanwhile (compaction)
                        }
                    })
                    .sum();
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
