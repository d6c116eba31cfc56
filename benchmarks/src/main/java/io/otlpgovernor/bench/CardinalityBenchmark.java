package io.otlpgovernor.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.cardinality.MemorySeriesStore;
import io.otlpgovernor.rules.cardinality.SeriesLimiter;
import io.otlpgovernor.rules.cardinality.SeriesStore;
import io.otlpgovernor.rules.pipeline.CardinalityOutput;
import io.otlpgovernor.rules.pipeline.RequestGovernor;
import io.otlpgovernor.rules.pipeline.model.AdmittedRecord;
import io.otlpgovernor.rules.pipeline.model.DecodedRecord;
import io.otlpgovernor.rules.pipeline.model.MetricPiece;
import io.otlpgovernor.rules.pipeline.model.SourcePosition;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import io.otlpgovernor.rules.pipeline.registry.RuleRegistry;
import io.otlpgovernor.rules.pipeline.registry.TenantRules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a cardinality limit costs per data point, next to the governing step it follows. Input: metric export requests
 * of 100 data points (10 cumulative sums of 10 points; attributes {@code http.route} of 50, {@code http.method} of
 * 4, {@code http.response.status_code} of 5 values; 4 services) — 4,000 series per metric at most, all active after
 * warm-up. Rules: the job benchmark's {@code gdpr} tenant, and the same with {@code max-series-per-metric: 100000}
 * (never reached); for the explosion, a tenant whose metrics are limited to one series each, already taken.
 * Scores are data points per second on one thread:
 * <ul>
 *   <li>{@code governMetrics} — the governing step without limits (the reference);
 *   <li>{@code governAndLimitInMemory} — governing with limits, then the limit on each piece, series in memory;
 *   <li>{@code governAndLimitOnRocksDb} — the same with the series in a local RocksDB, as the job keeps them;
 *   <li>{@code limitExplosionOnRocksDb} — the limit alone on requests whose every data point is a new series over a
 *       full limit (an explosion being dropped), on RocksDB.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CardinalityBenchmark {

    private static final int REQUESTS = 64;
    private static final int POINTS = 100;
    private static final String LIMITED = "bench-limited";

    private DecodedRecord[] steady;
    private DecodedRecord[] steadyLimited;
    private MetricPiece[] exploding;
    private TenantRules rules;
    private TenantRules limitedRules;
    private SeriesLimiter fullLimit;
    private RequestGovernor governor;
    private MemorySeriesStore memory;
    private RocksSeriesStore rocks;
    private RocksSeriesStore fullRocks;
    private int next;
    private long now;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createDirectories(Path.of("benchmarks/target/cardinality-benchmark"));
        delete(dir);
        Path rulesDir = JobBenchmark.writeRules(dir.resolve("rules"), "gdpr");
        String gdpr = Files.readString(rulesDir.resolve("tenants/bench.yaml"));
        Files.writeString(
                rulesDir.resolve("tenants/" + LIMITED + ".yaml"),
                gdpr.replace("tenant: bench", "tenant: " + LIMITED)
                        + "cardinality:\n  max-series-per-metric: 100000\n");
        Files.writeString(
                rulesDir.resolve("tenants/bench-full.yaml"),
                "tenant: bench-full\nversion: 1\ncardinality:\n  max-series-per-metric: 1\n");
        Path keys = JobBenchmark.writeHmacKeys(dir.resolve("keys.yaml"));
        String bench = Files.readString(keys);
        // The limited tenant hashes personal data with the same key as bench.
        Files.writeString(
                keys, bench + bench.substring(bench.indexOf('\n') + 1).replace("  bench:", "  " + LIMITED + ":"));
        RuleRegistry registry = RuleBootstrap.load(rulesDir, keys).newRegistry();
        rules = registry.rules(JobBenchmark.TENANT, tenant -> null).orElseThrow();
        limitedRules = registry.rules(LIMITED, tenant -> null).orElseThrow();
        governor = new RequestGovernor(registry.keyrings(), 1 << 20);
        now = System.currentTimeMillis();
        SplittableRandom random = new SplittableRandom(42);
        steady = new DecodedRecord[REQUESTS];
        steadyLimited = new DecodedRecord[REQUESTS];
        exploding = new MetricPiece[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            byte[] payload = request(random, -1, now).toByteArray();
            steady[i] = decoded(JobBenchmark.TENANT, payload);
            steadyLimited[i] = decoded(LIMITED, payload);
            byte[] explosion = request(random, i, now).toByteArray();
            exploding[i] = new MetricPiece(LIMITED, LIMITED, "standard", 1, "", explosion, POINTS, now);
        }
        memory = new MemorySeriesStore();
        rocks = new RocksSeriesStore(Files.createDirectories(dir.resolve("rocksdb")));
        fullRocks = new RocksSeriesStore(Files.createDirectories(dir.resolve("rocksdb-full")));
        fullLimit = registry.rules("bench-full", tenant -> null).orElseThrow().cardinality();
        // Warm-up: every series of the steady input is active before measuring.
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < REQUESTS; i++) {
                governAndLimit(memory);
                governAndLimit(rocks);
            }
        }
        for (int i = 0; i < REQUESTS; i++) {
            RequestGovernor.Outcome plain = governor.govern(new AdmittedRecord(steady[i], 0, rules.version()), rules);
            if (plain.records().stream().mapToLong(r -> r.items()).sum() != POINTS) {
                throw new IllegalStateException("the steady input must be governed whole");
            }
            if (governAndLimit(rocks) != POINTS) {
                throw new IllegalStateException("the steady input must pass its limit whole");
            }
        }
        for (int i = 0; i < REQUESTS; i++) {
            fullLimit.limit(ExportMetricsServiceRequest.parseFrom(steady[i].payload()), fullRocks, now);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rocks.close();
        fullRocks.close();
    }

    @Benchmark
    @OperationsPerInvocation(POINTS)
    public Object governMetrics() {
        return governor.govern(new AdmittedRecord(steady[nextIndex()], 0, rules.version()), rules);
    }

    @Benchmark
    @OperationsPerInvocation(POINTS)
    public Object governAndLimitInMemory() {
        return governAndLimit(memory);
    }

    @Benchmark
    @OperationsPerInvocation(POINTS)
    public Object governAndLimitOnRocksDb() {
        return governAndLimit(rocks);
    }

    @Benchmark
    @OperationsPerInvocation(POINTS)
    public Object limitExplosionOnRocksDb() {
        // Every data point is a new series of a metric whose one slot is taken: all are dropped.
        return CardinalityOutput.apply(exploding[nextIndex()], fullLimit, fullRocks, now, 1 << 20);
    }

    private long governAndLimit(SeriesStore store) {
        RequestGovernor.Outcome outcome = governor.govern(
                new AdmittedRecord(steadyLimited[nextIndex()], 0, limitedRules.version()), limitedRules);
        long written = 0;
        for (MetricPiece piece : outcome.metricPieces()) {
            written += CardinalityOutput.apply(piece, limitedRules.cardinality(), store, now, 1 << 20)
                    .limited()
                    .kept();
        }
        return written;
    }

    private int nextIndex() {
        next = (next + 1) % REQUESTS;
        return next;
    }

    /** 10 sums of 10 points from one of 4 services; {@code unique} >= 0 gives every point a user id of its own. */
    private static ExportMetricsServiceRequest request(SplittableRandom random, int unique, long nowMillis) {
        String[] methods = {"GET", "POST", "PUT", "DELETE"};
        long[] statuses = {200, 201, 400, 404, 500};
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder()
                .setScope(InstrumentationScope.newBuilder()
                        .setName("io.opentelemetry.http")
                        .setVersion("1.0"));
        for (int m = 0; m < 10; m++) {
            Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true).setAggregationTemporalityValue(2);
            for (int p = 0; p < 10; p++) {
                NumberDataPoint.Builder point = NumberDataPoint.newBuilder()
                        .addAttributes(text("http.route", "/api/v1/resource/" + random.nextInt(50)))
                        .addAttributes(text("http.method", methods[random.nextInt(methods.length)]))
                        .addAttributes(KeyValue.newBuilder()
                                .setKey("http.response.status_code")
                                .setValue(AnyValue.newBuilder().setIntValue(statuses[random.nextInt(5)])))
                        .setStartTimeUnixNano((nowMillis - 60_000) * 1_000_000)
                        .setTimeUnixNano(nowMillis * 1_000_000)
                        .setAsInt(random.nextInt(1000));
                if (unique >= 0) {
                    point.addAttributes(text("session.id", "s-" + unique + "-" + m + "-" + p));
                }
                sum.addDataPoints(point);
            }
            scope.addMetrics(
                    Metric.newBuilder().setName("http.server.requests." + m).setSum(sum));
        }
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(text("service.name", "service-" + random.nextInt(4)))
                                .addAttributes(text("deployment.environment", "production")))
                        .addScopeMetrics(scope))
                .build();
    }

    private static KeyValue text(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    private static DecodedRecord decoded(String tenant, byte[] payload) {
        return new DecodedRecord(
                tenant,
                Signal.METRICS,
                payload,
                POINTS,
                System.currentTimeMillis(),
                null,
                new SourcePosition("otlp_metrics", 0, 0));
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dir)) {
                    Files.delete(path);
                }
            }
        }
    }
}
