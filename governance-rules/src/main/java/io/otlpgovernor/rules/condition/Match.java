package io.otlpgovernor.rules.condition;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.yaml.Fields;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A {@code when} condition as a rule file writes it — used by retention rules, head-sampling rules and {@code drop}
 * tail policies alike, and matched by {@link When}. An empty set or map means "any".
 *
 * @param signals    the item's signal
 * @param labels     at least one of these classification labels
 * @param services   the resource's {@code service.name}
 * @param attributes item or resource attributes with these values (see {@link ValueTest#equalTo})
 */
public record Match(Set<Signal> signals, Set<String> labels, Set<String> services, Map<String, String> attributes) {

    /** The condition that matches every item. */
    public static final Match ANY = new Match(Set.of(), Set.of(), Set.of(), Map.of());

    /** Reads a {@code when} mapping; problems go to the file's problem list with their line. */
    public static Match read(Fields when) {
        Set<Signal> signals = EnumSet.noneOf(Signal.class);
        when.list(
                        "signals",
                        (node, path) -> when.scalar(node, path, "a signal").flatMap(id -> {
                            Optional<Signal> signal = Signal.forId(id);
                            if (signal.isEmpty()) {
                                when.problems().add(when.file(), node, path, "expected spans, metrics or logs");
                            }
                            return signal;
                        }))
                .forEach(signals::add);
        Set<String> labels = new LinkedHashSet<>(when.strings("labels"));
        Set<String> services = new LinkedHashSet<>(when.strings("services"));
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, Node> attribute : when.entries("attributes").entrySet()) {
            when.scalar(attribute.getValue(), when.child("attributes") + "." + attribute.getKey(), "a text value")
                    .ifPresent(value -> attributes.put(attribute.getKey(), value));
        }
        when.finish();
        return new Match(Set.copyOf(signals), Set.copyOf(labels), Set.copyOf(services), Map.copyOf(attributes));
    }
}
