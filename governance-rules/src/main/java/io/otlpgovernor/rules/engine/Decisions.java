package io.otlpgovernor.rules.engine;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What governing one request did, aggregated: how many occurrences each {@link Finding} covers (two card numbers
 * in one attribute count two), the labels attached,
 * and how many items (spans, data points, log records) were dropped. Holds rule ids, labels, actions, counts and
 * field paths — never a value that was found. Mutable while the engine works; read it after.
 */
public final class Decisions {

    private final Map<Finding, Long> counts = new HashMap<>();
    private final Set<String> labels = new TreeSet<>();
    private long droppedItems;

    void record(Finding finding) {
        counts.merge(finding, 1L, Long::sum);
        labels.add(finding.label());
    }

    void dropped(long items) {
        droppedItems += items;
    }

    /** Finding → number of occurrences it covers. */
    public Map<Finding, Long> counts() {
        return Collections.unmodifiableMap(counts);
    }

    /** Every label attached, sorted. */
    public Set<String> labels() {
        return Collections.unmodifiableSet(labels);
    }

    /** Items removed by drop-record rules. */
    public long droppedItems() {
        return droppedItems;
    }

    public boolean isEmpty() {
        return counts.isEmpty() && droppedItems == 0;
    }
}
