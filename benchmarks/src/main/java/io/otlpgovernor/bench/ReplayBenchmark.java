package io.otlpgovernor.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

import io.otlpgovernor.job.kafka.TopicLayout;
import io.otlpgovernor.job.replay.ReplayJob;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import io.otlpgovernor.rules.replay.ReplayTotals;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What-if replay against the streaming job on the same input: {@link JobBenchmark}'s input (span requests of 100
 * spans and a log request per five, {@code gdpr} rules), governed by the exactly-once streaming job on bounded sources
 * ({@link JobBenchmark#governor}), then replayed in BATCH mode ({@link ReplayJob}) over its whole arrival range, in
 * pairs, one after the other. Both report items per second from submission to end; the replay's check is that its
 * usage counts every input item as received and accepted.
 *
 * <pre>
 * ReplayBenchmark [span requests (15000)] [pairs (3)] [parallelism (2)]
 * </pre>
 */
public final class ReplayBenchmark {

    private ReplayBenchmark() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("log4j2.configurationFile", "log4j2-job-benchmark.xml");
        int spanRequests = args.length > 0 ? Integer.parseInt(args[0]) : 15000;
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        JobBenchmark.Options options = new JobBenchmark.Options(spanRequests, pairs, parallelism, "gdpr", "5s", 2, 1);
        Path dir = JobBenchmark.workDirectory();
        System.setProperty(
                "java.io.tmpdir", Files.createDirectories(dir.resolve("tmp")).toString());
        Path rulesDir = JobBenchmark.writeRules(dir.resolve("rules"), "gdpr");
        Path keys = JobBenchmark.writeHmacKeys(dir.resolve("hmac-keys.yaml"));
        RuleBootstrap bootstrap = RuleBootstrap.load(rulesDir, keys);
        List<String> rows = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0)) {
            List<NewTopic> topics = new ArrayList<>(
                    TopicLayout.topics(options.partitions(), options.partitions(), (short) 1, bootstrap.tiers()));
            broker.createTopics(topics);
            long before = System.currentTimeMillis() - 1;
            JobBenchmark.Input input = JobBenchmark.fill(broker, options);
            ReplayJob.Range range = new ReplayJob.Range(before, System.currentTimeMillis() + 1);
            System.out.printf(Locale.ROOT, "input: %,d spans + %,d log records%n", input.spans(), input.logRecords());
            for (int pair = 0; pair <= pairs; pair++) {
                JobBenchmark.Run streaming =
                        JobBenchmark.governor(broker, options, dir, rulesDir, keys, bootstrap, input, pair);
                com.sun.management.OperatingSystemMXBean os =
                        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpu = os.getProcessCpuTime();
                long start = System.nanoTime();
                ReplayJob.Documents documents = ReplayJob.run(
                        ReplayJob.localEnvironment(parallelism),
                        broker.bootstrapServers(),
                        new Properties(),
                        bootstrap,
                        range,
                        Set.of());
                double seconds = (System.nanoTime() - start) / 1e9;
                double cores = (os.getProcessCpuTime() - cpu) / 1e9 / seconds;
                ReplayTotals totals = ReplayTotals.of(documents.usage(), documents.audit());
                long received = totals.count(JobBenchmark.TENANT, "spans", "received")
                        + totals.count(JobBenchmark.TENANT, "logs", "received");
                long accepted = totals.count(JobBenchmark.TENANT, "spans", "accepted")
                        + totals.count(JobBenchmark.TENANT, "logs", "accepted");
                String check = received == input.items() && accepted == input.items()
                        ? "all " + received + " items received and accepted"
                        : "MISMATCH: " + received + " received, " + accepted + " accepted of " + input.items();
                double replayRate = input.items() / seconds;
                rows.add(String.format(
                        Locale.ROOT,
                        "| %s | %.1f | %,.0f | %.1f | %.1f | %,.0f | %.1f | %.2f | %s; %s |",
                        pair == 0 ? "warm-up" : Integer.toString(pair),
                        streaming.seconds(),
                        streaming.itemsPerSecond(),
                        streaming.cpuMicrosPerItem(),
                        seconds,
                        replayRate,
                        cores * seconds * 1e6 / input.items(),
                        replayRate / streaming.itemsPerSecond(),
                        streaming.check(),
                        check));
                System.out.println(rows.get(rows.size() - 1));
            }
        } finally {
            if (!Boolean.getBoolean("bench.keep")) {
                JobBenchmark.deleteRecursively(dir);
            }
        }
        System.out.println();
        System.out.println(
                "| pair | streaming: s | items/s | CPU µs/item | replay: s | items/s | CPU µs/item | ratio | checks |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        rows.forEach(System.out::println);
    }
}
