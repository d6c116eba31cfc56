package io.otlpgovernor.contract.otlp.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.google.protobuf.Message;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * One copy-on-write walk of one request: nodes the visitor leaves alone are returned as the same instances, so an
 * untouched request comes out as itself and nothing is copied; a changed node is rebuilt once, with its changed
 * children; a container that drops leave empty is removed (one that came empty stays as it was).
 */
final class Walk<I> {

    private final Shape shape;
    private final TreeVisitor<I> visitor;
    private final TreePosition at = new TreePosition();
    private final ItemOrigins origins;

    Walk(Shape shape, TreeVisitor<I> visitor) {
        this(shape, visitor, null);
    }

    /** @param origins where to note which item each returned item came from; null for no notes */
    Walk(Shape shape, TreeVisitor<I> visitor, ItemOrigins origins) {
        this.shape = shape;
        this.visitor = visitor;
        this.origins = origins;
    }

    TreePosition position() {
        return at;
    }

    /** The walked request: never null; a request whose every item was dropped has no resource containers. */
    Message request(Message request) {
        Message walked = node(request, 0, 0);
        return walked != null ? walked : shape.withChildren(request, 0, List.of());
    }

    /** {@code node} (of {@code level}, the {@code index}-th child of its parent) walked; null when dropped. */
    private Message node(Message node, int level, int index) {
        Message head = node;
        if (level == Shape.RESOURCES) {
            Resource resource = shape.resource(node);
            at.enterResource(index, resource);
            Resource visited = resource(resource);
            if (visited == null) {
                at.skipItems(shape.count(node, level));
                return null;
            }
            head = visited == resource ? node : shape.withResource(node, visited);
        } else if (level == Shape.SCOPES) {
            InstrumentationScope scope = shape.scope(node);
            at.enterScope(index, scope);
            InstrumentationScope visited = scope(scope);
            if (visited == null) {
                at.skipItems(shape.count(node, level));
                return null;
            }
            head = visited == scope ? node : shape.withScope(node, visited);
        } else if (node instanceof Metric metric) {
            at.enterMetric(metric);
        }
        List<? extends Message> children = shape.children(node, level);
        List<Message> kept = null;
        boolean items = level + 1 == shape.itemLevel;
        for (int i = 0; i < children.size(); i++) {
            Message child = children.get(i);
            Message walked = items ? item(child, i) : node(child, level + 1, i);
            if (kept == null) {
                if (walked == child) {
                    continue;
                }
                kept = new ArrayList<>(children.size());
                kept.addAll(children.subList(0, i));
            }
            if (walked != null) {
                kept.add(walked);
            }
        }
        if (kept == null) {
            return head;
        }
        if (kept.isEmpty() && level > 0) {
            // Everything under it was dropped: drop the container too rather than send an empty shell.
            return null;
        }
        return shape.withChildren(head, level, kept);
    }

    private Resource resource(Resource resource) {
        List<KeyValue> attributes = attributes(AttributeSite.RESOURCE, resource.getAttributesList());
        if (attributes == OtlpTree.DROP) {
            return null;
        }
        Resource current = attributes == resource.getAttributesList()
                ? resource
                : resource.toBuilder()
                        .clearAttributes()
                        .addAllAttributes(attributes)
                        .build();
        return visitor.resource(current, at);
    }

    private InstrumentationScope scope(InstrumentationScope scope) {
        List<KeyValue> attributes = attributes(AttributeSite.SCOPE, scope.getAttributesList());
        if (attributes == OtlpTree.DROP) {
            return null;
        }
        InstrumentationScope current = attributes == scope.getAttributesList()
                ? scope
                : scope.toBuilder()
                        .clearAttributes()
                        .addAllAttributes(attributes)
                        .build();
        return visitor.scope(current, at);
    }

    @SuppressWarnings("unchecked")
    private Message item(Message item, int inContainer) {
        at.nextItem(inContainer);
        Message current = item;
        List<KeyValue> own = shape.attributes(item);
        List<KeyValue> attributes = attributes(shape.itemSite, own);
        if (attributes == OtlpTree.DROP) {
            return done(null);
        }
        if (attributes != own) {
            current = shape.withAttributes(current, attributes);
        }
        current = (Message) visitor.item((I) current, at);
        if (current == null) {
            return done(null);
        }
        return done(shape.subElements(current, this));
    }

    @SuppressWarnings("unchecked")
    private Message done(Message item) {
        visitor.itemDone((I) item, at);
        if (origins != null && item != null) {
            origins.record(item, at.itemIndex());
        }
        return item;
    }

    /** An attribute list visited, if the visitor visits its site and it is not empty. */
    private List<KeyValue> attributes(AttributeSite site, List<KeyValue> attributes) {
        if (attributes.isEmpty() || !visitor.visits(site)) {
            return attributes;
        }
        return visitor.attributes(site, attributes, at);
    }

    /**
     * Span events, span links or exemplars with their attribute lists visited: the same list when none changed, a
     * new one when some did, null when one was dropped (which drops the item).
     */
    <E> List<E> attributeOwners(
            AttributeSite site,
            List<E> owners,
            Function<E, List<KeyValue>> attributesOf,
            BiFunction<E, List<KeyValue>, E> withAttributes) {
        if (owners.isEmpty() || !visitor.visits(site)) {
            return owners;
        }
        List<E> result = null;
        for (int i = 0; i < owners.size(); i++) {
            E owner = owners.get(i);
            List<KeyValue> own = attributesOf.apply(owner);
            List<KeyValue> attributes = attributes(site, own);
            if (attributes == OtlpTree.DROP) {
                return null;
            }
            if (attributes != own && result == null) {
                result = new ArrayList<>(owners);
            }
            if (attributes != own) {
                result.set(i, withAttributes.apply(owner, attributes));
            }
        }
        return result == null ? owners : result;
    }
}
