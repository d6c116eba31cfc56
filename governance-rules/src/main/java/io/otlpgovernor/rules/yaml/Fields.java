package io.otlpgovernor.rules.yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.otlpgovernor.contract.config.Durations;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML mapping of a rule file, recording a {@link Problem} for every mistake instead of stopping at
 * the first: wrong types, out-of-range values, missing required keys, and — on {@link #finish()} — keys that no
 * reader asked for. Accessors return empty when the key is absent or its value is wrong, so callers go on
 * reading and all problems are found in one pass.
 */
public final class Fields {

    private final String file;
    private final String path;
    private final Node node;
    private final Problems problems;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();

    private Fields(String file, String path, Node node, Problems problems) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.problems = problems;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : null;
                if (key == null) {
                    problems.add(file, tuple.getKeyNode(), path, "keys must be plain text");
                } else if (entries.putIfAbsent(key, tuple) != null) {
                    problems.add(file, tuple.getKeyNode(), child(key), "appears twice");
                }
            }
        } else if (node != null) {
            problems.add(file, node, path, "expected a mapping of keys to values");
        }
    }

    /** Reads {@code node}, which should be a mapping, at {@code path} of {@code file}. */
    public static Fields of(String file, String path, Node node, Problems problems) {
        return new Fields(file, path, node, problems);
    }

    public String file() {
        return file;
    }

    public String path() {
        return path;
    }

    public Problems problems() {
        return problems;
    }

    /** The line of this mapping. */
    public Node node() {
        return node;
    }

    /** The path of {@code key} below this mapping. */
    public String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        known.add(key);
        return entries.containsKey(key) && !isNull(entries.get(key).getValueNode());
    }

    /** The raw value node of {@code key}, if present. */
    public Optional<Node> node(String key) {
        known.add(key);
        NodeTuple tuple = entries.get(key);
        return tuple == null || isNull(tuple.getValueNode()) ? Optional.empty() : Optional.of(tuple.getValueNode());
    }

    /** Records that {@code key} is required when it is absent (unless this is not a mapping at all: said already). */
    public void require(String key) {
        if (!has(key) && (node == null || node instanceof MappingNode)) {
            problems.add(file, node, child(key), "is required");
        }
    }

    /** Records a problem about the value of {@code key} (or this mapping when absent). */
    public void problem(String key, String reason) {
        problems.add(file, node(key).orElse(node), child(key), reason);
    }

    public Optional<String> string(String key) {
        return node(key).flatMap(value -> scalar(value, child(key), "text"));
    }

    /** A text value that must satisfy {@code valid}; {@code expectation} says what is expected when it does not. */
    public Optional<String> string(String key, Predicate<String> valid, String expectation) {
        Optional<String> value = string(key);
        if (value.isPresent() && !valid.test(value.get())) {
            problem(key, expectation);
            return Optional.empty();
        }
        return value;
    }

    public Optional<Long> integer(String key, long min, long max) {
        return node(key)
                .flatMap(value -> scalar(value, child(key), "a whole number").flatMap(text -> {
                    try {
                        long parsed = Long.parseLong(text.replace("_", ""));
                        if (parsed < min || parsed > max) {
                            problems.add(
                                    file,
                                    value,
                                    child(key),
                                    max >= Long.MAX_VALUE / 2
                                            ? "must be at least " + min
                                            : "must be between " + min + " and " + max);
                            return Optional.empty();
                        }
                        return Optional.of(parsed);
                    } catch (NumberFormatException e) {
                        problems.add(file, value, child(key), "expected a whole number");
                        return Optional.empty();
                    }
                }));
    }

    public Optional<Double> number(String key, double min, double max) {
        return node(key)
                .flatMap(value -> scalar(value, child(key), "a number").flatMap(text -> {
                    try {
                        double parsed = Double.parseDouble(text);
                        if (!(parsed >= min && parsed <= max)) {
                            problems.add(file, value, child(key), "must be between " + min + " and " + max);
                            return Optional.empty();
                        }
                        return Optional.of(parsed);
                    } catch (NumberFormatException e) {
                        problems.add(file, value, child(key), "expected a number");
                        return Optional.empty();
                    }
                }));
    }

    public Optional<Boolean> bool(String key) {
        return node(key)
                .flatMap(value -> scalar(value, child(key), "true or false").flatMap(text -> switch (text) {
                    case "true" -> Optional.of(Boolean.TRUE);
                    case "false" -> Optional.of(Boolean.FALSE);
                    default -> {
                        problems.add(file, value, child(key), "expected true or false");
                        yield Optional.empty();
                    }
                }));
    }

    public Optional<Duration> duration(String key, Duration min, Duration max) {
        return node(key)
                .flatMap(value -> scalar(value, child(key), "a duration").flatMap(text -> {
                    try {
                        Duration parsed = Durations.parse(text, child(key));
                        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
                            problems.add(file, value, child(key), "must be between " + min + " and " + max);
                            return Optional.empty();
                        }
                        return Optional.of(parsed);
                    } catch (IllegalArgumentException e) {
                        problems.add(file, value, child(key), "expected a duration such as 500ms, 10s, 5m, 1h or 30d");
                        return Optional.empty();
                    }
                }));
    }

    /** One of {@code allowed} (compared exactly). */
    public Optional<String> oneOf(String key, List<String> allowed) {
        return string(key, allowed::contains, "expected one of " + String.join(", ", allowed));
    }

    /** A nested mapping. */
    public Optional<Fields> mapping(String key) {
        return node(key).map(value -> Fields.of(file, child(key), value, problems));
    }

    /** A list whose elements {@code element} reads from their node and path; absent → empty list. */
    public <T> List<T> list(String key, BiFunction<Node, String, Optional<T>> element) {
        Optional<Node> value = node(key);
        if (value.isEmpty()) {
            return List.of();
        }
        if (!(value.get() instanceof SequenceNode sequence)) {
            problems.add(file, value.get(), child(key), "expected a list");
            return List.of();
        }
        List<T> items = new ArrayList<>();
        List<Node> nodes = sequence.getValue();
        for (int i = 0; i < nodes.size(); i++) {
            element.apply(nodes.get(i), child(key) + "[" + i + "]").ifPresent(items::add);
        }
        return items;
    }

    /** A list of text values. */
    public List<String> strings(String key) {
        return list(key, (item, itemPath) -> scalar(item, itemPath, "text"));
    }

    /** Reads a list element that is itself a mapping. */
    public Fields element(Node item, String itemPath) {
        return Fields.of(file, itemPath, item, problems);
    }

    /** The keys of a mapping whose keys are names chosen by the user (tenant ids, attribute keys). */
    public Map<String, Node> entries(String key) {
        Optional<Node> value = node(key);
        if (value.isEmpty()) {
            return Map.of();
        }
        Fields nested = Fields.of(file, child(key), value.get(), problems);
        Map<String, Node> result = new LinkedHashMap<>();
        nested.entries.forEach((name, tuple) -> result.put(name, tuple.getValueNode()));
        return result;
    }

    /** Reads a scalar (text, number, boolean) node as text; records a problem for any other node. */
    public Optional<String> scalar(Node value, String at, String expected) {
        if (value instanceof ScalarNode scalar && !Tag.NULL.equals(scalar.getTag())) {
            return Optional.of(scalar.getValue());
        }
        problems.add(file, value, at, "expected " + expected);
        return Optional.empty();
    }

    /** Records every key of this mapping that no accessor asked for. */
    public void finish() {
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            if (!known.contains(entry.getKey())) {
                String expected = known.stream().sorted().collect(Collectors.joining(", "));
                problems.add(
                        file,
                        entry.getValue().getKeyNode(),
                        child(entry.getKey()),
                        "unknown key" + (expected.isEmpty() ? "" : " (expected one of: " + expected + ")"));
            }
        }
    }

    private static boolean isNull(Node value) {
        return value instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
    }
}
