package io.otlpgovernor.rules.sampling;

import java.util.List;

import com.google.re2j.Pattern;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.otlpgovernor.rules.condition.AttributeValues;
import io.otlpgovernor.rules.condition.ValueTest;

/**
 * The test of an {@code attribute} tail policy, compiled for matching one span at a time; {@code when} conditions
 * are {@link io.otlpgovernor.rules.condition.When}'s. Immutable and thread-safe.
 */
public final class SamplingConditions {

    private SamplingConditions() {}

    /**
     * A compiled {@code attribute} tail policy: a span attribute or a resource attribute named {@code key} that
     * equals one of {@code values}, matches {@code regex}, lies in [{@code min}, {@code max}] or equals
     * {@code bool}.
     *
     * <ul>
     *   <li>{@code values}: equal to one of them ({@link ValueTest#equalTo}).</li>
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
            AnyValue value = AttributeValues.first(spanAttributes, key);
            if (value != null && test.test(value)) {
                return true;
            }
            value = AttributeValues.first(resourceAttributes, key);
            return value != null && test.test(value);
        }
    }
}
