package io.otlpgovernor.contract.otlp.tree;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * Where a walk is: the resource, scope and (for metrics) metric that hold what is being visited, as they came in,
 * and the index of the current item among all items of the request in their order — dropped ones included, so an
 * index always names the same item of the request that was walked.
 *
 * <p>One instance per walk, updated as it goes: read it during a visit, never keep it.
 */
public final class TreePosition {

    private Resource resource = Resource.getDefaultInstance();
    private InstrumentationScope scope = InstrumentationScope.getDefaultInstance();
    private Metric metric;
    private int resourceIndex = -1;
    private int scopeIndex = -1;
    private int item = -1;
    private int itemInContainer = -1;

    TreePosition() {}

    /** The resource of the resource container being walked, as it came in. */
    public Resource resource() {
        return resource;
    }

    /** The scope of the scope container being walked, as it came in. */
    public InstrumentationScope scope() {
        return scope;
    }

    /** The metric whose data points are being walked, as it came in; null outside metrics. */
    public Metric metric() {
        return metric;
    }

    /** Index of the resource container in the request. */
    public int resourceIndex() {
        return resourceIndex;
    }

    /** Index of the scope container in its resource container. */
    public int scopeIndex() {
        return scopeIndex;
    }

    /** Index of the current item (span, log record, data point) among all items of the request, from 0. */
    public int itemIndex() {
        return item;
    }

    void enterResource(int index, Resource resource) {
        this.resourceIndex = index;
        this.resource = resource;
        this.scopeIndex = -1;
    }

    void enterScope(int index, InstrumentationScope scope) {
        this.scopeIndex = index;
        this.scope = scope;
    }

    void enterMetric(Metric metric) {
        this.metric = metric;
    }

    /**
     * Index of the current item in its container: a span or log record among its scope's, a data point among its
     * metric's — what the item's field path in the request names.
     */
    public int itemInContainer() {
        return itemInContainer;
    }

    void nextItem(int inContainer) {
        item++;
        itemInContainer = inContainer;
    }

    /** Skips the items of a container that was dropped whole, so later indexes still name the same items. */
    void skipItems(long count) {
        item += (int) count;
    }
}
