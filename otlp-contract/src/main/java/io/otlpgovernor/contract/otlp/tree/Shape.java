package io.otlpgovernor.contract.otlp.tree;

import java.util.List;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * The shape of one signal's tree, as levels: 0 the request, 1 the resource containers, 2 the scope containers, for
 * metrics 3 the metrics; the children of the last container level are the items. This is the only place that knows
 * the generated accessors; {@link OtlpTree} walks every signal with the same code through it.
 */
abstract class Shape {

    static final Shape SPANS = new Spans();
    static final Shape LOGS = new Logs();
    static final Shape METRICS = new Metrics();

    static final int RESOURCES = 1;
    static final int SCOPES = 2;

    /** The level of the items: the children of level {@code itemLevel - 1} are spans, log records or data points. */
    final int itemLevel;

    final AttributeSite itemSite;

    private Shape(int itemLevel, AttributeSite itemSite) {
        this.itemLevel = itemLevel;
        this.itemSite = itemSite;
    }

    abstract List<? extends Message> children(Message node, int level);

    abstract Message withChildren(Message node, int level, List<? extends Message> children);

    abstract Resource resource(Message resourceContainer);

    abstract Message withResource(Message resourceContainer, Resource resource);

    abstract InstrumentationScope scope(Message scopeContainer);

    abstract Message withScope(Message scopeContainer, InstrumentationScope scope);

    abstract List<KeyValue> attributes(Message item);

    abstract Message withAttributes(Message item, List<KeyValue> attributes);

    /** The item with its events, links or exemplars visited; null when one of them dropped it. */
    abstract Message subElements(Message item, Walk<?> walk);

    /** Items under {@code node}, a node of {@code level}. */
    final long count(Message node, int level) {
        if (level == itemLevel) {
            return 1;
        }
        if (node instanceof Metric metric) {
            return DataPoints.count(metric);
        }
        long count = 0;
        for (Message child : children(node, level)) {
            count += level + 1 == itemLevel ? 1 : count(child, level + 1);
        }
        return count;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(List<? extends Message> list) {
        return (List<T>) list;
    }

    private static final class Spans extends Shape {

        Spans() {
            super(3, AttributeSite.SPAN);
        }

        @Override
        List<? extends Message> children(Message node, int level) {
            return switch (level) {
                case 0 -> ((ExportTraceServiceRequest) node).getResourceSpansList();
                case RESOURCES -> ((ResourceSpans) node).getScopeSpansList();
                default -> ((ScopeSpans) node).getSpansList();
            };
        }

        @Override
        Message withChildren(Message node, int level, List<? extends Message> children) {
            return switch (level) {
                case 0 ->
                    ((ExportTraceServiceRequest) node)
                            .toBuilder()
                                    .clearResourceSpans()
                                    .addAllResourceSpans(cast(children))
                                    .build();
                case RESOURCES ->
                    ((ResourceSpans) node)
                            .toBuilder()
                                    .clearScopeSpans()
                                    .addAllScopeSpans(cast(children))
                                    .build();
                default ->
                    ((ScopeSpans) node)
                            .toBuilder()
                                    .clearSpans()
                                    .addAllSpans(cast(children))
                                    .build();
            };
        }

        @Override
        Resource resource(Message resourceContainer) {
            return ((ResourceSpans) resourceContainer).getResource();
        }

        @Override
        Message withResource(Message resourceContainer, Resource resource) {
            return ((ResourceSpans) resourceContainer)
                    .toBuilder().setResource(resource).build();
        }

        @Override
        InstrumentationScope scope(Message scopeContainer) {
            return ((ScopeSpans) scopeContainer).getScope();
        }

        @Override
        Message withScope(Message scopeContainer, InstrumentationScope scope) {
            return ((ScopeSpans) scopeContainer).toBuilder().setScope(scope).build();
        }

        @Override
        List<KeyValue> attributes(Message item) {
            return ((Span) item).getAttributesList();
        }

        @Override
        Message withAttributes(Message item, List<KeyValue> attributes) {
            return ((Span) item)
                    .toBuilder().clearAttributes().addAllAttributes(attributes).build();
        }

        @Override
        Message subElements(Message item, Walk<?> walk) {
            Span span = (Span) item;
            List<Span.Event> events = walk.attributeOwners(
                    AttributeSite.SPAN_EVENT,
                    span.getEventsList(),
                    Span.Event::getAttributesList,
                    (event, attributes) -> event.toBuilder()
                            .clearAttributes()
                            .addAllAttributes(attributes)
                            .build());
            if (events == null) {
                return null;
            }
            List<Span.Link> links = walk.attributeOwners(
                    AttributeSite.SPAN_LINK,
                    span.getLinksList(),
                    Span.Link::getAttributesList,
                    (link, attributes) -> link.toBuilder()
                            .clearAttributes()
                            .addAllAttributes(attributes)
                            .build());
            if (links == null) {
                return null;
            }
            if (events == span.getEventsList() && links == span.getLinksList()) {
                return span;
            }
            Span.Builder copy = span.toBuilder();
            if (events != span.getEventsList()) {
                copy.clearEvents().addAllEvents(events);
            }
            if (links != span.getLinksList()) {
                copy.clearLinks().addAllLinks(links);
            }
            return copy.build();
        }
    }

    private static final class Logs extends Shape {

        Logs() {
            super(3, AttributeSite.LOG_RECORD);
        }

        @Override
        List<? extends Message> children(Message node, int level) {
            return switch (level) {
                case 0 -> ((ExportLogsServiceRequest) node).getResourceLogsList();
                case RESOURCES -> ((ResourceLogs) node).getScopeLogsList();
                default -> ((ScopeLogs) node).getLogRecordsList();
            };
        }

        @Override
        Message withChildren(Message node, int level, List<? extends Message> children) {
            return switch (level) {
                case 0 ->
                    ((ExportLogsServiceRequest) node)
                            .toBuilder()
                                    .clearResourceLogs()
                                    .addAllResourceLogs(cast(children))
                                    .build();
                case RESOURCES ->
                    ((ResourceLogs) node)
                            .toBuilder()
                                    .clearScopeLogs()
                                    .addAllScopeLogs(cast(children))
                                    .build();
                default ->
                    ((ScopeLogs) node)
                            .toBuilder()
                                    .clearLogRecords()
                                    .addAllLogRecords(cast(children))
                                    .build();
            };
        }

        @Override
        Resource resource(Message resourceContainer) {
            return ((ResourceLogs) resourceContainer).getResource();
        }

        @Override
        Message withResource(Message resourceContainer, Resource resource) {
            return ((ResourceLogs) resourceContainer)
                    .toBuilder().setResource(resource).build();
        }

        @Override
        InstrumentationScope scope(Message scopeContainer) {
            return ((ScopeLogs) scopeContainer).getScope();
        }

        @Override
        Message withScope(Message scopeContainer, InstrumentationScope scope) {
            return ((ScopeLogs) scopeContainer).toBuilder().setScope(scope).build();
        }

        @Override
        List<KeyValue> attributes(Message item) {
            return ((LogRecord) item).getAttributesList();
        }

        @Override
        Message withAttributes(Message item, List<KeyValue> attributes) {
            return ((LogRecord) item)
                    .toBuilder().clearAttributes().addAllAttributes(attributes).build();
        }

        @Override
        Message subElements(Message item, Walk<?> walk) {
            return item;
        }
    }

    private static final class Metrics extends Shape {

        Metrics() {
            super(4, AttributeSite.DATA_POINT);
        }

        @Override
        List<? extends Message> children(Message node, int level) {
            return switch (level) {
                case 0 -> ((ExportMetricsServiceRequest) node).getResourceMetricsList();
                case RESOURCES -> ((ResourceMetrics) node).getScopeMetricsList();
                case SCOPES -> ((ScopeMetrics) node).getMetricsList();
                default -> DataPoints.of((Metric) node);
            };
        }

        @Override
        Message withChildren(Message node, int level, List<? extends Message> children) {
            return switch (level) {
                case 0 ->
                    ((ExportMetricsServiceRequest) node)
                            .toBuilder()
                                    .clearResourceMetrics()
                                    .addAllResourceMetrics(cast(children))
                                    .build();
                case RESOURCES ->
                    ((ResourceMetrics) node)
                            .toBuilder()
                                    .clearScopeMetrics()
                                    .addAllScopeMetrics(cast(children))
                                    .build();
                case SCOPES ->
                    ((ScopeMetrics) node)
                            .toBuilder()
                                    .clearMetrics()
                                    .addAllMetrics(cast(children))
                                    .build();
                default -> DataPoints.withPoints((Metric) node, children);
            };
        }

        @Override
        Resource resource(Message resourceContainer) {
            return ((ResourceMetrics) resourceContainer).getResource();
        }

        @Override
        Message withResource(Message resourceContainer, Resource resource) {
            return ((ResourceMetrics) resourceContainer)
                    .toBuilder().setResource(resource).build();
        }

        @Override
        InstrumentationScope scope(Message scopeContainer) {
            return ((ScopeMetrics) scopeContainer).getScope();
        }

        @Override
        Message withScope(Message scopeContainer, InstrumentationScope scope) {
            return ((ScopeMetrics) scopeContainer).toBuilder().setScope(scope).build();
        }

        @Override
        List<KeyValue> attributes(Message item) {
            return DataPoints.attributes(item);
        }

        @Override
        Message withAttributes(Message item, List<KeyValue> attributes) {
            return DataPoints.withAttributes(item, attributes);
        }

        @Override
        Message subElements(Message item, Walk<?> walk) {
            List<Exemplar> exemplars = DataPoints.exemplars(item);
            List<Exemplar> visited = walk.attributeOwners(
                    AttributeSite.EXEMPLAR,
                    exemplars,
                    Exemplar::getFilteredAttributesList,
                    (exemplar, attributes) -> exemplar.toBuilder()
                            .clearFilteredAttributes()
                            .addAllFilteredAttributes(attributes)
                            .build());
            if (visited == null) {
                return null;
            }
            return visited == exemplars ? item : DataPoints.withExemplars(item, visited);
        }
    }
}
