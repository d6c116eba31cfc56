package io.otlpgovernor.local.demo;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo workload of {@code ./otlp-governor local --demo}: the demo tenants' services send traces, logs and metrics
 * through the bridge with the OpenTelemetry SDK's OTLP exporters, at a steady rate of user requests plus each
 * scenario's own traffic, and publish what the bridge acknowledged to {@value DemoTruth#TOPIC} every
 * {@link #TRUTH_INTERVAL}.
 *
 * <p>{@link #close} stops generating, flushes the SDKs and publishes the last counts, so the truth covers everything
 * sent.
 */
public final class DemoWorkload implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoWorkload.class);

    static final Duration TICK = Duration.ofMillis(200);
    static final Duration TRUTH_INTERVAL = Duration.ofSeconds(10);
    /** How often the SDKs export metrics; short, so the notebooks see data points within a minute. */
    static final Duration METRIC_INTERVAL = Duration.ofSeconds(10);

    private static final long MISENCODED_SECOND = 45;
    private static final String MISENCODED_TENANT = "globex";

    private final double requestsPerSecond;
    private final List<TenantRun> runs;
    private final DemoTruth truth;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "demo-workload");
        thread.setDaemon(true);
        return thread;
    });
    private final Clock clock = Clock.systemUTC();
    private long ticks;

    /** One tenant's SDKs, emitter and generator state. */
    private static final class TenantRun {
        final DemoTenant tenant;
        final TenantTelemetry telemetry;
        final TraceEmitter emitter;
        final Random random;
        double owed;

        TenantRun(DemoTenant tenant, TenantTelemetry telemetry, long seed) {
            this.tenant = tenant;
            this.telemetry = telemetry;
            this.emitter = new TraceEmitter(telemetry);
            this.random = new Random(seed);
        }
    }

    private DemoWorkload(
            double requestsPerSecond, List<TenantRun> runs, DemoTruth truth, KafkaProducer<String, byte[]> producer) {
        this.requestsPerSecond = requestsPerSecond;
        this.runs = runs;
        this.truth = truth;
        this.producer = producer;
    }

    /**
     * Starts sending: {@code requestsPerSecond} user requests per second and tenant to the bridge on localhost's
     * {@code grpcPort} and {@code httpPort}; the truth goes to the Kafka cluster at {@code bootstrapServers}.
     */
    public static DemoWorkload start(double requestsPerSecond, int grpcPort, int httpPort, String bootstrapServers) {
        TenantTelemetry.Endpoints endpoints =
                new TenantTelemetry.Endpoints("http://localhost:" + grpcPort, "http://localhost:" + httpPort);
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("the request rate must be above 0, not " + requestsPerSecond);
        }
        createTruthTopic(bootstrapServers);
        List<DemoTenant> tenants = DemoTenant.all();
        DemoTruth truth = new DemoTruth(DemoTenant.ids());
        List<TenantRun> runs = new ArrayList<>();
        long seed = 42;
        for (DemoTenant tenant : tenants) {
            runs.add(new TenantRun(
                    tenant,
                    TenantTelemetry.forBridge(tenant, endpoints, truth.tally(tenant.id()), METRIC_INTERVAL),
                    seed++));
        }
        DemoWorkload workload = new DemoWorkload(requestsPerSecond, runs, truth, truthProducer(bootstrapServers));
        workload.scheduler.scheduleAtFixedRate(workload::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        workload.scheduler.scheduleAtFixedRate(
                workload::publishTruth, TRUTH_INTERVAL.toMillis(), TRUTH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return workload;
    }

    /** The demo tenants' API keys (whose hashes are in the demo keys file), by tenant id. */
    public static Map<String, String> apiKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        DemoTenant.all().forEach(tenant -> keys.put(tenant.id(), tenant.apiKey()));
        return keys;
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log, and keep the demo going.
            LOG.warn("demo workload tick failed", e);
        }
    }

    /** Emits this tick's share of requests, and once a second the scenarios' own traffic. */
    private void tick() {
        long tick = ticks++;
        boolean newSecond = tick % (1000 / TICK.toMillis()) == 0;
        for (TenantRun run : runs) {
            run.owed += requestsPerSecond * TICK.toMillis() / 1000.0;
            for (; run.owed >= 1; run.owed--) {
                run.emitter.emit(run.tenant.scenario().request(run.random), clock.instant());
            }
            if (newSecond) {
                long second = tick * TICK.toMillis() / 1000;
                run.tenant
                        .scenario()
                        .background(second, run.random)
                        .forEach(call -> run.emitter.emit(call, clock.instant()));
                if (second % 60 == MISENCODED_SECOND && run.tenant.id().equals(MISENCODED_TENANT)) {
                    sendMisencodedRecord(run.tenant.id());
                }
            }
        }
    }

    /**
     * Once a minute globex's log shipper — a Collector whose Kafka exporter is set to {@code otlp_json} instead of
     * {@code otlp_proto} — writes a record straight into the input topic. The job dead-letters it; the truth counts it.
     */
    private void sendMisencodedRecord(String tenant) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                Signal.LOGS.inputTopic(),
                null,
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"nightly export done\"}}]}]}]}"
                        .getBytes(StandardCharsets.UTF_8));
        record.headers().add(RecordHeaders.TENANT, tenant.getBytes(StandardCharsets.UTF_8));
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                truth.tally(tenant).invalidRecords.increment();
            }
        });
    }

    private void publishTruth() {
        for (Map.Entry<String, byte[]> document :
                truth.documents(clock.instant()).entrySet()) {
            producer.send(
                    new ProducerRecord<>(DemoTruth.TOPIC, document.getKey(), document.getValue()),
                    (metadata, error) -> {
                        if (error != null) {
                            LOG.warn(
                                    "could not publish the demo's truth for {}: {}",
                                    document.getKey(),
                                    error.toString());
                        }
                    });
        }
    }

    /** Stops generating, flushes every SDK, publishes the last counts. */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("the demo workload did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runs.forEach(run -> run.telemetry.close());
        publishTruth();
        producer.close(Duration.ofSeconds(10));
    }

    private static KafkaProducer<String, byte[]> truthProducer(String bootstrapServers) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** One partition, so a tenant's documents stay in order; kept as long as the run's other topics. */
    private static void createTruthTopic(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(DemoTruth.TOPIC, Optional.of(1), Optional.empty())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topic " + DemoTruth.TOPIC, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + DemoTruth.TOPIC, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create topic " + DemoTruth.TOPIC + " within 30 s", e);
        }
    }
}
