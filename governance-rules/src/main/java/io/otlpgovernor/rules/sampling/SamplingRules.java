package io.otlpgovernor.rules.sampling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.otlpgovernor.rules.classification.ClassificationRules;
import io.otlpgovernor.rules.condition.Match;
import io.otlpgovernor.rules.yaml.Fields;

/**
 * The {@code sampling} section: consistent head sampling, and tail sampling after a trace is complete.
 *
 * @param head head sampling; empty = keep everything at the head
 * @param tail tail sampling; empty = no tail sampling
 */
public record SamplingRules(Optional<Head> head, Optional<Tail> tail) {

    public static final SamplingRules NONE = new SamplingRules(Optional.empty(), Optional.empty());

    /**
     * @param defaultProbability probability for spans no rule matches
     * @param rules              first match wins
     */
    public record Head(double defaultProbability, List<HeadRule> rules) {}

    /**
     * @param id          rule id
     * @param when        services, span kinds and attributes the span must have
     * @param spanKinds   span kinds (server, client, producer, consumer, internal); empty = any
     * @param probability the sampling probability, 0 to 1
     */
    public record HeadRule(String id, Match when, Set<String> spanKinds, double probability) {}

    /**
     * @param decisionWait      time after a trace's last span before it is decided
     * @param maxSpansPerTrace  a trace reaching this many spans is decided at once
     * @param maxBytesPerTrace  a trace reaching this many bytes is decided at once
     * @param decisionCacheTtl  how long a decision is remembered for late spans
     * @param policies          a trace is kept when any policy keeps it (drop policies win over all)
     */
    public record Tail(
            Duration decisionWait,
            long maxSpansPerTrace,
            long maxBytesPerTrace,
            Duration decisionCacheTtl,
            List<TailPolicy> policies) {}

    /** A tail-sampling policy. */
    public sealed interface TailPolicy {
        String id();
    }

    /** Keeps traces with a span whose status is error. */
    public record StatusError(String id) implements TailPolicy {}

    /** Keeps traces lasting at least {@code threshold} (first span start to last span end). */
    public record Latency(String id, Duration threshold) implements TailPolicy {}

    /**
     * Keeps traces with a span or resource attribute {@code key} that equals one of {@code values}, matches
     * {@code regex}, lies in [{@code min}, {@code max}], or equals {@code bool}; exactly one kind is set.
     */
    public record AttributeMatch(
            String id,
            String key,
            Set<String> values,
            Optional<String> regex,
            Optional<Double> min,
            Optional<Double> max,
            Optional<Boolean> bool)
            implements TailPolicy {}

    /** Keeps traces with at least {@code min} spans. */
    public record SpanCount(String id, long min) implements TailPolicy {}

    /** Keeps up to {@code spansPerSecond} spans per second per service. */
    public record RateLimit(String id, long spansPerSecond) implements TailPolicy {}

    /** Keeps traces with probability {@code probability}, consistently by trace id. */
    public record Probabilistic(String id, double probability) implements TailPolicy {}

    /** Drops traces with a span matching {@code when}, whatever other policies say. */
    public record Drop(String id, Match when) implements TailPolicy {}

    /** Keeps traces that every sub-policy keeps. */
    public record And(String id, List<TailPolicy> policies) implements TailPolicy {}

    static final List<String> SPAN_KINDS = List.of("server", "client", "producer", "consumer", "internal");
    static final List<String> POLICY_TYPES =
            List.of("status-error", "latency", "attribute", "span-count", "rate-limit", "probabilistic", "drop", "and");

    public static SamplingRules read(Fields section) {
        Optional<Head> head = section.mapping("head").map(SamplingRules::readHead);
        Optional<Tail> tail = section.mapping("tail").map(SamplingRules::readTail);
        section.finish();
        return new SamplingRules(head, tail);
    }

    private static Head readHead(Fields head) {
        double defaultProbability = head.number("default-probability", 0, 1).orElse(1.0);
        List<HeadRule> rules = head.list("rules", (node, path) -> {
            Fields rule = head.element(node, path);
            rule.require("id");
            rule.require("probability");
            Optional<String> id = id(rule);
            Optional<Double> probability = rule.number("probability", 0, 1);
            Match when = rule.mapping("when").map(Match::read).orElse(Match.ANY);
            Set<String> kinds = new LinkedHashSet<>(rule.list(
                    "span-kinds",
                    (kindNode, kindPath) -> rule.scalar(kindNode, kindPath, "a span kind")
                            .filter(kind -> {
                                boolean known = SPAN_KINDS.contains(kind);
                                if (!known) {
                                    rule.problems()
                                            .add(
                                                    rule.file(),
                                                    kindNode,
                                                    kindPath,
                                                    "expected one of " + String.join(", ", SPAN_KINDS));
                                }
                                return known;
                            })));
            rule.finish();
            return id.flatMap(i -> probability.map(p -> new HeadRule(i, when, Set.copyOf(kinds), p)));
        });
        head.finish();
        return new Head(defaultProbability, List.copyOf(rules));
    }

    private static Tail readTail(Fields tail) {
        Duration wait = tail.duration("decision-wait", Duration.ofSeconds(1), Duration.ofMinutes(10))
                .orElse(Duration.ofSeconds(30));
        long maxSpans = tail.integer("max-spans-per-trace", 1, 1_000_000).orElse(10_000L);
        long maxBytes = tail.integer("max-bytes-per-trace", 1024, 1L << 30).orElse(16L * 1024 * 1024);
        Duration cacheTtl = tail.duration("decision-cache-ttl", Duration.ofSeconds(1), Duration.ofHours(24))
                .orElse(Duration.ofMinutes(10));
        tail.require("policies");
        List<TailPolicy> policies = tail.list("policies", (node, path) -> readPolicy(tail.element(node, path), 0));
        tail.finish();
        return new Tail(wait, maxSpans, maxBytes, cacheTtl, List.copyOf(policies));
    }

    private static Optional<TailPolicy> readPolicy(Fields policy, int depth) {
        policy.require("id");
        policy.require("type");
        Optional<String> id = id(policy);
        Optional<String> type = policy.oneOf("type", POLICY_TYPES);
        Optional<TailPolicy> result = type.flatMap(t -> switch (t) {
            case "status-error" -> id.map(StatusError::new);
            case "latency" -> {
                policy.require("threshold");
                Optional<Duration> threshold = policy.duration("threshold", Duration.ofMillis(1), Duration.ofHours(24));
                yield id.flatMap(i -> threshold.map(d -> new Latency(i, d)));
            }
            case "attribute" -> readAttributePolicy(policy, id);
            case "span-count" -> {
                policy.require("min");
                Optional<Long> min = policy.integer("min", 1, 1_000_000);
                yield id.flatMap(i -> min.map(m -> new SpanCount(i, m)));
            }
            case "rate-limit" -> {
                policy.require("spans-per-second");
                Optional<Long> rate = policy.integer("spans-per-second", 1, 10_000_000);
                yield id.flatMap(i -> rate.map(r -> new RateLimit(i, r)));
            }
            case "probabilistic" -> {
                policy.require("probability");
                Optional<Double> probability = policy.number("probability", 0, 1);
                yield id.flatMap(i -> probability.map(p -> new Probabilistic(i, p)));
            }
            case "drop" -> {
                policy.require("when");
                Optional<Match> when = policy.mapping("when").map(Match::read);
                yield id.flatMap(i -> when.map(w -> new Drop(i, w)));
            }
            default -> readAnd(policy, id, depth);
        });
        policy.finish();
        return result;
    }

    private static Optional<TailPolicy> readAnd(Fields policy, Optional<String> id, int depth) {
        if (depth >= 3) {
            policy.problem("policies", "'and' policies nest at most 3 deep");
            return Optional.empty();
        }
        policy.require("policies");
        List<TailPolicy> parts = new ArrayList<>(
                policy.list("policies", (node, path) -> readPolicy(policy.element(node, path), depth + 1)));
        if (parts.stream().anyMatch(p -> p instanceof Drop || p instanceof RateLimit)) {
            policy.problem("policies", "an 'and' policy may not contain drop or rate-limit policies");
        }
        return id.map(i -> new And(i, List.copyOf(parts)));
    }

    private static Optional<TailPolicy> readAttributePolicy(Fields policy, Optional<String> id) {
        policy.require("key");
        Optional<String> key = policy.string("key");
        List<String> values = policy.strings("values");
        Optional<String> regex = policy.string("regex");
        regex.ifPresent(r -> {
            try {
                com.google.re2j.Pattern.compile(r);
            } catch (com.google.re2j.PatternSyntaxException e) {
                policy.problem("regex", "not a valid RE2 regular expression: " + e.getDescription());
            }
        });
        Optional<Double> min = policy.number("min", -Double.MAX_VALUE, Double.MAX_VALUE);
        Optional<Double> max = policy.number("max", -Double.MAX_VALUE, Double.MAX_VALUE);
        Optional<Boolean> bool = policy.bool("bool");
        int kinds = (policy.has("values") ? 1 : 0)
                + (policy.has("regex") ? 1 : 0)
                + (policy.has("min") || policy.has("max") ? 1 : 0)
                + (policy.has("bool") ? 1 : 0);
        if (kinds != 1) {
            policy.problems()
                    .add(
                            policy.file(),
                            policy.node(),
                            policy.path(),
                            "an attribute policy needs exactly one of: values, regex, min/max, bool");
        }
        if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
            policy.problem("min", "must not be greater than max");
        }
        return id.flatMap(i -> key.map(k -> new AttributeMatch(i, k, Set.copyOf(values), regex, min, max, bool)));
    }

    private static Optional<String> id(Fields entry) {
        return entry.string(
                "id",
                s -> ClassificationRules.RULE_ID.matcher(s).matches(),
                "expected lower-case letters, digits and '-', starting with a letter");
    }
}
