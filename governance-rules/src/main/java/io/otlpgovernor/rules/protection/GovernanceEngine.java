package io.otlpgovernor.rules.protection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.otlp.OtlpPayloads;
import io.otlpgovernor.rules.classification.FieldSite;

/**
 * Applies a tenant's classification and protection rules to OTLP export requests of all three signals.
 *
 * <p>It walks resource, scope, span, span event, span link, log record and data-point attributes, log bodies,
 * and span names where the rules ask; finds sensitive values with the rule set's detectors; and redacts, hashes,
 * drops attributes or drops records as the protection rules say. What it did comes back as {@link Decisions},
 * which never contain a found value, and which give the labels of every item kept. Work is copy-on-write: a
 * request in which nothing is found is returned as the same instance.
 *
 * <p>Not thread-safe (it caches one HMAC instance per key): use one engine per thread or operator instance.
 * Drop-record on a resource or scope attribute removes everything under that resource or scope; a scope or
 * resource left empty by drop-record rules is removed as well.
 */
public final class GovernanceEngine {

    private final AttributeWalker walker;

    /** @param keyrings tenant → HMAC keys, for rules that hash */
    public GovernanceEngine(Map<String, HmacKeyring> keyrings) {
        this.walker = new AttributeWalker(new ValueProtector(Map.copyOf(keyrings)));
    }

    /**
     * A governed request.
     *
     * @param request   the governed request (the same instance when nothing changed)
     * @param decisions what was done
     * @param itemsIn   spans, data points or log records before
     * @param itemsOut  after drop-record rules
     */
    public record Governed<T>(T request, Decisions decisions, long itemsIn, long itemsOut) {}

    public Governed<ExportTraceServiceRequest> governSpans(CompiledRules rules, ExportTraceServiceRequest request) {
        Decisions decisions = new Decisions();
        long in = 0;
        long out = 0;
        List<ResourceSpans> resources = null;
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans original = request.getResourceSpans(r);
            long items = original.getScopeSpansList().stream()
                    .mapToLong(ScopeSpans::getSpansCount)
                    .sum();
            in += items;
            ResourceSpans governed = governResourceSpans(rules, original, decisions);
            out += governed == null
                    ? 0
                    : governed.getScopeSpansList().stream()
                            .mapToLong(ScopeSpans::getSpansCount)
                            .sum();
            resources = collect(resources, request.getResourceSpansList(), r, original, governed);
        }
        decisions.dropped(in - out);
        ExportTraceServiceRequest result = resources == null
                ? request
                : request.toBuilder()
                        .clearResourceSpans()
                        .addAllResourceSpans(resources)
                        .build();
        return new Governed<>(result, decisions, in, out);
    }

    private ResourceSpans governResourceSpans(CompiledRules rules, ResourceSpans original, Decisions decisions) {
        Resource resource = resource(rules, original.getResource(), decisions);
        if (resource == null) {
            return null;
        }
        List<ScopeSpans> scopes = null;
        for (int s = 0; s < original.getScopeSpansCount(); s++) {
            ScopeSpans scope = original.getScopeSpans(s);
            ScopeSpans governed = governScopeSpans(rules, scope, decisions);
            scopes = collect(scopes, original.getScopeSpansList(), s, scope, governed);
        }
        if (scopes != null && scopes.isEmpty()) {
            // Everything under it was dropped: drop the container too rather than send an empty shell.
            return null;
        }
        if (resource == original.getResource() && scopes == null) {
            return original;
        }
        ResourceSpans.Builder builder = original.toBuilder().setResource(resource);
        if (scopes != null) {
            builder.clearScopeSpans().addAllScopeSpans(scopes);
        }
        return builder.build();
    }

    private ScopeSpans governScopeSpans(CompiledRules rules, ScopeSpans original, Decisions decisions) {
        InstrumentationScope scope = scope(rules, original.getScope(), decisions);
        if (scope == null) {
            return null;
        }
        List<Span> spans = null;
        for (int i = 0; i < original.getSpansCount(); i++) {
            Span span = original.getSpans(i);
            spans = collect(
                    spans, original.getSpansList(), i, span, decisions.itemWalked(governSpan(rules, span, decisions)));
        }
        if (spans != null && spans.isEmpty()) {
            // Everything under it was dropped: drop the container too rather than send an empty shell.
            return null;
        }
        if (scope == original.getScope() && spans == null) {
            return original;
        }
        ScopeSpans.Builder builder = original.toBuilder().setScope(scope);
        if (spans != null) {
            builder.clearSpans().addAllSpans(spans);
        }
        return builder.build();
    }

    /** The governed span, the same instance when unchanged, or null when it must be dropped. */
    private Span governSpan(CompiledRules rules, Span span, Decisions decisions) {
        List<KeyValue> attributes = walker.attributes(rules, FieldSite.SPAN, span.getAttributesList(), decisions);
        if (attributes == AttributeWalker.DROP_RECORD) {
            return null;
        }
        String name = span.getName();
        if (rules.classifiesSpanNames() && !name.isEmpty()) {
            AnyValue original = AnyValue.newBuilder().setStringValue(name).build();
            AnyValue governed = walker.freeValue(rules, "span.name", original, decisions);
            if (governed == null) {
                return null;
            }
            name = governed == original ? name : governed.getStringValue();
        }
        List<Span.Event> events = null;
        for (int i = 0; i < span.getEventsCount(); i++) {
            Span.Event event = span.getEvents(i);
            List<KeyValue> eventAttributes =
                    walker.attributes(rules, FieldSite.SPAN_EVENT, event.getAttributesList(), decisions);
            if (eventAttributes == AttributeWalker.DROP_RECORD) {
                return null;
            }
            Span.Event governed = eventAttributes == event.getAttributesList()
                    ? event
                    : event.toBuilder()
                            .clearAttributes()
                            .addAllAttributes(eventAttributes)
                            .build();
            events = collect(events, span.getEventsList(), i, event, governed);
        }
        List<Span.Link> links = null;
        for (int i = 0; i < span.getLinksCount(); i++) {
            Span.Link link = span.getLinks(i);
            List<KeyValue> linkAttributes =
                    walker.attributes(rules, FieldSite.SPAN_LINK, link.getAttributesList(), decisions);
            if (linkAttributes == AttributeWalker.DROP_RECORD) {
                return null;
            }
            Span.Link governed = linkAttributes == link.getAttributesList()
                    ? link
                    : link.toBuilder()
                            .clearAttributes()
                            .addAllAttributes(linkAttributes)
                            .build();
            links = collect(links, span.getLinksList(), i, link, governed);
        }
        if (attributes == span.getAttributesList() && name.equals(span.getName()) && events == null && links == null) {
            return span;
        }
        Span.Builder builder = span.toBuilder().setName(name);
        if (attributes != span.getAttributesList()) {
            builder.clearAttributes().addAllAttributes(attributes);
        }
        if (events != null) {
            builder.clearEvents().addAllEvents(events);
        }
        if (links != null) {
            builder.clearLinks().addAllLinks(links);
        }
        return builder.build();
    }

    public Governed<ExportLogsServiceRequest> governLogs(CompiledRules rules, ExportLogsServiceRequest request) {
        Decisions decisions = new Decisions();
        long in = 0;
        long out = 0;
        List<ResourceLogs> resources = null;
        for (int r = 0; r < request.getResourceLogsCount(); r++) {
            ResourceLogs original = request.getResourceLogs(r);
            in += original.getScopeLogsList().stream()
                    .mapToLong(ScopeLogs::getLogRecordsCount)
                    .sum();
            ResourceLogs governed = governResourceLogs(rules, original, decisions);
            out += governed == null
                    ? 0
                    : governed.getScopeLogsList().stream()
                            .mapToLong(ScopeLogs::getLogRecordsCount)
                            .sum();
            resources = collect(resources, request.getResourceLogsList(), r, original, governed);
        }
        decisions.dropped(in - out);
        ExportLogsServiceRequest result = resources == null
                ? request
                : request.toBuilder()
                        .clearResourceLogs()
                        .addAllResourceLogs(resources)
                        .build();
        return new Governed<>(result, decisions, in, out);
    }

    private ResourceLogs governResourceLogs(CompiledRules rules, ResourceLogs original, Decisions decisions) {
        Resource resource = resource(rules, original.getResource(), decisions);
        if (resource == null) {
            return null;
        }
        List<ScopeLogs> scopes = null;
        for (int s = 0; s < original.getScopeLogsCount(); s++) {
            ScopeLogs scopeLogs = original.getScopeLogs(s);
            scopes = collect(
                    scopes, original.getScopeLogsList(), s, scopeLogs, governScopeLogs(rules, scopeLogs, decisions));
        }
        if (scopes != null && scopes.isEmpty()) {
            // Everything under it was dropped: drop the container too rather than send an empty shell.
            return null;
        }
        if (resource == original.getResource() && scopes == null) {
            return original;
        }
        ResourceLogs.Builder builder = original.toBuilder().setResource(resource);
        if (scopes != null) {
            builder.clearScopeLogs().addAllScopeLogs(scopes);
        }
        return builder.build();
    }

    private ScopeLogs governScopeLogs(CompiledRules rules, ScopeLogs original, Decisions decisions) {
        InstrumentationScope scope = scope(rules, original.getScope(), decisions);
        if (scope == null) {
            return null;
        }
        List<LogRecord> records = null;
        for (int i = 0; i < original.getLogRecordsCount(); i++) {
            LogRecord record = original.getLogRecords(i);
            records = collect(
                    records,
                    original.getLogRecordsList(),
                    i,
                    record,
                    decisions.itemWalked(governLogRecord(rules, record, decisions)));
        }
        if (records != null && records.isEmpty()) {
            // Everything under it was dropped: drop the container too rather than send an empty shell.
            return null;
        }
        if (scope == original.getScope() && records == null) {
            return original;
        }
        ScopeLogs.Builder builder = original.toBuilder().setScope(scope);
        if (records != null) {
            builder.clearLogRecords().addAllLogRecords(records);
        }
        return builder.build();
    }

    private LogRecord governLogRecord(CompiledRules rules, LogRecord record, Decisions decisions) {
        List<KeyValue> attributes = walker.attributes(rules, FieldSite.LOG, record.getAttributesList(), decisions);
        if (attributes == AttributeWalker.DROP_RECORD) {
            return null;
        }
        AnyValue body = record.getBody();
        if (rules.classifiesLogBodies() && record.hasBody()) {
            body = walker.freeValue(rules, "log.body", body, decisions);
            if (body == null) {
                return null;
            }
        }
        if (attributes == record.getAttributesList() && body == record.getBody()) {
            return record;
        }
        LogRecord.Builder builder = record.toBuilder().setBody(body);
        if (attributes != record.getAttributesList()) {
            builder.clearAttributes().addAllAttributes(attributes);
        }
        return builder.build();
    }

    public Governed<ExportMetricsServiceRequest> governMetrics(
            CompiledRules rules, ExportMetricsServiceRequest request) {
        Decisions decisions = new Decisions();
        long in = 0;
        long out = 0;
        List<ResourceMetrics> resources = null;
        for (int r = 0; r < request.getResourceMetricsCount(); r++) {
            ResourceMetrics original = request.getResourceMetrics(r);
            in += points(original);
            ResourceMetrics governed = governResourceMetrics(rules, original, decisions);
            out += governed == null ? 0 : points(governed);
            resources = collect(resources, request.getResourceMetricsList(), r, original, governed);
        }
        decisions.dropped(in - out);
        ExportMetricsServiceRequest result = resources == null
                ? request
                : request.toBuilder()
                        .clearResourceMetrics()
                        .addAllResourceMetrics(resources)
                        .build();
        return new Governed<>(result, decisions, in, out);
    }

    private static long points(ResourceMetrics resource) {
        return resource.getScopeMetricsList().stream()
                .flatMap(s -> s.getMetricsList().stream())
                .mapToLong(OtlpPayloads::dataPointCount)
                .sum();
    }

    private ResourceMetrics governResourceMetrics(CompiledRules rules, ResourceMetrics original, Decisions decisions) {
        Resource resource = resource(rules, original.getResource(), decisions);
        if (resource == null) {
            return null;
        }
        List<ScopeMetrics> scopes = null;
        for (int s = 0; s < original.getScopeMetricsCount(); s++) {
            ScopeMetrics scopeMetrics = original.getScopeMetrics(s);
            scopes = collect(
                    scopes,
                    original.getScopeMetricsList(),
                    s,
                    scopeMetrics,
                    governScopeMetrics(rules, scopeMetrics, decisions));
        }
        if (scopes != null && scopes.isEmpty()) {
            // Everything under it was dropped: drop the container too rather than send an empty shell.
            return null;
        }
        if (resource == original.getResource() && scopes == null) {
            return original;
        }
        ResourceMetrics.Builder builder = original.toBuilder().setResource(resource);
        if (scopes != null) {
            builder.clearScopeMetrics().addAllScopeMetrics(scopes);
        }
        return builder.build();
    }

    private ScopeMetrics governScopeMetrics(CompiledRules rules, ScopeMetrics original, Decisions decisions) {
        InstrumentationScope scope = scope(rules, original.getScope(), decisions);
        if (scope == null) {
            return null;
        }
        List<Metric> metrics = null;
        for (int i = 0; i < original.getMetricsCount(); i++) {
            Metric metric = original.getMetrics(i);
            metrics = collect(
                    metrics,
                    original.getMetricsList(),
                    i,
                    metric,
                    MetricPoints.govern(walker, rules, metric, decisions));
        }
        if (metrics != null && metrics.isEmpty()) {
            // Everything under it was dropped: drop the container too rather than send an empty shell.
            return null;
        }
        if (scope == original.getScope() && metrics == null) {
            return original;
        }
        ScopeMetrics.Builder builder = original.toBuilder().setScope(scope);
        if (metrics != null) {
            builder.clearMetrics().addAllMetrics(metrics);
        }
        return builder.build();
    }

    /** The governed resource, the same instance when unchanged, or null when everything under it must go. */
    private Resource resource(CompiledRules rules, Resource resource, Decisions decisions) {
        List<KeyValue> attributes =
                walker.attributes(rules, FieldSite.RESOURCE, resource.getAttributesList(), decisions);
        decisions.resourceWalked();
        if (attributes == AttributeWalker.DROP_RECORD) {
            return null;
        }
        return attributes == resource.getAttributesList()
                ? resource
                : resource.toBuilder()
                        .clearAttributes()
                        .addAllAttributes(attributes)
                        .build();
    }

    private InstrumentationScope scope(CompiledRules rules, InstrumentationScope scope, Decisions decisions) {
        List<KeyValue> attributes = walker.attributes(rules, FieldSite.SCOPE, scope.getAttributesList(), decisions);
        decisions.scopeWalked();
        if (attributes == AttributeWalker.DROP_RECORD) {
            return null;
        }
        return attributes == scope.getAttributesList()
                ? scope
                : scope.toBuilder()
                        .clearAttributes()
                        .addAllAttributes(attributes)
                        .build();
    }

    /**
     * Copy-on-write collection: {@code result} stays null while every element is unchanged; on the first change
     * it becomes a copy of the elements so far. A null {@code governed} element is dropped.
     */
    static <T> List<T> collect(List<T> result, List<T> originals, int index, T original, T governed) {
        if (result == null && governed == original) {
            return null;
        }
        if (result == null) {
            result = new ArrayList<>(originals.subList(0, index));
        }
        if (governed != null) {
            result.add(governed);
        }
        return result;
    }
}
