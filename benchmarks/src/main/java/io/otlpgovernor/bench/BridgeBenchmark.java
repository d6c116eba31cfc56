package io.otlpgovernor.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.otlpgovernor.bridge.BridgeConfig;
import io.otlpgovernor.bridge.BridgeMain;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.bridge.kafka.KafkaForwarder;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ingest bridge's benchmark (results in docs/benchmarks.md, "Ingest bridge"). One run, one machine:
 * <ol>
 *   <li>a raw Kafka producer with the bridge's own producer settings ({@link KafkaForwarder#producerProperties})
 *       sends the load generator's requests (the same distinct requests in the same turn), with the tenant header,
 *       as fast as it can — the ceiling;</li>
 *   <li>the bridge, as its own process ({@link BridgeMain}), takes the same bytes from {@link LoadGenerator} over
 *       OTLP/gRPC and OTLP/HTTP as fast as it can; throughput ratio = bridge / raw producer;</li>
 *   <li>the bridge's CPU (its process's CPU time over wall time) at 10,000 spans/s, open-loop;</li>
 *   <li>latency percentiles at half the bridge's maximum rate, open-loop;</li>
 *   <li>the raw producer again, to see how much the machine drifted.</li>
 * </ol>
 * Arguments: seconds per measurement (default 20), seconds of the first warm-up at full load (default 60), spans per
 * request (default 100), distinct requests sent in turn (default 256; with 1, every record is the same bytes and lz4
 * makes a batch of them almost nothing to write, which flatters the raw producer).
 */
public final class BridgeBenchmark {

    private static final String KEY = "benchmark-key-0000000001";
    private static int SPANS_PER_REQUEST = 100;
    private static final Pattern LISTENING =
            Pattern.compile("Bridge listening: OTLP/gRPC (\\d+), OTLP/HTTP (\\d+), admin (\\d+)");

    private BridgeBenchmark() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("log4j2.configurationFile", "log4j2-bridge-benchmark.xml");
        Duration measure = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 20);
        Duration warmup = Duration.ofSeconds(Math.max(3, measure.toSeconds() / 4));
        Duration jitWarmup = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 60);
        SPANS_PER_REQUEST = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int distinct = args.length > 3 ? Integer.parseInt(args[3]) : 256;
        List<byte[]> request = LoadGenerator.requests(SPANS_PER_REQUEST, distinct);
        Path dir = Files.createTempDirectory("bridge-benchmark");
        List<String> report = new ArrayList<>();
        report.add(String.format(
                "requests: %d distinct of %d spans, %d bytes on average; %d s per measurement after %d s warm-up (the"
                        + " bridge: %d s more at first); %d cores; Java %s",
                distinct,
                SPANS_PER_REQUEST,
                request.stream().mapToInt(r -> r.length).sum() / distinct,
                measure.toSeconds(),
                warmup.toSeconds(),
                jitWarmup.toSeconds(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0)) {
            broker.createTopics(Signal.SPANS.inputTopic());
            BridgeConfig config = config(dir, broker.bootstrapServers());

            Process bridge = startBridge(dir, config);
            try {
                Ports ports = awaitPorts(dir.resolve("bridge.log"));
                awaitReady(ports.admin());
                // Both JVMs compile their hot paths in their first minute (the bridge's, and this one's broker and
                // producer); JIT threads would otherwise be measured. So: full load through the bridge first.
                load("grpc", "localhost:" + ports.grpc(), request, 0, jitWarmup, Duration.ofSeconds(1));
                load("http", "localhost:" + ports.http(), request, 0, jitWarmup.dividedBy(2), Duration.ofSeconds(1));
                rawProducer(config, request, jitWarmup.dividedBy(2), Duration.ofSeconds(1));

                double rawBefore = rawProducer(config, request, warmup, measure);
                report.add(String.format("raw producer (before): %.0f spans/s", rawBefore));
                Duration bridgeCpu = bridge.toHandle().info().totalCpuDuration().orElseThrow();
                long ownCpu = ((com.sun.management.OperatingSystemMXBean)
                                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime();
                LoadGenerator.Report grpcMax = load("grpc", "localhost:" + ports.grpc(), request, 0, warmup, measure);
                double bridgeCores = bridge.toHandle()
                                .info()
                                .totalCpuDuration()
                                .orElseThrow()
                                .minus(bridgeCpu)
                                .toNanos()
                        / 1e9
                        / (grpcMax.seconds() + warmup.toSeconds());
                double ownCores = (((com.sun.management.OperatingSystemMXBean)
                                                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                                        .getProcessCpuTime()
                                - ownCpu)
                        / 1e9
                        / (grpcMax.seconds() + warmup.toSeconds());
                report.add("bridge OTLP/gRPC, max: " + grpcMax);
                report.add(String.format(
                        "  CPU meanwhile: bridge process %.2f cores, this process (broker and load generator) %.2f cores",
                        bridgeCores, ownCores));
                LoadGenerator.Report httpMax = load("http", "localhost:" + ports.http(), request, 0, warmup, measure);
                report.add("bridge OTLP/HTTP, max: " + httpMax);
                double rawAfter = rawProducer(config, request, warmup, measure);
                report.add(String.format("raw producer (after): %.0f spans/s", rawAfter));

                double idle = idleCpu(bridge, measure);
                report.add(String.format("bridge idle: process CPU %.1f %% of one core", idle));
                double cpu = cpuAtRate(bridge, ports, request, 10_000.0 / SPANS_PER_REQUEST, warmup, measure, report);
                double halfRate = grpcMax.requestsPerSecond() / 2;
                LoadGenerator.Report half =
                        load("grpc", "localhost:" + ports.grpc(), request, halfRate, warmup, measure);
                report.add(String.format("bridge OTLP/gRPC at half the maximum (%.0f requests/s): %s", halfRate, half));

                double raw = (rawBefore + rawAfter) / 2;
                report.add("");
                report.add("| measure | result | target |");
                report.add("| --- | --- | --- |");
                report.add(String.format(
                        "| raw producer, same bytes and settings (mean of before/after) | %.0f spans/s | — |", raw));
                report.add(String.format(
                        "| bridge OTLP/gRPC, max | %.0f spans/s, ratio **%.2f** | ≥ 0.8 |",
                        grpcMax.spansPerSecond(), grpcMax.spansPerSecond() / raw));
                report.add(String.format(
                        "| bridge OTLP/HTTP, max | %.0f spans/s, ratio **%.2f** | ≥ 0.6 |",
                        httpMax.spansPerSecond(), httpMax.spansPerSecond() / raw));
                report.add(String.format(
                        "| bridge CPU at 10,000 spans/s (OTLP/gRPC) | **%.1f %%** of one core (idle: %.1f %%) | ≤ 15 %% |",
                        cpu, idle));
                report.add(String.format(
                        "| latency at half the max (%.0f spans/s, OTLP/gRPC) | p50 %.2f ms, p99 **%.2f ms**, p99.9 %.2f ms | — |",
                        half.spansPerSecond(),
                        half.latencyMillis(0.5),
                        half.latencyMillis(0.99),
                        half.latencyMillis(0.999)));
            } finally {
                bridge.destroy();
                bridge.waitFor();
            }
        }
        report.forEach(System.out::println);
    }

    private static BridgeConfig config(Path dir, String bootstrapServers) throws Exception {
        Path keys = Files.writeString(
                dir.resolve("keys.yaml"), "tenants:\n  bench:\n    key-sha256: [\"" + ApiKeys.sha256(KEY) + "\"]\n");
        Path file = Files.writeString(dir.resolve("bridge.yaml"), """
                grpc: {port: 0}
                http: {port: 0}
                admin: {port: 0}
                keys-file: %s
                limits: {tenant-items-per-second: 0, max-concurrent-requests: 512}
                kafka: {bootstrap-servers: "%s"}
                """.formatted(keys, bootstrapServers));
        return BridgeConfig.load(file);
    }

    /** Spans per second a plain producer with the bridge's settings writes, with 64 requests in flight. */
    private static double rawProducer(BridgeConfig config, List<byte[]> request, Duration warmup, Duration measure)
            throws Exception {
        int maxRequest = Math.max(config.grpc().maxRequestBytes(), config.http().maxRequestBytes());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                KafkaForwarder.producerProperties(config.kafka(), maxRequest),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            produceFor(producer, request, warmup);
            long start = System.nanoTime();
            long acknowledged = produceFor(producer, request, measure);
            return acknowledged * SPANS_PER_REQUEST / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static long produceFor(KafkaProducer<byte[], byte[]> producer, List<byte[]> requests, Duration duration) {
        Semaphore inFlight = new Semaphore(64);
        AtomicLong acknowledged = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        RecordHeader tenant = new RecordHeader("tenant", "bench".getBytes(StandardCharsets.UTF_8));
        int next = 0;
        while (System.nanoTime() < end) {
            inFlight.acquireUninterruptibly();
            byte[] request = requests.get(next);
            next = (next + 1) % requests.size();
            producer.send(
                    new ProducerRecord<byte[], byte[]>(
                            Signal.SPANS.inputTopic(),
                            null,
                            (byte[]) null,
                            request,
                            List.<org.apache.kafka.common.header.Header>of(tenant)),
                    (metadata, error) -> {
                        if (error == null) {
                            acknowledged.incrementAndGet();
                        }
                        inFlight.release();
                    });
        }
        inFlight.acquireUninterruptibly(64);
        return acknowledged.get();
    }

    private static double idleCpu(Process bridge, Duration measure) throws InterruptedException {
        Duration before = bridge.toHandle().info().totalCpuDuration().orElseThrow();
        long start = System.nanoTime();
        Thread.sleep(measure.toMillis());
        Duration cpu = bridge.toHandle().info().totalCpuDuration().orElseThrow().minus(before);
        return 100.0 * cpu.toNanos() / (System.nanoTime() - start);
    }

    private static double cpuAtRate(
            Process bridge,
            Ports ports,
            List<byte[]> request,
            double requestsPerSecond,
            Duration warmup,
            Duration measure,
            List<String> report) {
        try (LoadGenerator generator = new LoadGenerator(new LoadGenerator.Settings(
                "grpc",
                "localhost:" + ports.grpc(),
                KEY,
                request,
                SPANS_PER_REQUEST,
                requestsPerSecond,
                64,
                warmup,
                Duration.ZERO))) {
            generator.run(); // warm-up at the rate
            Duration cpuBefore = bridge.toHandle().info().totalCpuDuration().orElseThrow();
            long start = System.nanoTime();
            LoadGenerator measured = new LoadGenerator(new LoadGenerator.Settings(
                    "grpc",
                    "localhost:" + ports.grpc(),
                    KEY,
                    request,
                    SPANS_PER_REQUEST,
                    requestsPerSecond,
                    64,
                    measure,
                    Duration.ZERO));
            LoadGenerator.Report result = measured.run();
            measured.close();
            double wallNanos = System.nanoTime() - start;
            Duration cpu =
                    bridge.toHandle().info().totalCpuDuration().orElseThrow().minus(cpuBefore);
            double percent = 100.0 * cpu.toNanos() / wallNanos;
            report.add(String.format(
                    "bridge at %.0f spans/s: %s; bridge process CPU %.1f %% of one core",
                    result.spansPerSecond(), result, percent));
            return percent;
        }
    }

    private static LoadGenerator.Report load(
            String transport, String target, List<byte[]> request, double rate, Duration warmup, Duration measure) {
        try (LoadGenerator generator = new LoadGenerator(new LoadGenerator.Settings(
                transport, target, KEY, request, SPANS_PER_REQUEST, rate, 64, measure, warmup))) {
            return generator.run();
        }
    }

    private record Ports(int grpc, int http, int admin) {}

    private static Process startBridge(Path dir, BridgeConfig config) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        // Extra options for the bridge's JVM, e.g. -Dbridge.jvm.options=-XX:StartFlightRecording=filename=bridge.jfr to
        // profile it.
        String extra = System.getProperty("bridge.jvm.options", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                BridgeMain.class.getName(),
                dir.resolve("bridge.yaml").toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("bridge.log").toFile())
                .start();
    }

    private static Ports awaitPorts(Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return new Ports(
                        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the bridge did not start; see " + log);
    }

    private static void awaitReady(int adminPort) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (client.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://localhost:" + adminPort + "/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the bridge did not become ready");
    }
}
