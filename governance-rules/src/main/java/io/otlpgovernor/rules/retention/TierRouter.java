package io.otlpgovernor.rules.retention;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.tree.DataPoints;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.contract.otlp.tree.TreePosition;
import io.otlpgovernor.rules.condition.AttributeValues;
import io.otlpgovernor.rules.condition.When;

/**
 * Splits one governed export request into one request per retention tier, so each share can go to the topic that
 * keeps data that long, and drops items already older than their tier keeps data: stored, they would only be
 * deleted at once.
 *
 * <p>Each span, log record and metric data point is an item. Its tier is {@link RetentionPolicy#choose chosen}
 * from its signal, its classification labels (given by the caller, aligned with the request's items as the
 * engine's {@code Decisions.itemLabels()} gives them), its resource's {@code service.name}, and the attributes
 * of its resource and of itself (its own win on a clash), as {@link When} matches them. Its age is taken from its observed time —
 * a span's end (else start), a log record's time (else observed time), a data point's time — against the time the
 * request reached Kafka; an unknown (zero) or future time never expires.
 *
 * <p>The common case — every item in one tier, nothing expired — returns the request itself as the one part,
 * without a copy. Otherwise each part keeps the resource and scope structure of the items it holds, containers
 * left without items are removed, and a metric whose data points go to several tiers is split into copies
 * carrying only their points ({@link OtlpTree#partition} does the splitting).
 *
 * <p>Immutable and thread-safe.
 */
public final class TierRouter {

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

    /**
     * One tier's share: the request holding only that tier's items (resource/scope structure preserved, empty
     * containers removed), how many, and the classification labels found in them (sorted).
     */
    public record Part<T>(String tier, T request, long items, Set<String> labels) {
        public Part {
            labels = Collections.unmodifiableSortedSet(new TreeSet<>(labels));
        }
    }

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
        Routing routing = new Routing(Signal.SPANS, itemLabels, OtlpTree.count(request), arrivalNanos);
        return routing.routed(OtlpTree.partition(request, (Span span, TreePosition at) -> {
            long end = span.getEndTimeUnixNano();
            return routing.tierOf(at, span.getAttributesList(), end != 0 ? end : span.getStartTimeUnixNano());
        }));
    }

    /** @param itemLabels labels per log record, aligned with the request's records; a size mismatch is an {@link IllegalArgumentException} */
    public Routed<ExportLogsServiceRequest> routeLogs(
            ExportLogsServiceRequest request, List<Set<String>> itemLabels, long arrivalNanos) {
        Routing routing = new Routing(Signal.LOGS, itemLabels, OtlpTree.count(request), arrivalNanos);
        return routing.routed(OtlpTree.partition(request, (LogRecord record, TreePosition at) -> {
            long time = record.getTimeUnixNano();
            return routing.tierOf(at, record.getAttributesList(), time != 0 ? time : record.getObservedTimeUnixNano());
        }));
    }

    /**
     * @param itemLabels labels per data point, aligned with the request's data points (resource, scope, metric,
     *                   point); a size mismatch is an {@link IllegalArgumentException}
     */
    public Routed<ExportMetricsServiceRequest> routeMetrics(
            ExportMetricsServiceRequest request, List<Set<String>> itemLabels, long arrivalNanos) {
        Routing routing = new Routing(Signal.METRICS, itemLabels, OtlpTree.count(request), arrivalNanos);
        return routing.routed(OtlpTree.partition(
                request,
                (Message point, TreePosition at) ->
                        routing.tierOf(at, DataPoints.attributes(point), DataPoints.timeUnixNano(point))));
    }

    /**
     * The routing of one request: each item's tier index (its key for the partition; null when expired), counts,
     * and what is known of the current resource. Choosing is skipped while an item has the very labels instance of
     * the item before it, in the same resource, and no attribute a rule tests — items without labels share one
     * instance, so most items cost an identity check.
     */
    private final class Routing {

        private final Signal signal;
        private final List<Set<String>> itemLabels;
        private final long arrivalNanos;
        private final long[] expired = new long[tierNames.size()];
        /** The labels of each tier's kept items; the instance last added per tier, to skip shared sets. */
        private final List<Set<String>> labelsOf = new ArrayList<>();

        private final List<Set<String>> lastAdded = new ArrayList<>();
        private final Map<TierChoice, long[]> chosen = new HashMap<>();

        private int resourceIndex = -1;
        private String service;
        private List<KeyValue> resourceAttributes = List.of();

        /** The labels the last choice was made for; null when it must not be reused (it depended on the item). */
        private Set<String> lastLabels;

        private RetentionPolicy.Choice lastChoice;
        private Integer lastTier;
        private long[] lastCounter;

        Routing(Signal signal, List<Set<String>> itemLabels, long items, long arrivalNanos) {
            if (itemLabels.size() != items) {
                throw new IllegalArgumentException(
                        itemLabels.size() + " label entries for " + items + " " + signal.itemName());
            }
            this.signal = signal;
            this.itemLabels = itemLabels;
            this.arrivalNanos = arrivalNanos;
            for (int i = 0; i < tierNames.size(); i++) {
                labelsOf.add(new TreeSet<>());
                lastAdded.add(Set.of());
            }
        }

        /** The index of the item's tier in {@link #tierNames}, or null when it is expired there. */
        Integer tierOf(TreePosition at, List<KeyValue> attributes, long observedAtNanos) {
            if (at.resourceIndex() != resourceIndex) {
                resourceIndex = at.resourceIndex();
                service = AttributeValues.serviceName(at.resource());
                resourceAttributes = at.resource().getAttributesList();
                lastLabels = null;
            }
            Set<String> labels = itemLabels.get(at.itemIndex());
            boolean itemDecides = testsAny(attributes);
            if (itemDecides || labels != lastLabels) {
                choose(labels, attributes);
                lastLabels = itemDecides ? null : labels;
            }
            lastCounter[0]++;
            if (RetentionPolicy.expired(lastChoice, observedAtNanos, arrivalNanos)) {
                expired[lastTier]++;
                return null;
            }
            if (labels != lastAdded.get(lastTier)) {
                labelsOf.get(lastTier).addAll(labels);
                lastAdded.set(lastTier, labels);
            }
            return lastTier;
        }

        private void choose(Set<String> labels, List<KeyValue> attributes) {
            lastChoice =
                    policy.choose(new RetentionPolicy.Subject(signal, labels, service, attributes, resourceAttributes));
            lastTier = tierIndex.get(lastChoice.tier());
            lastCounter =
                    chosen.computeIfAbsent(new TierChoice(lastChoice.tier(), lastChoice.ruleId()), k -> new long[1]);
        }

        /** Whether the item has an attribute some rule tests — never, when no rule tests attributes. */
        private boolean testsAny(List<KeyValue> attributes) {
            if (attributeKeys.isEmpty()) {
                return false;
            }
            for (int i = 0, n = attributes.size(); i < n; i++) {
                if (attributeKeys.contains(attributes.get(i).getKey())) {
                    return true;
                }
            }
            return false;
        }

        <T> Routed<T> routed(List<OtlpTree.Part<Integer, T>> byTier) {
            List<Part<T>> parts = new ArrayList<>(byTier.size());
            byTier.stream()
                    .sorted((a, b) -> Integer.compare(a.key(), b.key()))
                    .forEach(part -> parts.add(new Part<>(
                            tierNames.get(part.key()), part.request(), part.items(), labelsOf.get(part.key()))));
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
}
