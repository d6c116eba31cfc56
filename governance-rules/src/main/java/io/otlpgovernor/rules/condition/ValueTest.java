package io.otlpgovernor.rules.condition;

import java.util.Optional;
import java.util.Set;

import com.google.re2j.Pattern;
import io.opentelemetry.proto.common.v1.AnyValue;

/** A test of one attribute value, as conditions and attribute tail policies compare them. */
public interface ValueTest {

    boolean test(AnyValue value);

    /**
     * Equal to one of {@code texts}: a string attribute when it is the text; a boolean one when the text is
     * {@code true} or {@code false} accordingly; an integer one when the text is its decimal form or a number of
     * equal value ({@code 200}, {@code 200.0}); a double one when the text is a number of equal value. Other value
     * types (bytes, arrays, key-value lists, empty) never match.
     */
    static ValueTest equalTo(Set<String> texts) {
        Set<String> exact = Set.copyOf(texts);
        double[] numbers = texts.stream()
                .map(ValueTest::number)
                .filter(Optional::isPresent)
                .mapToDouble(Optional::get)
                .toArray();
        return value -> switch (value.getValueCase()) {
            case STRING_VALUE -> exact.contains(value.getStringValue());
            case BOOL_VALUE -> exact.contains(value.getBoolValue() ? "true" : "false");
            case INT_VALUE ->
                exact.contains(Long.toString(value.getIntValue())) || contains(numbers, (double) value.getIntValue());
            case DOUBLE_VALUE -> contains(numbers, value.getDoubleValue());
            default -> false;
        };
    }

    /** RE2 {@code pattern} found in a string value, or in the text of a boolean or integer. */
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

    /** An integer or double value in [{@code min}, {@code max}]; NaN never is. */
    static ValueTest range(Optional<Double> min, Optional<Double> max) {
        double low = min.orElse(Double.NEGATIVE_INFINITY);
        double high = max.orElse(Double.POSITIVE_INFINITY);
        return value -> switch (value.getValueCase()) {
            case INT_VALUE -> value.getIntValue() >= low && value.getIntValue() <= high;
            case DOUBLE_VALUE -> value.getDoubleValue() >= low && value.getDoubleValue() <= high;
            default -> false;
        };
    }

    /** A boolean value equal to {@code expected}. */
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
