package io.otlpgovernor.rules.condition;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.otlpgovernor.contract.Signal;

/**
 * A compiled {@code when} condition ({@link Match}), the one matcher of retention rules, head-sampling rules and
 * {@code drop} tail policies: an item matches when it meets every
 * condition given; a condition left out matches anything.
 *
 * <ul>
 *   <li>{@code signals}: the item's signal is one of them.</li>
 *   <li>{@code services}: the resource's {@code service.name} (a string) is one of them.</li>
 *   <li>{@code labels}: at least one of them is among the item's classification labels. Where the labels are
 *       not known (passed as null — tail sampling sees spans before or without classification), a condition on
 *       labels never matches.</li>
 *   <li>{@code attributes}: for each key, the item's own attribute, or when it has none the resource's,
 *       equals the value ({@link ValueTest#equalTo}; the item's attribute wins on a clash). Only the first
 *       attribute with a key is read.</li>
 * </ul>
 */
public final class When {

    private final Set<Signal> signals;
    private final Set<String> services;
    private final Set<String> labels;
    private final String[] keys;
    private final ValueTest[] values;

    private When(Match match) {
        this.signals = Set.copyOf(match.signals());
        this.services = Set.copyOf(match.services());
        this.labels = Set.copyOf(match.labels());
        this.keys = new String[match.attributes().size()];
        this.values = new ValueTest[keys.length];
        int i = 0;
        for (Map.Entry<String, String> attribute : match.attributes().entrySet()) {
            keys[i] = attribute.getKey();
            values[i] = ValueTest.equalTo(Set.of(attribute.getValue()));
            i++;
        }
    }

    public static When compile(Match match) {
        return new When(match);
    }

    /** Whether this condition tests labels (which a caller without labels cannot satisfy). */
    public boolean testsLabels() {
        return !labels.isEmpty();
    }

    /**
     * @param signal             the item's signal
     * @param service            its resource's {@code service.name}, {@code ""} when none
     * @param itemLabels         its classification labels, or null when they are not known
     * @param itemAttributes     its own attributes
     * @param resourceAttributes its resource's attributes
     */
    public boolean matches(
            Signal signal,
            String service,
            Set<String> itemLabels,
            List<KeyValue> itemAttributes,
            List<KeyValue> resourceAttributes) {
        if (!signals.isEmpty() && !signals.contains(signal)) {
            return false;
        }
        if (!services.isEmpty() && !services.contains(service)) {
            return false;
        }
        if (!labels.isEmpty()) {
            if (itemLabels == null || itemLabels.isEmpty()) {
                return false;
            }
            boolean any = false;
            for (String label : labels) {
                if (itemLabels.contains(label)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        for (int i = 0; i < keys.length; i++) {
            AnyValue value = AttributeValues.first(itemAttributes, keys[i]);
            if (value == null) {
                value = AttributeValues.first(resourceAttributes, keys[i]);
            }
            if (value == null || !values[i].test(value)) {
                return false;
            }
        }
        return true;
    }
}
