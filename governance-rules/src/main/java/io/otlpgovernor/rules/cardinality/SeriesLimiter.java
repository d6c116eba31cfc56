package io.otlpgovernor.rules.cardinality;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.otlpgovernor.contract.otlp.tree.DataPoints;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.contract.otlp.tree.TreePosition;
import io.otlpgovernor.contract.otlp.tree.TreeVisitor;
import io.otlpgovernor.rules.cardinality.CardinalityRules.OverLimit;

/**
 * Applies one tenant's cardinality limits to metric requests, against the active series in a {@link SeriesStore}.
 *
 * <p>A data point of an active series always passes (and refreshes the series when its last-seen time is older than
 * a sixteenth of the TTL, so a busy series costs one read per point and a write only now and then). A data point of
 * a new series is admitted — the series becomes active — when every limit that concerns it has room: the tenant's,
 * its metric's, and for each limited attribute it carries, a value already active or room for one more. Otherwise
 * the over-limit action applies, and the series is added to its metric's sketch of series over the limit. Counting
 * is exact: the store holds the set of active series, and counters follow it entry by entry.
 *
 * <p>A series frees its slot once {@code series-ttl} has passed since its last data point: {@link #expire} forgets
 * it at the first call after that (never before: it allows for the refresh interval). Plain Java; one instance per
 * rule set and task (not thread-safe).
 */
public final class SeriesLimiter {

    private static final KeyValue OVERFLOW = KeyValue.newBuilder()
            .setKey(CardinalityRules.OVERFLOW_ATTRIBUTE)
            .setValue(AnyValue.newBuilder().setBoolValue(true))
            .build();

    /** The window counters' kinds, in the order of a walk's tallies. */
    private static final char[] WINDOW_KINDS = {'p', 'n', 'd', 's', 'g'};

    private static final int POINTS = 0;
    private static final int NEW_SERIES = 1;
    private static final int DROPPED = 2;
    private static final int STRIPPED = 3;
    private static final int TAGGED = 4;

    private final CardinalityRules rules;
    private final long ttlMillis;
    private final long refreshMillis;

    public SeriesLimiter(CardinalityRules rules) {
        this.rules = rules;
        this.ttlMillis = rules.seriesTtl().toMillis();
        this.refreshMillis = Math.max(1, ttlMillis / 16);
    }

    public CardinalityRules rules() {
        return rules;
    }

    /**
     * What limiting a request did.
     *
     * @param request   the request to write: the same instance when nothing changed; null when no data point is left
     * @param kept      data points written (unchanged, or stripped)
     * @param overLimit per metric, data points of new series a limit had no room for, whatever the action
     * @param action    the action taken on those
     */
    public record Limited(
            ExportMetricsServiceRequest request, long kept, Map<String, Long> overLimit, OverLimit action) {

        /** Data points removed: those over a limit when the action drops them. */
        public long dropped() {
            return action == OverLimit.DROP_NEW_SERIES
                    ? overLimit.values().stream().mapToLong(Long::longValue).sum()
                    : 0;
        }
    }

    /** Limits {@code request} at {@code nowMillis}, updating {@code store}. */
    public Limited limit(ExportMetricsServiceRequest request, SeriesStore store, long nowMillis) {
        Walk walk = new Walk(store, nowMillis);
        ExportMetricsServiceRequest out = OtlpTree.walk(request, walk);
        walk.flush();
        return new Limited(OtlpTree.count(out) == 0 ? null : out, walk.kept, walk.overLimit, rules.overLimit());
    }

    /** Forgets every entry inactive for {@code series-ttl}, freeing its slot; returns how many series it freed. */
    public int expire(SeriesStore store, long nowMillis) {
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Long> entry : store.entries()) {
            if (entry.getValue() + ttlMillis + refreshMillis <= nowMillis) {
                expired.add(entry.getKey());
            }
        }
        Map<String, Long> decrements = new HashMap<>();
        int series = 0;
        for (String entry : expired) {
            store.forget(entry);
            String metric = SeriesKeys.metricOf(entry);
            if (entry.charAt(0) == SeriesKeys.SERIES) {
                series++;
                decrements.merge(SeriesKeys.TOTAL_COUNTER, 1L, Long::sum);
                decrements.merge(SeriesKeys.seriesCounter(metric), 1L, Long::sum);
            } else {
                decrements.merge(SeriesKeys.valuesCounter(metric, SeriesKeys.attributeOf(entry)), 1L, Long::sum);
            }
        }
        decrements.forEach((counter, by) -> store.setCount(counter, Math.max(0, store.count(counter) - by)));
        return series;
    }

    /** One request's walk: counters and sketches are read once and written back once, at the end. */
    private final class Walk implements TreeVisitor<Message> {
        private final SeriesStore store;
        private final long now;
        private final Map<String, Long> counters = new HashMap<>();
        private final Map<String, Long> dirty = new HashMap<>();
        private final Map<String, byte[]> sketches = new HashMap<>();
        private final Map<String, byte[]> dirtySketches = new HashMap<>();
        final Map<String, Long> overLimit = new LinkedHashMap<>();
        long kept;
        private int resourceIndex = -1;
        private int scopeIndex = -1;
        private byte[] resourceForm;
        private byte[] scopeForm;
        /** This request's window counts per metric: points, new series, dropped, stripped, tagged. */
        private final Map<String, long[]> tallies = new LinkedHashMap<>();

        private Metric metric;
        private String name;
        private long[] tally;

        Walk(SeriesStore store, long now) {
            this.store = store;
            this.now = now;
        }

        @Override
        public Message item(Message point, TreePosition at) {
            if (at.resourceIndex() != resourceIndex) {
                resourceIndex = at.resourceIndex();
                resourceForm = SeriesKeys.resource(at.resource());
                scopeIndex = -1;
            }
            if (at.scopeIndex() != scopeIndex) {
                scopeIndex = at.scopeIndex();
                scopeForm = SeriesKeys.scope(at.scope());
            }
            if (at.metric() != metric) {
                metric = at.metric();
                name = metric.getName();
                tally = tallies.computeIfAbsent(name, n -> new long[WINDOW_KINDS.length]);
            }
            return point(point, name);
        }

        /** The data point as written: itself, stripped, or null when dropped. */
        private Message point(Message point, String name) {
            List<KeyValue> attributes = DataPoints.attributes(point);
            String series = SeriesKeys.series(name, resourceForm, scopeForm, attributes);
            tally[POINTS]++;
            long seen = store.lastSeen(series);
            if (seen >= 0) {
                if (now - seen >= refreshMillis) {
                    store.see(series, now);
                    for (String value : limitedValues(name, attributes)) {
                        refreshValue(name, value);
                    }
                }
                kept++;
                return point;
            }
            List<String> values = limitedValues(name, attributes);
            if (fits(name, values)) {
                store.see(series, now);
                add(SeriesKeys.TOTAL_COUNTER, 1);
                add(SeriesKeys.seriesCounter(name), 1);
                tally[NEW_SERIES]++;
                for (String value : values) {
                    refreshValue(name, value);
                }
                kept++;
                return point;
            }
            overLimit.merge(name, 1L, Long::sum);
            sketch(name, SeriesKeys.hashOf(series));
            return switch (rules.overLimit()) {
                case DROP_NEW_SERIES -> {
                    tally[DROPPED]++;
                    yield null;
                }
                case STRIP_ATTRIBUTES -> {
                    tally[STRIPPED]++;
                    kept++;
                    yield DataPoints.withAttributes(point, stripped(attributes));
                }
                case TAG_ONLY -> {
                    tally[TAGGED]++;
                    kept++;
                    yield point;
                }
            };
        }

        /** The value entries of the limited attributes this data point carries. */
        private List<String> limitedValues(String name, List<KeyValue> attributes) {
            if (rules.attributeValues().isEmpty()) {
                return List.of();
            }
            List<String> values = new ArrayList<>(1);
            for (KeyValue attribute : attributes) {
                if (rules.attributeValues().containsKey(attribute.getKey())) {
                    values.add(SeriesKeys.value(name, attribute.getKey(), attribute.getValue()));
                }
            }
            return values;
        }

        private boolean fits(String name, List<String> values) {
            if (rules.maxSeries().isPresent()
                    && count(SeriesKeys.TOTAL_COUNTER) >= rules.maxSeries().getAsLong()) {
                return false;
            }
            if (rules.limitOf(name).isPresent()
                    && count(SeriesKeys.seriesCounter(name))
                            >= rules.limitOf(name).getAsLong()) {
                return false;
            }
            for (String value : values) {
                String key = SeriesKeys.attributeOf(value);
                if (store.lastSeen(value) < 0
                        && count(SeriesKeys.valuesCounter(name, key))
                                >= rules.attributeValues().get(key)) {
                    return false;
                }
            }
            return true;
        }

        /** Marks an attribute value seen now, counting it when it was not active. */
        private void refreshValue(String name, String value) {
            if (store.lastSeen(value) < 0) {
                add(SeriesKeys.valuesCounter(name, SeriesKeys.attributeOf(value)), 1);
            }
            store.see(value, now);
        }

        private List<KeyValue> stripped(List<KeyValue> attributes) {
            List<KeyValue> kept = new ArrayList<>(attributes.size() + 1);
            if (!rules.stripAttributes().isEmpty()) {
                for (KeyValue attribute : attributes) {
                    if (!rules.stripAttributes().contains(attribute.getKey())
                            && !attribute.getKey().equals(CardinalityRules.OVERFLOW_ATTRIBUTE)) {
                        kept.add(attribute);
                    }
                }
            }
            kept.add(OVERFLOW);
            return kept;
        }

        private long count(String counter) {
            return counters.computeIfAbsent(counter, store::count);
        }

        private void add(String counter, long amount) {
            long value = count(counter) + amount;
            counters.put(counter, value);
            dirty.put(counter, value);
        }

        private void sketch(String name, long hash) {
            byte[] sketch = sketches.computeIfAbsent(name, n -> {
                byte[] stored = store.sketch(n);
                return stored == null ? HyperLogLog.empty() : stored;
            });
            if (HyperLogLog.add(sketch, hash)) {
                dirtySketches.put(name, sketch);
            }
        }

        void flush() {
            tallies.forEach((metric, counts) -> {
                for (int kind = 0; kind < counts.length; kind++) {
                    if (counts[kind] > 0) {
                        add(window(WINDOW_KINDS[kind], metric), counts[kind]);
                    }
                }
            });
            dirty.forEach(store::setCount);
            dirtySketches.forEach(store::setSketch);
        }
    }

    /**
     * The key's report window since the last call, or null when no data point arrived in it; its window counters and
     * sketches are reset.
     */
    public CardinalityWindow takeWindow(SeriesStore store) {
        Map<String, Long> counts = new HashMap<>();
        for (Map.Entry<String, Long> counter : store.counts()) {
            counts.put(counter.getKey(), counter.getValue());
        }
        TreeMap<String, CardinalityWindow.MetricWindow> metrics = new TreeMap<>();
        for (Map.Entry<String, Long> counter : counts.entrySet()) {
            if (!counter.getKey().startsWith("wp")) {
                continue;
            }
            String name = counter.getKey().substring(2);
            Map<String, Long> values = new TreeMap<>();
            Map<String, Long> limits = new TreeMap<>();
            rules.attributeValues().forEach((key, limit) -> {
                values.put(key, counts.getOrDefault(SeriesKeys.valuesCounter(name, key), 0L));
                limits.put(key, limit);
            });
            metrics.put(
                    name,
                    new CardinalityWindow.MetricWindow(
                            counts.getOrDefault(SeriesKeys.seriesCounter(name), 0L),
                            rules.limitOf(name),
                            counter.getValue(),
                            counts.getOrDefault(window('n', name), 0L),
                            counts.getOrDefault(window('d', name), 0L),
                            counts.getOrDefault(window('s', name), 0L),
                            counts.getOrDefault(window('g', name), 0L),
                            HyperLogLog.estimate(store.sketch(name)),
                            values,
                            limits));
            for (char kind : WINDOW_KINDS) {
                store.setCount(window(kind, name), 0);
            }
            store.setSketch(name, null);
        }
        if (metrics.isEmpty()) {
            return null;
        }
        return new CardinalityWindow(
                counts.getOrDefault(SeriesKeys.TOTAL_COUNTER, 0L),
                rules.maxSeries(),
                Collections.unmodifiableMap(metrics));
    }

    /** The key's active series. */
    public long activeSeries(SeriesStore store) {
        return store.count(SeriesKeys.TOTAL_COUNTER);
    }

    /**
     * How full the fullest limit of this key is, in percent of the limit (the tenant's, a metric's or an attribute's):
     * what the "tenant at 90 % of its series limit" alert watches.
     */
    public long usedPercent(SeriesStore store) {
        long percent = 0;
        for (Map.Entry<String, Long> counter : store.counts()) {
            String name = counter.getKey();
            long limit = 0;
            if (name.equals(SeriesKeys.TOTAL_COUNTER)) {
                limit = rules.maxSeries().orElse(0);
            } else if (name.charAt(0) == 'm') {
                limit = rules.limitOf(name.substring(1)).orElse(0);
            } else if (name.charAt(0) == 'a') {
                Long attributeLimit = rules.attributeValues().get(name.substring(name.indexOf('\u001f') + 1));
                limit = attributeLimit == null ? 0 : attributeLimit;
            }
            if (limit > 0) {
                percent = Math.max(percent, counter.getValue() * 100 / limit);
            }
        }
        return percent;
    }

    /** Counter of this report window's data points of a metric: seen (p), new series (n), dropped (d), stripped (s),
     * tagged (g). */
    static String window(char kind, String metric) {
        return "w" + kind + metric;
    }
}
