package io.otlpgovernor.rules.classification.detectors;

import java.util.List;

/**
 * Finds sensitive values of one kind (email addresses, payment card numbers …) in a text.
 *
 * <p>Implementations are immutable, thread-safe and fast on the common case of no match: they reject a text with
 * a cheap pre-check before any detailed scan, and return {@link Match#NONE} (no allocation) when nothing is found.
 * They never use backtracking regular expressions on the hot path, so no input can make them slow.
 */
public interface Detector {

    /** Stable id used in rule files and decision summaries, e.g. {@code email}, {@code payment-card}. */
    String id();

    /**
     * Every non-overlapping occurrence in {@code text}, in order. A match's range covers only the sensitive value
     * (no surrounding whitespace or punctuation), so masking it leaves the rest of the text intact.
     */
    List<Match> find(String text);

    /**
     * As {@link #find(String)}, given the text's {@link TextProfile} (computed once per value and shared by every
     * detector), so a detector that cannot match returns without looking at the text.
     */
    default List<Match> find(String text, long profile) {
        return find(text);
    }

    /** Whether {@code text} contains at least one occurrence. May be faster than {@link #find}. */
    default boolean matches(String text) {
        return !find(text).isEmpty();
    }

    /**
     * A match: {@code text.substring(start, end)} is the sensitive value.
     *
     * @param start index of the first character
     * @param end   index after the last character
     */
    record Match(int start, int end) {
        public static final List<Match> NONE = List.of();

        public Match {
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("a match needs 0 <= start < end, got " + start + ".." + end);
            }
        }
    }
}
