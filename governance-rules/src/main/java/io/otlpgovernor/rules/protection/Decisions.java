package io.otlpgovernor.rules.protection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What governing one request did, aggregated: how many occurrences each {@link Finding} covers (two card numbers
 * in one attribute count two), the labels attached, the labels of each item kept,
 * and how many items (spans, data points, log records) were dropped. Holds rule ids, labels, actions, counts and
 * field paths — never a value that was found. Mutable while the engine works; read it after.
 */
public final class Decisions {

    /** The entry of every item without labels — most of them — so the per-item list costs one reference each. */
    private static final Set<String> NO_LABELS = Set.of();

    private final Map<Finding, Long> counts = new HashMap<>();
    private final Set<String> labels = new TreeSet<>();
    private long droppedItems;

    /**
     * Labels found since the last boundary. {@link #record} fills it; the engine takes it after walking a
     * resource, a scope and an item, so no per-field bookkeeping is needed to know whose labels they are.
     */
    private final Set<String> scratch = new HashSet<>();

    private Set<String> resourceLabels = NO_LABELS;
    /** The current resource's and scope's labels, which every item under them carries. */
    private Set<String> inherited = NO_LABELS;

    private final List<Set<String>> itemLabels = new ArrayList<>();

    void record(Finding finding) {
        counts.merge(finding, 1L, Long::sum);
        labels.add(finding.label());
        scratch.add(finding.label());
    }

    void dropped(long items) {
        droppedItems += items;
    }

    /** Ends a resource's attributes: what was found there is inherited by every item under it. */
    void resourceWalked() {
        resourceLabels = union(NO_LABELS, scratch);
        inherited = resourceLabels;
        scratch.clear();
    }

    /** Ends a scope's attributes: items under it inherit them along with the resource's. */
    void scopeWalked() {
        inherited = union(resourceLabels, scratch);
        scratch.clear();
    }

    /**
     * Ends one item (span, log record, data point): a kept one ({@code governed} not null) gets its entry, in
     * output order; a dropped one none, which keeps the entries aligned with the items sent on.
     *
     * @return {@code governed}
     */
    <T> T itemWalked(T governed) {
        if (governed != null) {
            itemLabels.add(scratch.isEmpty() ? inherited : sharedWithPrevious(union(inherited, scratch)));
        }
        scratch.clear();
        return governed;
    }

    /** Neighbouring items often carry the same labels: they share one set. */
    private Set<String> sharedWithPrevious(Set<String> entry) {
        Set<String> previous = itemLabels.isEmpty() ? NO_LABELS : itemLabels.get(itemLabels.size() - 1);
        return previous.equals(entry) ? previous : entry;
    }

    private static Set<String> union(Set<String> base, Set<String> more) {
        if (more.isEmpty()) {
            return base;
        }
        if (base.isEmpty()) {
            return Set.copyOf(more);
        }
        Set<String> both = new HashSet<>(base);
        both.addAll(more);
        return Set.copyOf(both);
    }

    /** Finding → number of occurrences it covers. */
    public Map<Finding, Long> counts() {
        return Collections.unmodifiableMap(counts);
    }

    /** Every label attached, sorted. */
    public Set<String> labels() {
        return Collections.unmodifiableSet(labels);
    }

    /**
     * The labels of each item kept, in the governed request's order (resource, scope, item; for metrics
     * resource, scope, metric, data point): those found in the item itself (attributes, events, links, span name,
     * log body) and in its resource's and scope's attributes. As many entries as items sent on; each is
     * immutable, and items without labels share one empty set.
     */
    public List<Set<String>> itemLabels() {
        return Collections.unmodifiableList(itemLabels);
    }

    /** Items removed by drop-record rules. */
    public long droppedItems() {
        return droppedItems;
    }

    public boolean isEmpty() {
        return counts.isEmpty() && droppedItems == 0;
    }
}
