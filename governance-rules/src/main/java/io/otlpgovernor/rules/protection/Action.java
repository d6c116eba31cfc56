package io.otlpgovernor.rules.protection;

import java.util.Arrays;
import java.util.Optional;

/**
 * What protection does with a classified value. Ordered from weakest to strongest: when several rules apply to
 * one attribute, the strongest one wins for the attribute as a whole.
 */
public enum Action {
    /** Leave the value; attach the label (for retention and audit). */
    TAG("tag"),
    /** Replace each match with a keyed HMAC-SHA-256 digest, so equal values stay joinable without being readable. */
    HASH("hash"),
    /** Replace each match with {@code [REDACTED:<rule>]}. */
    REDACT("redact"),
    /** Remove the attribute. */
    DROP_ATTRIBUTE("drop-attribute"),
    /** Remove the span, log record or data point (for resource or scope attributes: everything under them). */
    DROP_RECORD("drop-record");

    private final String id;

    Action(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Action> forId(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
    }

    /** The stronger of this and {@code other}. */
    public Action strongest(Action other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
