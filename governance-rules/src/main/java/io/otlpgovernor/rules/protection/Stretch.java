package io.otlpgovernor.rules.protection;

import java.util.ArrayList;
import java.util.List;

/** A stretch {@code [start, end)} of a text that something was found in. */
public interface Stretch {

    int start();

    int end();

    /**
     * Keeps, of overlapping stretches, the one starting first (the longer one on a tie; between equal ranges, the
     * one listed first): one stretch of text is protected once. Sorts {@code found} in place.
     */
    static <T extends Stretch> List<T> withoutOverlaps(List<T> found) {
        if (found.size() == 1) {
            return found;
        }
        found.sort((a, b) ->
                a.start() != b.start() ? Integer.compare(a.start(), b.start()) : Integer.compare(b.end(), a.end()));
        List<T> kept = new ArrayList<>(found.size());
        int coveredTo = -1;
        for (T stretch : found) {
            if (stretch.start() >= coveredTo) {
                kept.add(stretch);
                coveredTo = stretch.end();
            }
        }
        return kept;
    }
}
