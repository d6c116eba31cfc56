package io.otlpgovernor.rules.sampling.tail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.rules.condition.AttributeValues;
import io.otlpgovernor.rules.condition.Match;
import io.otlpgovernor.rules.condition.When;
import io.otlpgovernor.rules.sampling.OtelTraceState;
import io.otlpgovernor.rules.sampling.SamplingConditions;
import io.otlpgovernor.rules.sampling.SamplingItems;
import io.otlpgovernor.rules.sampling.SamplingRules;
import io.otlpgovernor.rules.sampling.Threshold;

/**
 * Tail sampling ({@code sampling.tail}), compiled: builds a {@link TraceSummary} span by span and decides a trace
 * from it. Immutable and thread-safe; summaries are values.
 *
 * <h2>Decision</h2>
 * <ol>
 *   <li>A {@code drop} policy whose {@code when} some span matched drops the trace, whatever the others say (the
 *       first such policy in file order is reported).</li>
 *   <li>Otherwise the trace is kept when any other policy keeps it, and the first keeping policy <em>in file
 *       order</em> is reported — deterministic policies are not preferred over probabilistic ones; order the file
 *       to say which one audits should name.</li>
 *   <li>Otherwise, when there are {@code rate-limit} policies, the trace hinges on the first of them: the decision
 *       is {@link TailDecision#rateLimited()} and the job asks that policy's limiter for the trace's service. Only
 *       the first rate-limit policy is consulted. Traces kept by another policy do not use up a rate limit.</li>
 *   <li>Otherwise (including when there are no policies) the trace is dropped.</li>
 * </ol>
 *
 * <h2>Policies</h2>
 * <ul>
 *   <li>{@code status-error}: some span has status code error.</li>
 *   <li>{@code latency}: latest span end − earliest span start ≥ threshold (spans with zero times are ignored).</li>
 *   <li>{@code attribute}: some span, or its resource, has the attribute ({@link SamplingConditions.AttributeTest}).</li>
 *   <li>{@code span-count}: at least {@code min} spans were observed.</li>
 *   <li>{@code probabilistic}: consistent by the trace's randomness R ({@link TraceSummary#randomness()}): kept iff
 *       R ≥ T(p), T at 4 significant hex digits; probability 0 keeps nothing.</li>
 *   <li>{@code and}: every sub-policy keeps; an empty {@code and} keeps everything.</li>
 *   <li>{@code drop}: {@code when} as {@link When} with the span's signal ({@code spans}), its
 *       resource's {@code service.name}, and its own and its resource's attributes. Classification labels are
 *       not known to tail sampling, so a {@code when} with {@code labels} never matches.</li>
 * </ul>
 *
 * <h2>Threshold</h2>
 * Each policy keeps, for a given trace, either nothing, or every trace whose R is at least some threshold: 0 for
 * a deterministic policy that holds, T(p) for a probabilistic one, the largest of its parts' for an {@code and}.
 * The trace is kept iff R is at least the smallest of these, T_min — which is therefore its inclusion
 * probability given its content. The decision's threshold is T_min raised to the highest {@code th} the spans
 * arrived with (head sampling), so the adjusted count {@code 1/p} is an unbiased estimate however policies
 * combine: a trace kept for an error has its head-sampling {@code th} (or {@code th:0}), not a probabilistic
 * policy's, even when the probabilistic policy comes first in the file and is the one named.
 */
public final class TailEvaluator {

    /** A policy threshold meaning "keeps nothing": above every 56-bit value. */
    private static final long NEVER = Long.MAX_VALUE;

    private final SamplingRules.Tail rules;
    /** Top-level policies other than drop and rate-limit, in file order. */
    private final List<Node> keeping = new ArrayList<>();

    private final List<String> keepingIds = new ArrayList<>();
    /** Top-level drop policies: bit and id. */
    private final List<Integer> dropBits = new ArrayList<>();

    private final List<String> dropIds = new ArrayList<>();
    private final SamplingRules.RateLimit rateLimit;
    /** Leaf conditions by bit: attribute tests and drop conditions. */
    private final List<Object> leaves = new ArrayList<>();

    private final long fingerprint;
    private final int words;

    private TailEvaluator(SamplingRules.Tail rules) {
        this.rules = rules;
        StringBuilder canonical = new StringBuilder();
        SamplingRules.RateLimit firstRateLimit = null;
        for (SamplingRules.TailPolicy policy : rules.policies()) {
            if (policy instanceof SamplingRules.Drop drop) {
                dropBits.add(leaves.size());
                dropIds.add(drop.id());
                leaves.add(When.compile(drop.when()));
                canonical.append(canonical(drop.when())).append('\n');
            } else if (policy instanceof SamplingRules.RateLimit limit) {
                if (firstRateLimit == null) {
                    firstRateLimit = limit;
                }
            } else {
                keeping.add(compile(policy, canonical));
                keepingIds.add(policy.id());
            }
        }
        this.rateLimit = firstRateLimit;
        this.fingerprint = fnv64(canonical.toString());
        this.words = (leaves.size() + 63) >>> 6;
    }

    /** Compiles validated tail rules. */
    public static TailEvaluator compile(SamplingRules.Tail tail) {
        return new TailEvaluator(tail);
    }

    /** How long after a trace's last span it is decided. */
    public Duration decisionWait() {
        return rules.decisionWait();
    }

    /** How long a decision is remembered for late spans. */
    public Duration decisionCacheTtl() {
        return rules.decisionCacheTtl();
    }

    /** The summary of a trace before its first span. */
    public TraceSummary start() {
        return new TraceSummary(
                0, 0, Long.MAX_VALUE, 0, false, new long[words], fingerprint, false, Long.MAX_VALUE, "", -1, -1);
    }

    /**
     * The summary with one more span. {@code s} is not changed. A summary from an evaluator with other leaf
     * conditions (the rules changed while the trace was buffered) keeps its counts, times, error and anchor;
     * its condition bits are started afresh for this evaluator's conditions.
     *
     * @param resource  the span's resource
     * @param span      the span
     * @param spanBytes its size as buffered
     */
    public TraceSummary observe(TraceSummary s, Resource resource, Span span, int spanBytes) {
        long[] matched =
                s.conditionsFingerprint() == fingerprint && s.matched().length == words ? s.matched() : new long[words];
        String service = AttributeValues.serviceName(resource);
        List<KeyValue> spanAttributes = span.getAttributesList();
        List<KeyValue> resourceAttributes = resource.getAttributesList();
        long[] updated = matched;
        for (int bit = 0, n = leaves.size(); bit < n; bit++) {
            if ((updated[bit >>> 6] & (1L << bit)) != 0) {
                continue;
            }
            Object leaf = leaves.get(bit);
            boolean hit = leaf instanceof SamplingConditions.AttributeTest test
                    ? test.matches(spanAttributes, resourceAttributes)
                    : ((When) leaf).matches(Signal.SPANS, service, null, spanAttributes, resourceAttributes);
            if (hit) {
                if (updated == matched) {
                    updated = matched.clone();
                }
                updated[bit >>> 6] |= 1L << bit;
            }
        }

        long start = span.getStartTimeUnixNano();
        long end = span.getEndTimeUnixNano();
        long earliest = start != 0 ? Math.min(s.earliestStartNanos(), start) : s.earliestStartNanos();
        long latest = end != 0 ? Math.max(s.latestEndNanos(), end) : s.latestEndNanos();
        boolean error = s.errorSeen() || span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;

        OtelTraceState state = SamplingItems.state(span);
        long randomness = SamplingItems.randomness(span, state);
        long th = SamplingItems.thresholdValue(state);
        long threshold = th >= 0 && th <= randomness ? Math.max(s.threshold(), th) : s.threshold();

        boolean root = span.getParentSpanId().isEmpty();
        long anchorStart = start != 0 ? start : Long.MAX_VALUE;
        boolean newAnchor = s.spans() == 0 || precedes(root, anchorStart, service, randomness, s);
        return new TraceSummary(
                s.spans() + 1,
                s.bytes() + spanBytes,
                earliest,
                latest,
                error,
                updated,
                fingerprint,
                newAnchor ? root : s.anchorIsRoot(),
                newAnchor ? anchorStart : s.anchorStartNanos(),
                newAnchor ? service : s.service(),
                newAnchor ? randomness : s.randomness(),
                threshold);
    }

    /**
     * The summary of a request's spans (all of one trace, as tail sampling buffers them), each measured as its
     * serialized size. Computed where the spans are already parsed, so the buffer never parses them again.
     */
    public TraceSummary summarize(ExportTraceServiceRequest request) {
        TraceSummary[] summary = {start()};
        OtlpTree.forEach(
                request, (span, at) -> summary[0] = observe(summary[0], at.resource(), span, span.getSerializedSize()));
        return summary[0];
    }

    /** Whether {@code s} was built from this evaluator's leaf conditions, so its condition bits can be trusted. */
    public boolean conditionsMatch(TraceSummary s) {
        return s.conditionsFingerprint() == fingerprint && s.matched().length == words;
    }

    /**
     * The summary of the spans of both {@code a} and {@code b}: equal to observing all their spans one by one, in
     * any order (every field is a commutative fold). As in {@link #observe}, a summary built by other leaf
     * conditions (the rules changed) adds its counts, times, error and anchor but not its condition bits; where
     * the spans are at hand, {@link #summarize} them again instead.
     */
    public TraceSummary merge(TraceSummary a, TraceSummary b) {
        long[] matched = new long[words];
        for (TraceSummary s : List.of(a, b)) {
            if (conditionsMatch(s)) {
                for (int word = 0; word < words; word++) {
                    matched[word] |= s.matched()[word];
                }
            }
        }
        if (a.spans() == 0 || b.spans() == 0) {
            TraceSummary only = a.spans() == 0 ? b : a;
            return new TraceSummary(
                    only.spans(),
                    only.bytes(),
                    only.earliestStartNanos(),
                    only.latestEndNanos(),
                    only.errorSeen(),
                    matched,
                    fingerprint,
                    only.anchorIsRoot(),
                    only.anchorStartNanos(),
                    only.service(),
                    only.randomness(),
                    only.threshold());
        }
        TraceSummary anchor = precedes(b.anchorIsRoot(), b.anchorStartNanos(), b.service(), b.randomness(), a) ? b : a;
        return new TraceSummary(
                a.spans() + b.spans(),
                a.bytes() + b.bytes(),
                Math.min(a.earliestStartNanos(), b.earliestStartNanos()),
                Math.max(a.latestEndNanos(), b.latestEndNanos()),
                a.errorSeen() || b.errorSeen(),
                matched,
                fingerprint,
                anchor.anchorIsRoot(),
                anchor.anchorStartNanos(),
                anchor.service(),
                anchor.randomness(),
                Math.max(a.threshold(), b.threshold()));
    }

    /** Whether a span with these values comes before the summary's anchor: root first, earlier start, service, R. */
    private static boolean precedes(boolean root, long start, String service, long randomness, TraceSummary s) {
        if (root != s.anchorIsRoot()) {
            return root;
        }
        if (start != s.anchorStartNanos()) {
            return start < s.anchorStartNanos();
        }
        int byService = service.compareTo(s.service());
        if (byService != 0) {
            return byService < 0;
        }
        return randomness < s.randomness();
    }

    /** Whether the trace must be decided now: it reached {@code max-spans-per-trace} or {@code max-bytes-per-trace}. */
    public boolean capReached(TraceSummary s) {
        return s.spans() >= rules.maxSpansPerTrace() || s.bytes() >= rules.maxBytesPerTrace();
    }

    /** Decides the trace; see the class description. A summary without spans is {@link TailDecision#NOT_KEPT}. */
    public TailDecision decide(TraceSummary s) {
        if (s.spans() == 0) {
            return TailDecision.NOT_KEPT;
        }
        TraceSummary current = s.conditionsFingerprint() == fingerprint ? s : withoutBits(s);
        for (int i = 0; i < dropBits.size(); i++) {
            if (current.matched(dropBits.get(i))) {
                return TailDecision.dropped(dropIds.get(i));
            }
        }
        long randomness = current.randomness();
        long lowest = NEVER;
        String first = null;
        for (int i = 0; i < keeping.size(); i++) {
            long threshold = keeping.get(i).threshold(current);
            lowest = Math.min(lowest, threshold);
            if (first == null && threshold != NEVER && randomness >= threshold) {
                first = keepingIds.get(i);
            }
        }
        if (first != null) {
            return TailDecision.kept(first, new Threshold(Math.max(lowest, Math.max(current.threshold(), 0))));
        }
        if (rateLimit != null) {
            return TailDecision.rateLimited(rateLimit.id(), rateLimit.spansPerSecond());
        }
        return TailDecision.NOT_KEPT;
    }

    private TraceSummary withoutBits(TraceSummary s) {
        return new TraceSummary(
                s.spans(),
                s.bytes(),
                s.earliestStartNanos(),
                s.latestEndNanos(),
                s.errorSeen(),
                new long[words],
                fingerprint,
                s.anchorIsRoot(),
                s.anchorStartNanos(),
                s.service(),
                s.randomness(),
                s.threshold());
    }

    // Compilation

    /** A keeping policy: the threshold R must reach for it to keep the trace, or {@link #NEVER}. */
    private interface Node {
        long threshold(TraceSummary s);
    }

    private Node compile(SamplingRules.TailPolicy policy, StringBuilder canonical) {
        if (policy instanceof SamplingRules.StatusError) {
            return s -> s.errorSeen() ? 0 : NEVER;
        }
        if (policy instanceof SamplingRules.Latency latency) {
            long nanos = latency.threshold().toNanos();
            return s -> s.durationNanos() >= nanos ? 0 : NEVER;
        }
        if (policy instanceof SamplingRules.SpanCount count) {
            long min = count.min();
            return s -> s.spans() >= min ? 0 : NEVER;
        }
        if (policy instanceof SamplingRules.Probabilistic probabilistic) {
            long threshold = probabilistic.probability() == 0
                    ? NEVER
                    : Threshold.fromProbability(probabilistic.probability()).value();
            return s -> threshold;
        }
        if (policy instanceof SamplingRules.AttributeMatch attribute) {
            int bit = leaves.size();
            leaves.add(SamplingConditions.AttributeTest.compile(attribute));
            canonical.append(canonical(attribute)).append('\n');
            return s -> s.matched(bit) ? 0 : NEVER;
        }
        if (policy instanceof SamplingRules.And and) {
            Node[] parts = new Node[and.policies().size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = compile(and.policies().get(i), canonical);
            }
            return s -> {
                long highest = 0;
                for (Node part : parts) {
                    highest = Math.max(highest, part.threshold(s));
                    if (highest == NEVER) {
                        break;
                    }
                }
                return highest;
            };
        }
        // Drop and rate-limit inside 'and' are rejected when rules are read.
        throw new IllegalArgumentException("policy " + policy.id() + " ("
                + policy.getClass().getSimpleName() + ") cannot be part of an 'and' policy");
    }

    /** A text that identifies a drop condition, the same in every JVM (sets sorted). */
    private static String canonical(Match when) {
        return "drop|" + new TreeSet<>(when.signals().stream().map(Signal::id).toList()) + "|"
                + new TreeSet<>(when.services()) + "|" + new TreeSet<>(when.labels()) + "|"
                + new TreeMap<>(when.attributes());
    }

    /** A text that identifies an attribute test, the same in every JVM. */
    private static String canonical(SamplingRules.AttributeMatch attribute) {
        return "attribute|" + attribute.key() + "|" + new TreeSet<>(attribute.values()) + "|" + attribute.regex() + "|"
                + attribute.min() + "|" + attribute.max() + "|" + attribute.bool();
    }

    /** FNV-1a, 64 bits, over UTF-8. */
    private static long fnv64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** For tests: the number of leaf conditions. */
    int leafCount() {
        return leaves.size();
    }

    @Override
    public String toString() {
        return "TailEvaluator[" + rules.policies().size() + " policies, " + leaves.size() + " conditions]";
    }
}
