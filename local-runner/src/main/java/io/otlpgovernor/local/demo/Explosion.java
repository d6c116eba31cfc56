package io.otlpgovernor.local.demo;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;

/**
 * A demo service whose metric explodes: a counter of one demo service (same resource and scope as the demo workload's
 * own metrics) gains an attribute that takes a new value for every data point, {@code cart-00001}, {@code cart-00002}
 * …, at a steady rate until the planned number of series exist. The SDK keeps exporting every series it has seen
 * (cumulative temporality), so the exploded series keep arriving at every export until the run ends, as they would
 * from a real service.
 *
 * <p>The OpenTelemetry SDK itself limits each instrument to 2,000 series by default, folding the rest into one
 * {@code otel.metric.overflow=true} series; the explosion raises that limit above its planned series so that all of
 * them reach the bridge, and the governor's cardinality limits are what stops them.
 */
final class Explosion implements AutoCloseable {

    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What to explode.
     *
     * @param tenant         the demo tenant
     * @param service        one of its demo services
     * @param metric         the counter's name
     * @param attribute      the attribute that takes a new value per data point
     * @param series         how many series (distinct values) to create
     * @param seriesPerSecond how fast new series appear
     * @param duration       how long the run lasts: the ramp, then the series keep being exported
     */
    record Plan(
            DemoTenant tenant,
            String service,
            String metric,
            String attribute,
            int series,
            double seriesPerSecond,
            Duration duration) {

        /** How long creating every series takes. */
        Duration ramp() {
            return Duration.ofNanos((long) Math.ceil(series / seriesPerSecond * 1e9));
        }

        /** The value of the attribute of series {@code index} (from 1). */
        String value(long index) {
            return String.format("cart-%05d", index);
        }
    }

    /**
     * What was sent so far.
     *
     * @param series          series created
     * @param exports         exports finished
     * @param failedExports   of those, the ones the bridge did not acknowledge
     * @param dataPoints      data points of the exploding metric in acknowledged exports
     */
    record Progress(long series, long exports, long failedExports, long dataPoints) {}

    /**
     * Told after every export, with the data points of the exploding metric in it; returns whether to go on (false
     * ends the run as {@link #stop} does).
     */
    interface Listener {
        boolean exported(Progress progress, boolean success, long dataPoints);
    }

    private final Plan plan;
    private final SdkMeterProvider provider;
    private final LongCounter counter;
    private final AttributeKey<String> key;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "demo-explosion");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong exports = new AtomicLong();
    private final AtomicLong failedExports = new AtomicLong();
    private final AtomicLong dataPoints = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private boolean closed;

    private Explosion(Plan plan, MetricExporter exporter, Duration exportInterval, Listener listener) {
        this.plan = plan;
        this.key = AttributeKey.stringKey(plan.attribute());
        int sdkLimit = plan.series() + 1; // the SDK keeps one series of its limit for overflow
        this.provider = SdkMeterProvider.builder()
                .setResource(TenantTelemetry.resource(plan.tenant().id(), plan.service()))
                .registerMetricReader(
                        PeriodicMetricReader.builder(new Counting(exporter, listener))
                                .setInterval(exportInterval)
                                .build(),
                        instrumentType -> sdkLimit)
                .build();
        this.counter = provider.get(TenantTelemetry.SCOPE)
                .counterBuilder(plan.metric())
                .build();
    }

    /**
     * Starts exploding, exporting through {@code exporter} (which it shuts down at the end) every
     * {@code exportInterval}; {@code listener} hears about every export.
     */
    static Explosion start(Plan plan, MetricExporter exporter, Duration exportInterval, Listener listener) {
        if (plan.ramp().compareTo(plan.duration()) > 0) {
            throw new IllegalArgumentException("the ramp (" + plan.ramp() + ") is longer than the run");
        }
        Explosion explosion = new Explosion(plan, exporter, exportInterval, listener);
        explosion.scheduler.scheduleAtFixedRate(explosion::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        return explosion;
    }

    /** Creates the series due by now; ends the run when its time is up. */
    private void tick() {
        long elapsed = System.nanoTime() - startNanos;
        long due = Math.min(plan.series(), (long) Math.ceil(elapsed / 1e9 * plan.seriesPerSecond()));
        while (created.get() < due) {
            counter.add(1, Attributes.of(key, plan.value(created.incrementAndGet())));
        }
        if (elapsed >= plan.duration().toNanos()) {
            ended.countDown();
        }
    }

    /** Waits until the run's time is up, {@link #stop} is called or the listener said to stop. */
    void awaitEnd() throws InterruptedException {
        ended.await();
    }

    /** Ends the run early (the last export still happens at {@link #close}). */
    void stop() {
        ended.countDown();
    }

    Progress progress() {
        return new Progress(created.get(), exports.get(), failedExports.get(), dataPoints.get());
    }

    /** Stops creating series, exports a last time and shuts the SDK and the exporter down. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        provider.shutdown().join(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Counts what the bridge acknowledged and tells the listener. */
    private final class Counting implements MetricExporter {
        private final MetricExporter delegate;
        private final Listener listener;

        Counting(MetricExporter delegate, Listener listener) {
            this.delegate = delegate;
            this.listener = listener;
        }

        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            // The SDK's own metrics (its collection duration) go along; only the exploding metric's points count.
            long points = metrics.stream()
                    .filter(metric -> metric.getName().equals(plan.metric()))
                    .mapToLong(metric -> metric.getData().getPoints().size())
                    .sum();
            CompletableResultCode result = delegate.export(metrics);
            result.whenComplete(() -> {
                exports.incrementAndGet();
                if (result.isSuccess()) {
                    dataPoints.addAndGet(points);
                } else {
                    failedExports.incrementAndGet();
                }
                if (!listener.exported(progress(), result.isSuccess(), points)) {
                    ended.countDown();
                }
            });
            return result;
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
            return delegate.getDefaultAggregation(instrumentType);
        }

        @Override
        public MemoryMode getMemoryMode() {
            return delegate.getMemoryMode();
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }
}
