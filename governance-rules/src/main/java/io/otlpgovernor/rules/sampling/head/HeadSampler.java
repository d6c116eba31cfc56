package io.otlpgovernor.rules.sampling.head;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.contract.otlp.tree.TreePosition;
import io.otlpgovernor.contract.otlp.tree.TreeVisitor;
import io.otlpgovernor.rules.condition.AttributeValues;
import io.otlpgovernor.rules.condition.When;
import io.otlpgovernor.rules.sampling.ConsistentDecision;
import io.otlpgovernor.rules.sampling.ConsistentSampler;
import io.otlpgovernor.rules.sampling.OtelTraceState;
import io.otlpgovernor.rules.sampling.SamplingItems;
import io.otlpgovernor.rules.sampling.SamplingRules;

/**
 * Head sampling ({@code sampling.head}), compiled: decides every span and log record of an export request as it
 * arrives, with OpenTelemetry consistent probability sampling, so the spans of a trace — and the log records that
 * belong to it — are kept or dropped together. Immutable and thread-safe.
 *
 * <h2>Which probability</h2>
 * The first rule an item matches gives the probability, otherwise {@code default-probability}. A rule's
 * {@code when} is matched by {@link When} against the item's signal ({@code spans} or
 * {@code logs}), its resource's {@code service.name}, its classification labels (when the caller passes them;
 * otherwise a condition on labels never matches) and its own and its resource's attributes. A rule with
 * {@code span-kinds} matches only spans of those kinds: it never matches a log record, which has no kind.
 *
 * <h2>What is done</h2>
 * <ul>
 *   <li>Probability 1: the item is kept untouched — no {@code tracestate} rewrite, no attributes added.</li>
 *   <li>Probability 0: the item is dropped, whatever its randomness. (Zero is not a threshold — the strictest
 *       threshold still keeps one value in 2^56 — so it is an explicit drop.)</li>
 *   <li>Otherwise a {@link ConsistentSampler} at the probability (4 significant hex digits) decides: kept iff
 *       R ≥ T, where R is the {@code rv} of the span's tracestate (a log record's {@code sampling.randomness})
 *       or the low 56 bits of the trace id. A kept span's {@code th} is raised to T when it was lower and never
 *       lowered, a {@code th} the randomness contradicts is erased, and {@code rv}, unknown {@code ot} sub-keys
 *       and other vendors' entries are kept. A kept log record gets {@code sampling.threshold} (and
 *       {@code sampling.randomness} when R was explicit), exactly as {@link
 *       io.otlpgovernor.rules.sampling.ThresholdFilter} writes them. A log record with the trace id of a span
 *       therefore gets the same decision as the span when both resolve to the same probability.</li>
 *   <li>An item with nothing to draw from — no explicit randomness and no usable trace id (a log record without
 *       trace context; a span with an invalid trace id) — is not sampled at a probability between 0 and 1: a log
 *       record is kept unchanged (head sampling samples traces; a log outside any trace is not part of one), and
 *       a span, which valid OTLP never sends that way, is dropped as {@link ConsistentSampler} does.</li>
 * </ul>
 * Scopes and resources left without items are removed. When every item is kept unchanged the request itself is
 * returned.
 */
public final class HeadSampler {

    /** The {@link Filtered#byRule()} key for items no rule matched. Not a valid rule id, so it never clashes. */
    public static final String DEFAULT_RULE = "(default)";

    private static final HeadSampler KEEP_ALL = new HeadSampler(List.of(), Stage.of(1.0), true);

    private final List<Rule> rules;
    private final Stage defaultStage;
    private final boolean keepsEverything;

    private HeadSampler(List<Rule> rules, Stage defaultStage, boolean keepsEverything) {
        this.rules = rules;
        this.defaultStage = defaultStage;
        this.keepsEverything = keepsEverything;
    }

    /** The sampler for a tenant's {@code sampling.head}; without one, {@link #keepAll()}. */
    public static HeadSampler compile(Optional<SamplingRules.Head> head) {
        return head.map(HeadSampler::compile).orElse(KEEP_ALL);
    }

    /** The sampler for {@code head}; {@link #keepAll()} when every probability in it is 1. */
    public static HeadSampler compile(SamplingRules.Head head) {
        List<Rule> rules = new ArrayList<>(head.rules().size());
        boolean all = head.defaultProbability() == 1.0;
        for (SamplingRules.HeadRule rule : head.rules()) {
            rules.add(new Rule(
                    rule.id(), When.compile(rule.when()), kinds(rule.spanKinds()), Stage.of(rule.probability())));
            all &= rule.probability() == 1.0;
        }
        return all ? KEEP_ALL : new HeadSampler(List.copyOf(rules), Stage.of(head.defaultProbability()), false);
    }

    /** The sampler that keeps everything untouched; always the same instance. */
    public static HeadSampler keepAll() {
        return KEEP_ALL;
    }

    /** Whether this sampler keeps every item untouched (every probability is 1). */
    public boolean keepsEverything() {
        return keepsEverything;
    }

    /**
     * Items kept and dropped by one rule.
     */
    public record RuleCount(long kept, long dropped) {}

    /**
     * A sampled request.
     *
     * @param request what is left: the same instance when every item was kept unchanged
     * @param kept    items kept
     * @param dropped items dropped
     * @param byRule  rule id ({@link #DEFAULT_RULE} for items no rule matched) → items it decided, in rule order;
     *                rules that decided nothing are left out
     */
    public record Filtered<T>(T request, long kept, long dropped, Map<String, RuleCount> byRule) {}

    /** Samples the spans of {@code request}; classification labels are not known (conditions on labels never match). */
    public Filtered<ExportTraceServiceRequest> spans(ExportTraceServiceRequest request) {
        return spans(request, null);
    }

    /**
     * Samples the spans of {@code request}.
     *
     * @param itemLabels each span's classification labels in flattened order (resource, scope, span), as the
     *                   engine's decisions give them; null when not known
     */
    public Filtered<ExportTraceServiceRequest> spans(ExportTraceServiceRequest request, List<Set<String>> itemLabels) {
        Filtered<ExportTraceServiceRequest> unsampled = unsampled(request, itemLabels);
        if (unsampled != null) {
            return unsampled;
        }
        Counts counts = new Counts(rules.size());
        ExportTraceServiceRequest out = OtlpTree.walk(request, new ItemSampler<Span>(itemLabels) {
            @Override
            public Span item(Span span, TreePosition at) {
                int ruleIndex = ruleFor(
                        Signal.SPANS,
                        span.getKind(),
                        service,
                        labels(at),
                        span.getAttributesList(),
                        resourceAttributes);
                Span result = stage(ruleIndex).sample(span);
                counts.add(ruleIndex, result != null);
                return result;
            }
        });
        return new Filtered<>(out, counts.kept, counts.dropped, counts.byRule());
    }

    /** Samples the log records of {@code request}; classification labels are not known. */
    public Filtered<ExportLogsServiceRequest> logs(ExportLogsServiceRequest request) {
        return logs(request, null);
    }

    /**
     * Samples the log records of {@code request}.
     *
     * @param itemLabels each record's classification labels in flattened order (resource, scope, record); null
     *                   when not known
     */
    public Filtered<ExportLogsServiceRequest> logs(ExportLogsServiceRequest request, List<Set<String>> itemLabels) {
        Filtered<ExportLogsServiceRequest> unsampled = unsampled(request, itemLabels);
        if (unsampled != null) {
            return unsampled;
        }
        Counts counts = new Counts(rules.size());
        ExportLogsServiceRequest out = OtlpTree.walk(request, new ItemSampler<LogRecord>(itemLabels) {
            @Override
            public LogRecord item(LogRecord record, TreePosition at) {
                int ruleIndex =
                        ruleFor(Signal.LOGS, null, service, labels(at), record.getAttributesList(), resourceAttributes);
                LogRecord result = stage(ruleIndex).sample(record);
                counts.add(ruleIndex, result != null);
                return result;
            }
        });
        return new Filtered<>(out, counts.kept, counts.dropped, counts.byRule());
    }

    /** A walk that knows, at each item, its resource's service name and attributes and the item's labels. */
    private abstract static class ItemSampler<I> implements TreeVisitor<I> {
        private final List<Set<String>> itemLabels;
        String service;
        List<KeyValue> resourceAttributes;

        ItemSampler(List<Set<String>> itemLabels) {
            this.itemLabels = itemLabels;
        }

        @Override
        public Resource resource(Resource resource, TreePosition at) {
            service = AttributeValues.serviceName(resource);
            resourceAttributes = resource.getAttributesList();
            return resource;
        }

        Set<String> labels(TreePosition at) {
            return itemLabels == null ? null : itemLabels.get(at.itemIndex());
        }
    }

    /**
     * {@code request} as it is, every item kept by the default rule, when this sampler keeps everything; null when
     * it must be walked.
     *
     * @throws IllegalArgumentException when labels are given but not one entry per item
     */
    private <R extends Message> Filtered<R> unsampled(R request, List<Set<String>> itemLabels) {
        if (!keepsEverything && itemLabels == null) {
            return null;
        }
        long count = OtlpTree.count(request);
        if (itemLabels != null && itemLabels.size() != count) {
            throw new IllegalArgumentException(itemLabels.size() + " label entries for " + count + " items");
        }
        if (!keepsEverything) {
            return null;
        }
        return new Filtered<>(request, count, 0, count == 0 ? Map.of() : Map.of(DEFAULT_RULE, new RuleCount(count, 0)));
    }

    /** The index of the first rule the item matches, or -1 for the default. {@code kind} is null for log records. */
    private int ruleFor(
            Signal signal,
            Span.SpanKind kind,
            String service,
            Set<String> labels,
            List<KeyValue> attributes,
            List<KeyValue> resourceAttributes) {
        for (int i = 0, n = rules.size(); i < n; i++) {
            Rule rule = rules.get(i);
            if (rule.kinds != null && (kind == null || !rule.kinds.contains(kind))) {
                continue;
            }
            if (rule.when.matches(signal, service, labels, attributes, resourceAttributes)) {
                return i;
            }
        }
        return -1;
    }

    private Stage stage(int ruleIndex) {
        return ruleIndex < 0 ? defaultStage : rules.get(ruleIndex).stage;
    }

    private static Set<Span.SpanKind> kinds(Set<String> names) {
        if (names.isEmpty()) {
            return null;
        }
        List<Span.SpanKind> kinds = new ArrayList<>();
        for (String name : names) {
            kinds.add(
                    switch (name) {
                        case "server" -> Span.SpanKind.SPAN_KIND_SERVER;
                        case "client" -> Span.SpanKind.SPAN_KIND_CLIENT;
                        case "producer" -> Span.SpanKind.SPAN_KIND_PRODUCER;
                        case "consumer" -> Span.SpanKind.SPAN_KIND_CONSUMER;
                        case "internal" -> Span.SpanKind.SPAN_KIND_INTERNAL;
                        default -> throw new IllegalArgumentException("unknown span kind: " + name);
                    });
        }
        return Set.copyOf(kinds);
    }

    private record Rule(String id, When when, Set<Span.SpanKind> kinds, Stage stage) {}

    /** What one probability does to an item. */
    private static final class Stage {

        private final double probability;
        /** Null at probability 0 and 1. */
        private final ConsistentSampler sampler;

        private Stage(double probability, ConsistentSampler sampler) {
            this.probability = probability;
            this.sampler = sampler;
        }

        static Stage of(double probability) {
            if (!(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException("probability must be 0 to 1, got " + probability);
            }
            return new Stage(
                    probability,
                    probability == 0 || probability == 1 ? null : ConsistentSampler.withProbability(probability));
        }

        /** The span to send on (itself when unchanged), or null when it is dropped. */
        Span sample(Span span) {
            if (probability == 1) {
                return span;
            }
            if (probability == 0) {
                return null;
            }
            ConsistentDecision decision =
                    sampler.decide(span.getTraceState(), SamplingItems.samplerTraceId(span.getTraceId()));
            if (!decision.kept()) {
                return null;
            }
            return decision.traceStateChanged()
                    ? span.toBuilder().setTraceState(decision.traceState()).build()
                    : span;
        }

        /** The record to send on (itself when unchanged), or null when it is dropped. */
        LogRecord sample(LogRecord record) {
            if (probability == 1) {
                return record;
            }
            if (probability == 0) {
                return null;
            }
            OtelTraceState state = SamplingItems.state(record);
            ByteString traceId = record.getTraceId();
            if (!SamplingItems.hasRandomness(state, traceId)) {
                return record;
            }
            ConsistentDecision decision = sampler.decide(state, SamplingItems.samplerTraceId(traceId));
            return decision.kept() ? SamplingItems.withDecision(record, decision) : null;
        }
    }

    /** Kept and dropped counts, in total and per rule (index -1 is the default). */
    private final class Counts {

        private final long[] keptByRule;
        private final long[] droppedByRule;
        long kept;
        long dropped;

        Counts(int rules) {
            keptByRule = new long[rules + 1];
            droppedByRule = new long[rules + 1];
        }

        void add(int ruleIndex, boolean wasKept) {
            if (wasKept) {
                kept++;
                keptByRule[ruleIndex + 1]++;
            } else {
                dropped++;
                droppedByRule[ruleIndex + 1]++;
            }
        }

        Map<String, RuleCount> byRule() {
            Map<String, RuleCount> out = new LinkedHashMap<>();
            for (int i = 0; i < rules.size(); i++) {
                if (keptByRule[i + 1] + droppedByRule[i + 1] > 0) {
                    out.merge(
                            rules.get(i).id(),
                            new RuleCount(keptByRule[i + 1], droppedByRule[i + 1]),
                            (a, b) -> new RuleCount(a.kept() + b.kept(), a.dropped() + b.dropped()));
                }
            }
            if (keptByRule[0] + droppedByRule[0] > 0) {
                out.put(DEFAULT_RULE, new RuleCount(keptByRule[0], droppedByRule[0]));
            }
            return Collections.unmodifiableMap(out);
        }
    }

    @Override
    public String toString() {
        return keepsEverything ? "HeadSampler[keeps everything]" : "HeadSampler[" + rules.size() + " rules]";
    }
}
