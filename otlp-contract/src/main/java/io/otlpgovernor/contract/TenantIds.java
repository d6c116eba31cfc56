package io.otlpgovernor.contract;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shape of a tenant id. Tenant ids appear in headers, topic-derived names and metric labels, so they are kept
 * short and plain: 1 to 63 characters of lower-case letters, digits, {@code -} and {@code _}, starting with a letter
 * or digit.
 */
public final class TenantIds {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private TenantIds() {}

    /** Whether {@code candidate} is a well-formed tenant id. */
    public static boolean isValid(String candidate) {
        return candidate != null && VALID.matcher(candidate).matches();
    }

    /**
     * Why {@code candidate} is not a valid tenant id, or empty when it is. The message never repeats the
     * candidate itself: a malformed header may hold anything, including a secret pasted in the wrong place.
     */
    public static Optional<String> problem(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return Optional.of("tenant id is missing");
        }
        if (isValid(candidate)) {
            return Optional.empty();
        }
        return Optional.of("tenant id is malformed (" + candidate.length()
                + " characters; expected 1-63 of a-z, 0-9, '-', '_', starting with a letter or digit)");
    }
}
