package io.otlpgovernor.local.demo;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The explosion as the SDK exports it: every planned series, none folded into the SDK's overflow series. */
class ExplosionTest {

    private static final DemoTenant ACME = DemoTenant.all().get(0);
    private static final AttributeKey<String> CART = AttributeKey.stringKey("cart.id");
    private static final AttributeKey<Boolean> OVERFLOW = AttributeKey.booleanKey("otel.metric.overflow");

    @Test
    void exportsEveryPlannedSeriesBeyondTheSdksDefaultLimitOf2000() throws Exception {
        // More series than the SDK keeps per instrument by default (2000), created within the first tenth of the run.
        int series = 2_500;
        Recording exporter = new Recording();
        List<Explosion.Progress> progress = new CopyOnWriteArrayList<>();
        Explosion.Plan plan = new Explosion.Plan(
                ACME, "checkout", "orders.placed", "cart.id", series, 25_000, Duration.ofMillis(600));

        try (Explosion explosion = Explosion.start(plan, exporter, Duration.ofMillis(150), (sent, success, points) -> {
            progress.add(sent);
            return true;
        })) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), explosion::awaitEnd);
        }

        // The SDK adds its own metrics (otel.sdk.…); the explosion is the one named metric.
        List<MetricData> exported = exporter.exported.stream()
                .filter(metric -> metric.getName().equals("orders.placed"))
                .toList();
        assertThat(exported).isNotEmpty().allSatisfy(metric -> {
            assertThat(metric.getInstrumentationScopeInfo().getName()).isEqualTo("io.otlpgovernor.demo");
            assertThat(metric.getResource().getAttribute(AttributeKey.stringKey("service.name")))
                    .isEqualTo("checkout");
            assertThat(metric.getResource().getAttribute(AttributeKey.stringKey("service.namespace")))
                    .isEqualTo("acme");
        });
        List<PointData> points = exported.stream()
                .flatMap(metric -> metric.getData().getPoints().stream())
                .map(PointData.class::cast)
                .toList();
        assertThat(points).noneMatch(point -> point.getAttributes().get(OVERFLOW) != null);
        Set<String> values =
                points.stream().map(point -> point.getAttributes().get(CART)).collect(Collectors.toSet());
        assertThat(values)
                .hasSize(series)
                .isEqualTo(IntStream.rangeClosed(1, series)
                        .mapToObj(i -> String.format("cart-%05d", i))
                        .collect(Collectors.toSet()));
        // The last export (at close) carries every series: cumulative temporality keeps them all.
        assertThat(exported.get(exported.size() - 1).getData().getPoints()).hasSize(series);
        Explosion.Progress last = progress.get(progress.size() - 1);
        assertThat(last.series()).isEqualTo(series);
        assertThat(last.failedExports()).isZero();
        assertThat(last.exports()).isEqualTo(exported.size());
        assertThat(last.dataPoints()).isEqualTo(points.size());
    }

    @Test
    void endsAtOnceWhenTheListenerSaysSo() {
        Explosion.Plan plan =
                new Explosion.Plan(ACME, "checkout", "orders.placed", "cart.id", 10, 100, Duration.ofMinutes(10));
        List<Boolean> outcomes = new CopyOnWriteArrayList<>();

        try (Explosion explosion = Explosion.start(plan, new Refusing(), Duration.ofMillis(100), (sent, ok, points) -> {
            outcomes.add(ok);
            return false;
        })) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), explosion::awaitEnd);
            assertThat(explosion.progress().failedExports()).isPositive();
            assertThat(explosion.progress().dataPoints()).isZero();
        }
        assertThat(outcomes).isNotEmpty().containsOnly(false);
    }

    @Test
    void refusesAPlanWhoseRampIsLongerThanTheRun() {
        Explosion.Plan plan =
                new Explosion.Plan(ACME, "checkout", "orders.placed", "cart.id", 1_000, 10, Duration.ofSeconds(60));

        assertThat(plan.ramp()).isEqualTo(Duration.ofSeconds(100));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Explosion.start(plan, new Recording(), Duration.ofSeconds(1), null));
    }

    /** Keeps what it exports (the SDK's in-memory exporter forgets everything at shutdown). */
    private static final class Recording implements MetricExporter {
        final List<MetricData> exported = new CopyOnWriteArrayList<>();

        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            exported.addAll(metrics);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    /** An exporter whose every export fails, as one to a bridge that is not running. */
    private static final class Refusing implements MetricExporter {
        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            return CompletableResultCode.ofFailure();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
