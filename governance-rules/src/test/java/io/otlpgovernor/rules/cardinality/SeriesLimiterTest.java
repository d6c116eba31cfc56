package io.otlpgovernor.rules.cardinality;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.otlpgovernor.contract.otlp.tree.DataPoints;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import org.junit.jupiter.api.Test;

import static io.otlpgovernor.rules.cardinality.MetricRequests.attribute;
import static io.otlpgovernor.rules.cardinality.MetricRequests.attributes;
import static io.otlpgovernor.rules.cardinality.MetricRequests.gauge;
import static io.otlpgovernor.rules.cardinality.MetricRequests.histogram;
import static io.otlpgovernor.rules.cardinality.MetricRequests.point;
import static io.otlpgovernor.rules.cardinality.MetricRequests.points;
import static io.otlpgovernor.rules.cardinality.MetricRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

class SeriesLimiterTest {

    private static final long NOW = 1_780_000_000_000L;
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final MemorySeriesStore store = new MemorySeriesStore();

    @Test
    void admitsExactlyTheFirstSeriesUpToTheLimitWhateverTheArrivalOrder() {
        SeriesLimiter limiter = new SeriesLimiter(CardinalityFixtures.rules("max-series-per-metric: 50"));
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            MemorySeriesStore trialStore = new MemorySeriesStore();
            List<Integer> arrivals = new ArrayList<>();
            for (int user = 0; user < 200; user++) {
                for (int repeat = 0; repeat <= random.nextInt(3); repeat++) {
                    arrivals.add(user);
                }
            }
            Collections.shuffle(arrivals, random);
            Set<Integer> firstFifty = new LinkedHashSet<>();
            for (int user : arrivals) {
                if (firstFifty.size() < 50) {
                    firstFifty.add(user);
                }
            }

            for (int start = 0; start < arrivals.size(); start += 7) {
                List<Integer> batch = arrivals.subList(start, Math.min(arrivals.size(), start + 7));
                SeriesLimiter.Limited limited = limiter.limit(
                        points(
                                "checkout",
                                "logins",
                                batch.stream()
                                        .map(u -> attributes("user", "u" + u))
                                        .toList()),
                        trialStore,
                        NOW);
                List<String> written = users(limited.request());
                List<String> expected = batch.stream()
                        .filter(firstFifty::contains)
                        .map(u -> "u" + u)
                        .toList();
                assertThat(written)
                        .as("trial %d, arrivals from %d", trial, start)
                        .isEqualTo(expected);
                assertThat(limited.kept() + limited.dropped()).isEqualTo(batch.size());
            }
            assertThat(limiter.activeSeries(trialStore)).isEqualTo(50);
        }
    }

    @Test
    void aTenantWideLimitCountsEveryMetricAndNamedMetricsHaveTheirOwn() {
        SeriesLimiter limiter = new SeriesLimiter(CardinalityFixtures.rules("""
                max-series: 5
                metrics:
                  logins:
                    max-series: 2
                """));

        SeriesLimiter.Limited limited = limiter.limit(
                request(
                        "checkout",
                        gauge(
                                "logins",
                                point(attributes("user", "a")),
                                point(attributes("user", "b")),
                                point(attributes("user", "c"))),
                        gauge(
                                "carts",
                                point(attributes("cart", "1")),
                                point(attributes("cart", "2")),
                                point(attributes("cart", "3")),
                                point(attributes("cart", "4")))),
                store,
                NOW);

        assertThat(limited.overLimit()).containsEntry("logins", 1L).containsEntry("carts", 1L);
        assertThat(limited.kept()).isEqualTo(5);
        assertThat(limiter.activeSeries(store)).isEqualTo(5);
        assertThat(limiter.usedPercent(store)).isEqualTo(100);
    }

    @Test
    void activeSeriesKeepFlowingWhenTheLimitIsFull() {
        SeriesLimiter limiter = new SeriesLimiter(CardinalityFixtures.rules("max-series-per-metric: 1"));
        ExportMetricsServiceRequest first = points("checkout", "logins", List.of(attributes("user", "a")));
        limiter.limit(first, store, NOW);

        SeriesLimiter.Limited again = limiter.limit(first, store, NOW + 1000);
        SeriesLimiter.Limited other =
                limiter.limit(points("checkout", "logins", List.of(attributes("user", "b"))), store, NOW + 1000);

        assertThat(again.request()).as("nothing changed: the same request").isSameAs(first);
        assertThat(again.overLimit()).isEmpty();
        assertThat(other.request()).isNull();
        assertThat(other.dropped()).isEqualTo(1);
    }

    @Test
    void anAttributeValueLimitRejectsNewValuesButNotNewSeriesOfKnownValues() {
        SeriesLimiter limiter = new SeriesLimiter(CardinalityFixtures.rules("""
                attributes:
                  user:
                    max-values: 2
                """));

        SeriesLimiter.Limited limited = limiter.limit(
                points(
                        "checkout",
                        "logins",
                        List.of(
                                attributes("user", "a", "route", "/1"),
                                attributes("user", "b", "route", "/1"),
                                attributes("user", "c", "route", "/1"),
                                attributes("user", "a", "route", "/2"),
                                attributes("route", "/3"))),
                store,
                NOW);

        assertThat(users(limited.request())).containsExactly("u:a", "u:b", "u:a", "-");
        assertThat(limited.dropped()).isEqualTo(1);
        assertThat(limiter.activeSeries(store)).isEqualTo(4);
    }

    @Test
    void stripAttributesWritesTheOverflowAsTheSdkDoes() {
        SeriesLimiter limiter = new SeriesLimiter(CardinalityFixtures.rules("""
                max-series-per-metric: 1
                over-limit: strip-attributes
                strip-attributes: [user]
                """));
        limiter.limit(points("checkout", "logins", List.of(attributes("user", "a", "route", "/"))), store, NOW);

        SeriesLimiter.Limited limited = limiter.limit(
                request("checkout", histogram("logins", attributes("user", "b", "route", "/"))), store, NOW);

        List<List<KeyValue>> written = new ArrayList<>();
        OtlpTree.forEach(limited.request(), (point, at) -> written.add(DataPoints.attributes(point)));
        assertThat(written)
                .containsExactly(List.of(
                        attribute("route", "/"),
                        KeyValue.newBuilder()
                                .setKey("otel.metric.overflow")
                                .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                                        .setBoolValue(true))
                                .build()));
        assertThat(limited.kept()).isEqualTo(1);
        assertThat(limited.dropped()).isZero();
        assertThat(limited.overLimit()).containsEntry("logins", 1L);
        assertThat(limiter.activeSeries(store)).as("the overflow takes no slot").isEqualTo(1);
    }

    @Test
    void tagOnlyWritesEverythingAndCountsWhatWasOver() {
        SeriesLimiter limiter = new SeriesLimiter(CardinalityFixtures.rules("""
                max-series-per-metric: 1
                over-limit: tag-only
                """));
        ExportMetricsServiceRequest request =
                points("checkout", "logins", List.of(attributes("user", "a"), attributes("user", "b")));

        SeriesLimiter.Limited limited = limiter.limit(request, store, NOW);

        assertThat(limited.request()).isSameAs(request);
        assertThat(limited.overLimit()).containsEntry("logins", 1L);
        CardinalityWindow window = limiter.takeWindow(store);
        assertThat(window.metrics().get("logins").tagged()).isEqualTo(1);
        assertThat(window.metrics().get("logins").overLimitSeries()).isEqualTo(1);
    }

    @Test
    void aSeriesFreesItsSlotAfterItsTtlOfInactivityAndNotBefore() {
        SeriesLimiter limiter = new SeriesLimiter(CardinalityFixtures.rules("""
                max-series-per-metric: 2
                attributes:
                  user:
                    max-values: 2
                series-ttl: 1h
                """));
        limiter.limit(points("checkout", "logins", List.of(attributes("user", "a"))), store, NOW);
        limiter.limit(points("checkout", "logins", List.of(attributes("user", "b"))), store, NOW);
        for (long at = NOW + 60_000; at <= NOW + 2 * HOUR; at += 60_000) {
            limiter.limit(points("checkout", "logins", List.of(attributes("user", "b"))), store, at);
            limiter.expire(store, at);
            if (at < NOW + HOUR) {
                assertThat(limiter.activeSeries(store))
                        .as("at +%d min", (at - NOW) / 60_000)
                        .isEqualTo(2);
            }
        }

        assertThat(limiter.activeSeries(store)).as("a expired, b is busy").isEqualTo(1);
        SeriesLimiter.Limited newcomer =
                limiter.limit(points("checkout", "logins", List.of(attributes("user", "c"))), store, NOW + 2 * HOUR);
        assertThat(newcomer.overLimit())
                .as("the freed series and value slots take c")
                .isEmpty();
        assertThat(limiter.expire(store, NOW + 10 * HOUR)).isEqualTo(2);
        assertThat(store.size()).as("series and values are gone").isZero();
        assertThat(store.counts())
                .as("no counter outlives its entries")
                .allSatisfy(counter -> assertThat(counter.getKey()).startsWith("w"));
    }

    @Test
    void aWindowCountsWhatHappenedAndStartsAfresh() {
        SeriesLimiter limiter = new SeriesLimiter(CardinalityFixtures.rules("max-series-per-metric: 2"));
        List<List<KeyValue>> users = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
            users.add(attributes("user", "u" + u));
        }
        limiter.limit(points("checkout", "logins", users), store, NOW);
        limiter.limit(points("checkout", "logins", users), store, NOW);

        CardinalityWindow window = limiter.takeWindow(store);

        CardinalityWindow.MetricWindow logins = window.metrics().get("logins");
        assertThat(logins.points()).isEqualTo(20);
        assertThat(logins.newSeries()).isEqualTo(2);
        assertThat(logins.dropped()).isEqualTo(16);
        assertThat(logins.overLimitSeries()).isEqualTo(8);
        assertThat(logins.activeSeries()).isEqualTo(2);
        assertThat(logins.limit()).hasValue(2);
        assertThat(window.activeSeries()).isEqualTo(2);
        assertThat(limiter.takeWindow(store)).as("nothing since").isNull();
    }

    @Test
    void theSameSeriesFromAnotherServiceIsAnotherSeries() {
        SeriesLimiter limiter = new SeriesLimiter(CardinalityFixtures.rules("max-series-per-metric: 1"));
        limiter.limit(points("checkout", "logins", List.of(attributes("user", "a"))), store, NOW);

        SeriesLimiter.Limited cart =
                limiter.limit(points("cart", "logins", List.of(attributes("user", "a"))), store, NOW);

        assertThat(cart.dropped()).isEqualTo(1);
        Set<String> series = new HashSet<>();
        store.entries().forEach(e -> series.add(e.getKey()));
        assertThat(series).hasSize(1);
    }

    /** The {@code user} attribute of each written data point ({@code u:<v>} when the test wrote it as such). */
    private static List<String> users(ExportMetricsServiceRequest request) {
        List<String> users = new ArrayList<>();
        if (request == null) {
            return users;
        }
        OtlpTree.forEach(
                request,
                (point, at) -> users.add(DataPoints.attributes(point).stream()
                        .filter(a -> a.getKey().equals("user"))
                        .map(a -> a.getValue().getStringValue())
                        .map(v -> v.startsWith("u") && v.length() > 1 && Character.isDigit(v.charAt(1)) ? v : "u:" + v)
                        .findFirst()
                        .orElse("-")));
        return users;
    }
}
