package io.otlpgovernor.rules.retention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.OtlpPayloads;

/**
 * Splits one governed export request into one request per retention tier, so each share can go to the topic that
 * keeps data that long, and drops items already older than their tier keeps data: stored, they would only be
 * deleted at once.
 *
 * <p>Each span, log record and metric data point is an item. Its tier is {@link RetentionPolicy#choose chosen}
 * from its signal, its classification labels (given by the caller, aligned with the request's items as the
 * engine's {@code Decisions.itemLabels()} gives them), its resource's {@code service.name}, and the string
 * attributes of its resource and of itself (its own win on a clash). Its age is taken from its observed time —
 * a span's end (else start), a log record's time (else observed time), a data point's time — against the time the
 * request reached Kafka; an unknown (zero) or future time never expires.
 *
 * <p>The common case — every item in one tier, nothing expired — returns the request itself as the one part,
 * without a copy. Otherwise each part keeps the resource and scope structure of the items it holds, containers
 * left without items are removed, and a metric whose data points go to several tiers is split into copies
 * carrying only their points.
 *
 * <p>Immutable and thread-safe.
 */
public final class TierRouter {

    /** Marks an expired item in the per-item tier array. */
    private static final int EXPIRED = -1;
    /** No item seen yet. */
    private static final int NONE_YET = -2;

    private static final String SERVICE_NAME = "service.name";

    private final RetentionPolicy policy;
    /** Tier names, sorted: parts come in this order, and items are routed by their index in it. */
    private final List<String> tierNames;

    private final Map<String, Integer> tierIndex = new HashMap<>();
    private final Set<String> attributeKeys;

    public TierRouter(RetentionPolicy policy) {
        this.policy = policy;
        this.tierNames = policy.tiers().keySet().stream().sorted().toList();
        for (int i = 0; i < tierNames.size(); i++) {
            tierIndex.put(tierNames.get(i), i);
        }
        this.attributeKeys = policy.attributeKeys();
    }

    /** One tier's share: the request holding only that tier's items (resource/scope structure preserved, empty containers removed). */
    public record Part<T>(String tier, T request, long items) {}

    /**
     * A routed request.
     *
     * @param parts    non-empty parts, ordered by tier name
     * @param chosenBy (tier, rule id) → items routed by that rule, including expired ones
     * @param expired  tier → items dropped as older than the tier's retention
     */
    public record Routed<T>(List<Part<T>> parts, Map<TierChoice, Long> chosenBy, Map<String, Long> expired) {
        public Routed {
            parts = List.copyOf(parts);
            chosenBy = Map.copyOf(chosenBy);
            expired = Map.copyOf(expired);
        }

        /** Items dropped as expired, over all tiers. */
        public long expiredItems() {
            return expired.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A tier and the rule that chose it ({@code default} or {@code legal-hold} when no rule did). */
    public record TierChoice(String tier, String ruleId) {}

    /** @param itemLabels labels per span, aligned with the request's spans; a size mismatch is an {@link IllegalArgumentException} */
    public Routed<ExportTraceServiceRequest> routeSpans(
            ExportTraceServiceRequest request, List<Set<String>> itemLabels, long arrivalNanos) {
        Routing routing = new Routing(Signal.SPANS, itemLabels, spanCount(request), arrivalNanos);
        for (ResourceSpans resource : request.getResourceSpansList()) {
            routing.resource(resource.getResource());
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    long end = span.getEndTimeUnixNano();
                    routing.item(span.getAttributesList(), end != 0 ? end : span.getStartTimeUnixNano());
                }
            }
        }
        return routing.routed(request, tier -> spansIn(request, routing.tierOf, tier));
    }

    /** @param itemLabels labels per log record, aligned with the request's records; a size mismatch is an {@link IllegalArgumentException} */
    public Routed<ExportLogsServiceRequest> routeLogs(
            ExportLogsServiceRequest request, List<Set<String>> itemLabels, long arrivalNanos) {
        Routing routing = new Routing(Signal.LOGS, itemLabels, logCount(request), arrivalNanos);
        for (ResourceLogs resource : request.getResourceLogsList()) {
            routing.resource(resource.getResource());
            for (ScopeLogs scope : resource.getScopeLogsList()) {
                for (LogRecord record : scope.getLogRecordsList()) {
                    long time = record.getTimeUnixNano();
                    routing.item(record.getAttributesList(), time != 0 ? time : record.getObservedTimeUnixNano());
                }
            }
        }
        return routing.routed(request, tier -> logsIn(request, routing.tierOf, tier));
    }

    /**
     * @param itemLabels labels per data point, aligned with the request's data points (resource, scope, metric,
     *                   point); a size mismatch is an {@link IllegalArgumentException}
     */
    public Routed<ExportMetricsServiceRequest> routeMetrics(
            ExportMetricsServiceRequest request, List<Set<String>> itemLabels, long arrivalNanos) {
        Routing routing = new Routing(Signal.METRICS, itemLabels, pointCount(request), arrivalNanos);
        for (ResourceMetrics resource : request.getResourceMetricsList()) {
            routing.resource(resource.getResource());
            for (ScopeMetrics scope : resource.getScopeMetricsList()) {
                for (Metric metric : scope.getMetricsList()) {
                    routePoints(metric, routing);
                }
            }
        }
        return routing.routed(request, tier -> metricsIn(request, routing.tierOf, tier));
    }

    private static void routePoints(Metric metric, Routing routing) {
        switch (metric.getDataCase()) {
            case GAUGE ->
                metric.getGauge()
                        .getDataPointsList()
                        .forEach(p -> routing.item(p.getAttributesList(), p.getTimeUnixNano()));
            case SUM ->
                metric.getSum()
                        .getDataPointsList()
                        .forEach(p -> routing.item(p.getAttributesList(), p.getTimeUnixNano()));
            case HISTOGRAM ->
                metric.getHistogram()
                        .getDataPointsList()
                        .forEach(p -> routing.item(p.getAttributesList(), p.getTimeUnixNano()));
            case EXPONENTIAL_HISTOGRAM ->
                metric.getExponentialHistogram()
                        .getDataPointsList()
                        .forEach(p -> routing.item(p.getAttributesList(), p.getTimeUnixNano()));
            case SUMMARY ->
                metric.getSummary()
                        .getDataPointsList()
                        .forEach(p -> routing.item(p.getAttributesList(), p.getTimeUnixNano()));
            case DATA_NOT_SET -> {}
        }
    }

    /**
     * The routing of one request: per-item tiers, counts, and what is known of the current resource. Choosing is
     * skipped while an item's labels and attributes are the very instances of the previous item's — items without
     * labels or rule-relevant attributes share them, so most items cost an identity check.
     */
    private final class Routing {

        private final Signal signal;
        private final List<Set<String>> itemLabels;
        private final int items;
        private final long arrivalNanos;
        private final long[] kept = new long[tierNames.size()];
        private final long[] expired = new long[tierNames.size()];
        private final Map<TierChoice, long[]> chosen = new HashMap<>();
        /** Tier index per item ({@link #EXPIRED} for expired ones); only allocated once items differ. */
        private int[] tierOf;

        private int uniformTier = NONE_YET;
        private int index;

        private String service;
        private Map<String, String> resourceAttributes = Map.of();

        private Set<String> lastLabels;
        private Map<String, String> lastAttributes;
        private RetentionPolicy.Choice lastChoice;
        private int lastTier;
        private long[] lastCounter;

        Routing(Signal signal, List<Set<String>> itemLabels, int items, long arrivalNanos) {
            if (itemLabels.size() != items) {
                throw new IllegalArgumentException(
                        itemLabels.size() + " label entries for " + items + " " + signal.itemName());
            }
            this.signal = signal;
            this.itemLabels = itemLabels;
            this.items = items;
            this.arrivalNanos = arrivalNanos;
        }

        void resource(Resource resource) {
            service = null;
            for (KeyValue attribute : resource.getAttributesList()) {
                if (attribute.getKey().equals(SERVICE_NAME)
                        && attribute.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
                    service = attribute.getValue().getStringValue();
                }
            }
            resourceAttributes = relevant(Map.of(), resource.getAttributesList());
            lastLabels = null;
        }

        void item(List<KeyValue> attributes, long observedAtNanos) {
            Set<String> labels = itemLabels.get(index);
            Map<String, String> subjectAttributes = relevant(resourceAttributes, attributes);
            if (labels != lastLabels || subjectAttributes != lastAttributes) {
                choose(labels, subjectAttributes);
            }
            lastCounter[0]++;
            if (RetentionPolicy.expired(lastChoice, observedAtNanos, arrivalNanos)) {
                expired[lastTier]++;
                assign(EXPIRED);
            } else {
                kept[lastTier]++;
                assign(lastTier);
            }
        }

        private void choose(Set<String> labels, Map<String, String> subjectAttributes) {
            lastLabels = labels;
            lastAttributes = subjectAttributes;
            lastChoice = policy.choose(new RetentionPolicy.Subject(signal, labels, service, subjectAttributes));
            lastTier = tierIndex.get(lastChoice.tier());
            lastCounter =
                    chosen.computeIfAbsent(new TierChoice(lastChoice.tier(), lastChoice.ruleId()), k -> new long[1]);
        }

        /**
         * {@code base} plus the string attributes in {@code attributes} that some rule tests; {@code base} itself
         * when there are none, which is always the case when no rule tests attributes.
         */
        private Map<String, String> relevant(Map<String, String> base, List<KeyValue> attributes) {
            if (attributeKeys.isEmpty()) {
                return base;
            }
            Map<String, String> merged = null;
            for (KeyValue attribute : attributes) {
                if (attribute.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE
                        && attributeKeys.contains(attribute.getKey())) {
                    merged = merged == null ? new HashMap<>(base) : merged;
                    merged.put(attribute.getKey(), attribute.getValue().getStringValue());
                }
            }
            return merged == null ? base : merged;
        }

        /** Records the item's tier; the per-item array is only needed once a second tier or an expired item shows. */
        private void assign(int tier) {
            if (tierOf == null) {
                if (index == 0 && tier != EXPIRED) {
                    uniformTier = tier;
                }
                if (tier == uniformTier) {
                    index++;
                    return;
                }
                tierOf = new int[items];
                Arrays.fill(tierOf, 0, index, uniformTier);
            }
            tierOf[index++] = tier;
        }

        <T> Routed<T> routed(T request, IntFunction<T> partOf) {
            List<Part<T>> parts = new ArrayList<>();
            if (tierOf == null && uniformTier >= 0) {
                parts.add(new Part<>(tierNames.get(uniformTier), request, items));
            } else {
                for (int tier = 0; tier < kept.length; tier++) {
                    if (kept[tier] > 0) {
                        parts.add(new Part<>(tierNames.get(tier), partOf.apply(tier), kept[tier]));
                    }
                }
            }
            Map<TierChoice, Long> chosenBy = new HashMap<>();
            chosen.forEach((choice, count) -> chosenBy.put(choice, count[0]));
            Map<String, Long> expiredByTier = new HashMap<>();
            for (int tier = 0; tier < expired.length; tier++) {
                if (expired[tier] > 0) {
                    expiredByTier.put(tierNames.get(tier), expired[tier]);
                }
            }
            return new Routed<>(parts, chosenBy, expiredByTier);
        }
    }

    /** How many of the items in {@code [from, to)} are in {@code tier}. */
    private enum Share {
        NONE,
        SOME,
        ALL;

        static Share of(int[] tierOf, int from, int to, int tier) {
            int in = 0;
            for (int i = from; i < to; i++) {
                in += tierOf[i] == tier ? 1 : 0;
            }
            return in == 0 ? NONE : in == to - from ? ALL : SOME;
        }
    }

    /** The items of {@code items} (the ones from index {@code from} on) in {@code tier}. */
    private static <P> List<P> itemsIn(List<P> items, int[] tierOf, int from, int tier) {
        List<P> result = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (tierOf[from + i] == tier) {
                result.add(items.get(i));
            }
        }
        return result;
    }

    // Spans

    private static ExportTraceServiceRequest spansIn(ExportTraceServiceRequest request, int[] tierOf, int tier) {
        ExportTraceServiceRequest.Builder part = request.toBuilder().clearResourceSpans();
        int from = 0;
        for (ResourceSpans resource : request.getResourceSpansList()) {
            int to = from + spanCount(resource);
            switch (Share.of(tierOf, from, to, tier)) {
                case ALL -> part.addResourceSpans(resource);
                case SOME -> part.addResourceSpans(spansIn(resource, tierOf, from, tier));
                case NONE -> {}
            }
            from = to;
        }
        return part.build();
    }

    private static ResourceSpans spansIn(ResourceSpans resource, int[] tierOf, int from, int tier) {
        ResourceSpans.Builder part = resource.toBuilder().clearScopeSpans();
        for (ScopeSpans scope : resource.getScopeSpansList()) {
            int to = from + scope.getSpansCount();
            switch (Share.of(tierOf, from, to, tier)) {
                case ALL -> part.addScopeSpans(scope);
                case SOME ->
                    part.addScopeSpans(scope.toBuilder()
                            .clearSpans()
                            .addAllSpans(itemsIn(scope.getSpansList(), tierOf, from, tier)));
                case NONE -> {}
            }
            from = to;
        }
        return part.build();
    }

    private static int spanCount(ExportTraceServiceRequest request) {
        int count = 0;
        for (ResourceSpans resource : request.getResourceSpansList()) {
            count += spanCount(resource);
        }
        return count;
    }

    private static int spanCount(ResourceSpans resource) {
        int count = 0;
        for (ScopeSpans scope : resource.getScopeSpansList()) {
            count += scope.getSpansCount();
        }
        return count;
    }

    // Logs

    private static ExportLogsServiceRequest logsIn(ExportLogsServiceRequest request, int[] tierOf, int tier) {
        ExportLogsServiceRequest.Builder part = request.toBuilder().clearResourceLogs();
        int from = 0;
        for (ResourceLogs resource : request.getResourceLogsList()) {
            int to = from + logCount(resource);
            switch (Share.of(tierOf, from, to, tier)) {
                case ALL -> part.addResourceLogs(resource);
                case SOME -> part.addResourceLogs(logsIn(resource, tierOf, from, tier));
                case NONE -> {}
            }
            from = to;
        }
        return part.build();
    }

    private static ResourceLogs logsIn(ResourceLogs resource, int[] tierOf, int from, int tier) {
        ResourceLogs.Builder part = resource.toBuilder().clearScopeLogs();
        for (ScopeLogs scope : resource.getScopeLogsList()) {
            int to = from + scope.getLogRecordsCount();
            switch (Share.of(tierOf, from, to, tier)) {
                case ALL -> part.addScopeLogs(scope);
                case SOME ->
                    part.addScopeLogs(scope.toBuilder()
                            .clearLogRecords()
                            .addAllLogRecords(itemsIn(scope.getLogRecordsList(), tierOf, from, tier)));
                case NONE -> {}
            }
            from = to;
        }
        return part.build();
    }

    private static int logCount(ExportLogsServiceRequest request) {
        int count = 0;
        for (ResourceLogs resource : request.getResourceLogsList()) {
            count += logCount(resource);
        }
        return count;
    }

    private static int logCount(ResourceLogs resource) {
        int count = 0;
        for (ScopeLogs scope : resource.getScopeLogsList()) {
            count += scope.getLogRecordsCount();
        }
        return count;
    }

    // Metrics

    private static ExportMetricsServiceRequest metricsIn(ExportMetricsServiceRequest request, int[] tierOf, int tier) {
        ExportMetricsServiceRequest.Builder part = request.toBuilder().clearResourceMetrics();
        int from = 0;
        for (ResourceMetrics resource : request.getResourceMetricsList()) {
            int to = from + pointCount(resource);
            switch (Share.of(tierOf, from, to, tier)) {
                case ALL -> part.addResourceMetrics(resource);
                case SOME -> part.addResourceMetrics(metricsIn(resource, tierOf, from, tier));
                case NONE -> {}
            }
            from = to;
        }
        return part.build();
    }

    private static ResourceMetrics metricsIn(ResourceMetrics resource, int[] tierOf, int from, int tier) {
        ResourceMetrics.Builder part = resource.toBuilder().clearScopeMetrics();
        for (ScopeMetrics scope : resource.getScopeMetricsList()) {
            int to = from + pointCount(scope);
            switch (Share.of(tierOf, from, to, tier)) {
                case ALL -> part.addScopeMetrics(scope);
                case SOME -> part.addScopeMetrics(metricsIn(scope, tierOf, from, tier));
                case NONE -> {}
            }
            from = to;
        }
        return part.build();
    }

    private static ScopeMetrics metricsIn(ScopeMetrics scope, int[] tierOf, int from, int tier) {
        ScopeMetrics.Builder part = scope.toBuilder().clearMetrics();
        for (Metric metric : scope.getMetricsList()) {
            int to = from + OtlpPayloads.dataPointCount(metric);
            switch (Share.of(tierOf, from, to, tier)) {
                case ALL -> part.addMetrics(metric);
                case SOME -> part.addMetrics(pointsIn(metric, tierOf, from, tier));
                case NONE -> {}
            }
            from = to;
        }
        return part.build();
    }

    /** A copy of {@code metric} carrying only its data points in {@code tier}. */
    private static Metric pointsIn(Metric metric, int[] tierOf, int from, int tier) {
        Metric.Builder part = metric.toBuilder();
        switch (metric.getDataCase()) {
            case GAUGE ->
                part.getGaugeBuilder()
                        .clearDataPoints()
                        .addAllDataPoints(itemsIn(metric.getGauge().getDataPointsList(), tierOf, from, tier));
            case SUM ->
                part.getSumBuilder()
                        .clearDataPoints()
                        .addAllDataPoints(itemsIn(metric.getSum().getDataPointsList(), tierOf, from, tier));
            case HISTOGRAM ->
                part.getHistogramBuilder()
                        .clearDataPoints()
                        .addAllDataPoints(itemsIn(metric.getHistogram().getDataPointsList(), tierOf, from, tier));
            case EXPONENTIAL_HISTOGRAM ->
                part.getExponentialHistogramBuilder()
                        .clearDataPoints()
                        .addAllDataPoints(
                                itemsIn(metric.getExponentialHistogram().getDataPointsList(), tierOf, from, tier));
            case SUMMARY ->
                part.getSummaryBuilder()
                        .clearDataPoints()
                        .addAllDataPoints(itemsIn(metric.getSummary().getDataPointsList(), tierOf, from, tier));
            case DATA_NOT_SET -> {}
        }
        return part.build();
    }

    private static int pointCount(ExportMetricsServiceRequest request) {
        int count = 0;
        for (ResourceMetrics resource : request.getResourceMetricsList()) {
            count += pointCount(resource);
        }
        return count;
    }

    private static int pointCount(ResourceMetrics resource) {
        int count = 0;
        for (ScopeMetrics scope : resource.getScopeMetricsList()) {
            count += pointCount(scope);
        }
        return count;
    }

    private static int pointCount(ScopeMetrics scope) {
        int count = 0;
        for (Metric metric : scope.getMetricsList()) {
            count += OtlpPayloads.dataPointCount(metric);
        }
        return count;
    }
}
