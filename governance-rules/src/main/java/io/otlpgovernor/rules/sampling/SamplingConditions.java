package io.otlpgovernor.rules.sampling;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.google.re2j.Pattern;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.retention.RetentionRules;

/**
 * The conditions of sampling rules, compiled for matching one item at a time: a {@code when} condition (head
 * rules, {@code drop} tail policies) and the test of an {@code attribute} tail policy. Immutable and thread-safe.
 *
 * <h2>Attribute values</h2>
 * A rule's values are text. A string attribute matches when it is equal to the text; a boolean one when the text
 * is {@code true} or {@code false} accordingly; an integer one when the text is its decimal form or a number of
 * equal value ({@code 200}, {@code 200.0}); a double one when the text is a number of equal value. Other value
 * types (bytes, arrays, key-value lists, empty) never match. Only the first attribute with a key is read.
 */
public final class SamplingConditions {

    /** The resource attribute naming the service. */
    public static final String SERVICE_NAME = "service.name";

    private SamplingConditions() {}

    /** The resource's {@code service.name} when it is a string, else {@code ""}. */
    public static String serviceName(Resource resource) {
        AnyValue value = first(resource.getAttributesList(), SERVICE_NAME);
        return value != null && value.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? value.getStringValue() : "";
    }

    /** The value of the first attribute named {@code key}, or null. */
    static AnyValue first(List<KeyValue> attributes, String key) {
        for (int i = 0, n = attributes.size(); i < n; i++) {
            KeyValue attribute = attributes.get(i);
            if (attribute.getKey().equals(key)) {
                return attribute.getValue();
            }
        }
        return null;
    }

    /**
     * A compiled {@code when} condition ({@link RetentionRules.Match}): an item matches when it meets every
     * condition given; a condition left out matches anything.
     *
     * <ul>
     *   <li>{@code signals}: the item's signal is one of them.</li>
     *   <li>{@code services}: the resource's {@code service.name} (a string) is one of them.</li>
     *   <li>{@code labels}: at least one of them is among the item's classification labels. Where the labels are
     *       not known (passed as null — tail sampling sees spans before or without classification), a condition on
     *       labels never matches.</li>
     *   <li>{@code attributes}: for each key, the item's own attribute, or when it has none the resource's,
     *       equals the value (see the class description; the item's attribute wins on a clash, as in
     *       retention).</li>
     * </ul>
     */
    public static final class When {

        private final Set<Signal> signals;
        private final Set<String> services;
        private final Set<String> labels;
        private final String[] keys;
        private final ValueTest[] values;

        private When(RetentionRules.Match match) {
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

        public static When compile(RetentionRules.Match match) {
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
                AnyValue value = first(itemAttributes, keys[i]);
                if (value == null) {
                    value = first(resourceAttributes, keys[i]);
                }
                if (value == null || !values[i].test(value)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * A compiled {@code attribute} tail policy: a span attribute or a resource attribute named {@code key} that
     * equals one of {@code values}, matches {@code regex}, lies in [{@code min}, {@code max}] or equals
     * {@code bool}.
     *
     * <ul>
     *   <li>{@code values}: see the class description.</li>
     *   <li>{@code regex}: RE2, found anywhere in the value (anchor it with {@code ^…$} to match the whole value),
     *       as the OpenTelemetry Collector's string-attribute policy does; tested on string values, and on the
     *       text of booleans and integers.</li>
     *   <li>{@code min}/{@code max}: inclusive bounds, either may be left out; integer and double values only (a
     *       string holding a number does not count; NaN never matches).</li>
     *   <li>{@code bool}: boolean values only.</li>
     * </ul>
     */
    public static final class AttributeTest {

        private final String key;
        private final ValueTest test;

        private AttributeTest(String key, ValueTest test) {
            this.key = key;
            this.test = test;
        }

        public static AttributeTest compile(SamplingRules.AttributeMatch policy) {
            ValueTest test;
            if (policy.regex().isPresent()) {
                test = ValueTest.regex(Pattern.compile(policy.regex().get()));
            } else if (policy.min().isPresent() || policy.max().isPresent()) {
                test = ValueTest.range(policy.min(), policy.max());
            } else if (policy.bool().isPresent()) {
                test = ValueTest.bool(policy.bool().get());
            } else {
                test = ValueTest.equalTo(policy.values());
            }
            return new AttributeTest(policy.key(), test);
        }

        /** Whether the span's attribute, or the resource's, named {@code key} passes the test. */
        public boolean matches(List<KeyValue> spanAttributes, List<KeyValue> resourceAttributes) {
            AnyValue value = first(spanAttributes, key);
            if (value != null && test.test(value)) {
                return true;
            }
            value = first(resourceAttributes, key);
            return value != null && test.test(value);
        }
    }

    /** A test of one attribute value. */
    private interface ValueTest {

        boolean test(AnyValue value);

        static ValueTest equalTo(Set<String> texts) {
            Set<String> exact = Set.copyOf(texts);
            double[] numbers = texts.stream()
                    .map(SamplingConditions::number)
                    .filter(Optional::isPresent)
                    .mapToDouble(Optional::get)
                    .toArray();
            return value -> switch (value.getValueCase()) {
                case STRING_VALUE -> exact.contains(value.getStringValue());
                case BOOL_VALUE -> exact.contains(value.getBoolValue() ? "true" : "false");
                case INT_VALUE ->
                    exact.contains(Long.toString(value.getIntValue()))
                            || contains(numbers, (double) value.getIntValue());
                case DOUBLE_VALUE -> contains(numbers, value.getDoubleValue());
                default -> false;
            };
        }

        static ValueTest regex(Pattern pattern) {
            return value -> switch (value.getValueCase()) {
                case STRING_VALUE -> pattern.matcher(value.getStringValue()).find();
                case BOOL_VALUE ->
                    pattern.matcher(value.getBoolValue() ? "true" : "false").find();
                case INT_VALUE ->
                    pattern.matcher(Long.toString(value.getIntValue())).find();
                default -> false;
            };
        }

        static ValueTest range(Optional<Double> min, Optional<Double> max) {
            double low = min.orElse(Double.NEGATIVE_INFINITY);
            double high = max.orElse(Double.POSITIVE_INFINITY);
            return value -> switch (value.getValueCase()) {
                case INT_VALUE -> value.getIntValue() >= low && value.getIntValue() <= high;
                case DOUBLE_VALUE -> value.getDoubleValue() >= low && value.getDoubleValue() <= high;
                default -> false;
            };
        }

        static ValueTest bool(boolean expected) {
            return value -> value.getValueCase() == AnyValue.ValueCase.BOOL_VALUE && value.getBoolValue() == expected;
        }

        private static boolean contains(double[] numbers, double value) {
            for (double number : numbers) {
                if (number == value) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The text as a finite number, when it is one. */
    private static Optional<Double> number(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || !trimmed.equals(text)) {
            return Optional.empty();
        }
        char last = text.charAt(text.length() - 1);
        if (!(last >= '0' && last <= '9') && last != '.') {
            return Optional.empty(); // rejects Java's "1d", "1f", "Infinity", "NaN"
        }
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
