package io.otlpgovernor.rules.protection;

import java.util.List;
import java.util.Map;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.otlp.tree.AttributeSite;
import io.otlpgovernor.contract.otlp.tree.ItemOrigins;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.contract.otlp.tree.TreePosition;
import io.otlpgovernor.contract.otlp.tree.TreeVisitor;
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
 * resource left empty by drop-record rules is removed as well. Exemplars' filtered attributes are not classified.
 *
 * <p>The walk is {@link OtlpTree#walk}'s: this class only says what happens at each attribute list, span name and
 * log body.
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
        return governSpans(rules, request, null);
    }

    /**
     * As {@link #governSpans(CompiledRules, ExportTraceServiceRequest)}, noting in {@code origins} which span of
     * {@code request} each governed span came from (null: no notes).
     */
    public Governed<ExportTraceServiceRequest> governSpans(
            CompiledRules rules, ExportTraceServiceRequest request, ItemOrigins origins) {
        Protect<Span> protect = new Protect<>(rules) {
            @Override
            public Span item(Span span, TreePosition at) {
                return governSpanName(rules, span, decisions);
            }
        };
        return protect.result(request, OtlpTree.walk(request, protect, origins));
    }

    public Governed<ExportLogsServiceRequest> governLogs(CompiledRules rules, ExportLogsServiceRequest request) {
        return governLogs(rules, request, null);
    }

    /** As {@link #governSpans(CompiledRules, ExportTraceServiceRequest, ItemOrigins)}, for log records. */
    public Governed<ExportLogsServiceRequest> governLogs(
            CompiledRules rules, ExportLogsServiceRequest request, ItemOrigins origins) {
        Protect<LogRecord> protect = new Protect<>(rules) {
            @Override
            public LogRecord item(LogRecord record, TreePosition at) {
                return governLogBody(rules, record, decisions);
            }
        };
        return protect.result(request, OtlpTree.walk(request, protect, origins));
    }

    public Governed<ExportMetricsServiceRequest> governMetrics(
            CompiledRules rules, ExportMetricsServiceRequest request) {
        Protect<Message> protect = new Protect<>(rules);
        return protect.result(request, OtlpTree.walk(request, protect));
    }

    /** The span with its name governed (when the rules classify span names), or null when it must be dropped. */
    private Span governSpanName(CompiledRules rules, Span span, Decisions decisions) {
        String name = span.getName();
        if (!rules.classifiesSpanNames() || name.isEmpty()) {
            return span;
        }
        AnyValue original = AnyValue.newBuilder().setStringValue(name).build();
        AnyValue governed = walker.freeValue(rules, "span.name", original, decisions);
        if (governed == null) {
            return null;
        }
        return governed == original
                ? span
                : span.toBuilder().setName(governed.getStringValue()).build();
    }

    /** The record with its body governed (when the rules classify log bodies), or null when it must be dropped. */
    private LogRecord governLogBody(CompiledRules rules, LogRecord record, Decisions decisions) {
        if (!rules.classifiesLogBodies() || !record.hasBody()) {
            return record;
        }
        AnyValue body = walker.freeValue(rules, "log.body", record.getBody(), decisions);
        if (body == null) {
            return null;
        }
        return body == record.getBody()
                ? record
                : record.toBuilder().setBody(body).build();
    }

    /**
     * One request's walk: every attribute list but exemplars' through the {@link AttributeWalker}, with the
     * resource, scope and item boundaries {@link Decisions} attributes labels by.
     */
    private class Protect<I> implements TreeVisitor<I> {
        final CompiledRules rules;
        final Decisions decisions = new Decisions();
        private long itemsOut;

        Protect(CompiledRules rules) {
            this.rules = rules;
        }

        @Override
        public boolean visits(AttributeSite site) {
            return site != AttributeSite.EXEMPLAR;
        }

        @Override
        public List<KeyValue> attributes(AttributeSite site, List<KeyValue> attributes, TreePosition at) {
            List<KeyValue> governed = walker.attributes(rules, FieldSite.of(site), attributes, decisions);
            if (governed != AttributeWalker.DROP_RECORD) {
                return governed;
            }
            // A dropped container is not visited further: end it here, so its labels go to no item.
            if (site == AttributeSite.RESOURCE) {
                decisions.resourceWalked();
            } else if (site == AttributeSite.SCOPE) {
                decisions.scopeWalked();
            }
            return OtlpTree.DROP;
        }

        @Override
        public Resource resource(Resource resource, TreePosition at) {
            decisions.resourceWalked();
            return resource;
        }

        @Override
        public InstrumentationScope scope(InstrumentationScope scope, TreePosition at) {
            decisions.scopeWalked();
            return scope;
        }

        @Override
        public void itemDone(I item, TreePosition at) {
            if (decisions.itemWalked(item) != null) {
                itemsOut++;
            }
        }

        <R extends Message> Governed<R> result(R request, R governed) {
            long itemsIn = OtlpTree.count(request);
            decisions.dropped(itemsIn - itemsOut);
            return new Governed<>(governed, decisions, itemsIn, itemsOut);
        }
    }
}
