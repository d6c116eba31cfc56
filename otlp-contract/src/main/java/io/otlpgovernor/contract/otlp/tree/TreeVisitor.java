package io.otlpgovernor.contract.otlp.tree;

import java.util.List;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * What {@link OtlpTree#walk} does at each node of a signal tree. Every method answers the same way: return what it
 * was given to keep it (the walk then copies nothing), something else to replace it, or null — or {@link
 * OtlpTree#DROP} for attribute lists — to drop it. Dropping a resource or scope (or its attributes) drops everything
 * under it; dropping an item's attributes, or an attribute list of its events, links or exemplars, drops the item.
 *
 * <p>Order, per resource container: {@link #attributes} of the resource, {@link #resource}; per scope container:
 * {@link #attributes} of the scope, {@link #scope}; per item: {@link #attributes} of the item, {@link #item}, then
 * {@link #attributes} of each span event, span link or exemplar in order, then {@link #itemDone}. A drop stops the
 * visits of what it dropped. {@link #attributes} is only called for the sites {@link #visits} accepts and for
 * non-empty lists.
 *
 * @param <I> the item type: {@code Span}, {@code LogRecord}, or for metrics one of the five data point messages
 *     (see {@link DataPoints})
 */
public interface TreeVisitor<I> {

    /** Whether {@link #attributes} wants the attribute lists of {@code site}; none by default. */
    default boolean visits(AttributeSite site) {
        return false;
    }

    /** An attribute list: itself to keep, a new list to replace, {@link OtlpTree#DROP} to drop its owner. */
    default List<KeyValue> attributes(AttributeSite site, List<KeyValue> attributes, TreePosition at) {
        return attributes;
    }

    /** A resource container's resource (after its attributes were visited): itself, a replacement, or null. */
    default Resource resource(Resource resource, TreePosition at) {
        return resource;
    }

    /** A scope container's scope (after its attributes were visited): itself, a replacement, or null. */
    default InstrumentationScope scope(InstrumentationScope scope, TreePosition at) {
        return scope;
    }

    /** An item (after its own attributes were visited, before its events, links or exemplars). */
    default I item(I item, TreePosition at) {
        return item;
    }

    /** The item as it leaves the walk, or null when it was dropped (at any of its visits). */
    default void itemDone(I item, TreePosition at) {}
}
