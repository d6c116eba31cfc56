package io.otlpgovernor.contract.otlp.tree;

/** Where in an OTLP signal tree an attribute list lives; {@link OtlpTree} hands each to its visitor with its site. */
public enum AttributeSite {
    /** A resource's attributes: a drop removes the resource with everything under it. */
    RESOURCE,
    /** An instrumentation scope's attributes: a drop removes the scope with its items. */
    SCOPE,
    SPAN,
    SPAN_EVENT,
    SPAN_LINK,
    LOG_RECORD,
    DATA_POINT,
    /** A data point's exemplar's filtered attributes. */
    EXEMPLAR;

    /** Whether a drop here removes one item (a span, log record or data point), not a container. */
    public boolean belongsToItem() {
        return this != RESOURCE && this != SCOPE;
    }
}
