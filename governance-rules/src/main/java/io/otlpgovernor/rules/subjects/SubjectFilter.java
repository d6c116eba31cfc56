package io.otlpgovernor.rules.subjects;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.otlp.tree.AttributeSite;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.contract.otlp.tree.TreePosition;
import io.otlpgovernor.contract.otlp.tree.TreeVisitor;
import io.otlpgovernor.rules.classification.FieldSite;
import io.otlpgovernor.rules.classification.detectors.BuiltInDetectors;

/**
 * Suppresses a tenant's data subjects in one request: every span, log record or data point that carries a
 * suppressed subject's identifier — in any attribute the classifier looks at (resource, scope, item, span event
 * and link attributes, nested values included), in a span name or a log body, raw or already hashed — is dropped,
 * or has the identifier replaced by {@value #REDACTED}, as the subject's entry says. A subject in a resource's or
 * scope's attributes drops everything under it. Copy-on-write: a request without a subject is returned as the same
 * instance.
 *
 * <p>What it did comes back as counts per entry id and field path — never a value.
 */
public final class SubjectFilter {

    public static final String REDACTED = "[REDACTED:subject]";

    private SubjectFilter() {}

    /** Where a subject was found, for the audit record: its entry and the field path. */
    public record Found(String entryId, String fieldPath) {}

    /**
     * A request with its subjects suppressed.
     *
     * @param request the request (the same instance when no subject was found)
     * @param dropped items dropped
     * @param found   entry and field path → items dropped or values redacted there
     */
    public record Suppressed<R>(R request, long dropped, Map<Found, Long> found) {}

    public static Suppressed<ExportTraceServiceRequest> spans(SubjectList subjects, ExportTraceServiceRequest request) {
        if (subjects.isEmpty()) {
            return new Suppressed<>(request, 0, Map.of());
        }
        Walk<Span> walk = new Walk<>(subjects) {
            @Override
            Span free(Span span) {
                AnyValue name =
                        AnyValue.newBuilder().setStringValue(span.getName()).build();
                AnyValue governed = value(name, () -> "span.name");
                if (governed == null) {
                    return null;
                }
                return governed == name
                        ? span
                        : span.toBuilder().setName(governed.getStringValue()).build();
            }
        };
        return walk.result(OtlpTree.walk(request, walk));
    }

    public static Suppressed<ExportLogsServiceRequest> logs(SubjectList subjects, ExportLogsServiceRequest request) {
        if (subjects.isEmpty()) {
            return new Suppressed<>(request, 0, Map.of());
        }
        Walk<LogRecord> walk = new Walk<>(subjects) {
            @Override
            LogRecord free(LogRecord record) {
                if (!record.hasBody()) {
                    return record;
                }
                AnyValue body = value(record.getBody(), () -> "log.body");
                if (body == null) {
                    return null;
                }
                return body == record.getBody()
                        ? record
                        : record.toBuilder().setBody(body).build();
            }
        };
        return walk.result(OtlpTree.walk(request, walk));
    }

    public static Suppressed<ExportMetricsServiceRequest> metrics(
            SubjectList subjects, ExportMetricsServiceRequest request) {
        if (subjects.isEmpty()) {
            return new Suppressed<>(request, 0, Map.of());
        }
        Walk<Message> walk = new Walk<>(subjects) {
            @Override
            Message free(Message point) {
                return point;
            }
        };
        return walk.result(OtlpTree.walk(request, walk));
    }

    /**
     * One request's walk. A value with a subject whose entry drops marks the item (or the resource or scope) as
     * dropped by that entry; one whose entry redacts is rewritten in place.
     */
    private abstract static class Walk<I> implements TreeVisitor<I> {
        private final SubjectList subjects;
        private final Map<Found, Long> found = new LinkedHashMap<>();
        private Found pendingContainer;
        private Found resourceDrop;
        private Found scopeDrop;
        private Found itemDrop;
        private long dropped;

        Walk(SubjectList subjects) {
            this.subjects = subjects;
        }

        /** The item with its span name or log body checked; null to drop it. */
        abstract I free(I item);

        @Override
        public boolean visits(AttributeSite site) {
            return site != AttributeSite.EXEMPLAR;
        }

        @Override
        public List<KeyValue> attributes(AttributeSite site, List<KeyValue> attributes, TreePosition at) {
            if (site.belongsToItem() && containerDrop() != null) {
                itemDrop = containerDrop();
                return OtlpTree.DROP;
            }
            String prefix = FieldSite.of(site).id() + ".attributes";
            List<KeyValue> governed = keyValues(attributes, () -> prefix);
            if (itemDrop == null) {
                return governed;
            }
            if (site.belongsToItem()) {
                return OtlpTree.DROP;
            }
            // A container's subject drops the items under it, one by one, so each is counted against the entry.
            pendingContainer = itemDrop;
            itemDrop = null;
            return attributes;
        }

        @Override
        public Resource resource(Resource resource, TreePosition at) {
            resourceDrop = pendingContainer;
            scopeDrop = null;
            pendingContainer = null;
            return resource;
        }

        @Override
        public InstrumentationScope scope(InstrumentationScope scope, TreePosition at) {
            scopeDrop = pendingContainer;
            pendingContainer = null;
            return scope;
        }

        @Override
        public I item(I item, TreePosition at) {
            if (containerDrop() != null) {
                itemDrop = containerDrop();
                return null;
            }
            return free(item);
        }

        @Override
        public void itemDone(I item, TreePosition at) {
            if (item == null) {
                dropped++;
                if (itemDrop != null) {
                    found.merge(itemDrop, 1L, Long::sum);
                }
            }
            itemDrop = null;
        }

        private Found containerDrop() {
            return resourceDrop != null ? resourceDrop : scopeDrop;
        }

        /** The list with redactions applied (itself when none); on a dropping subject, sets {@link #itemDrop}. */
        List<KeyValue> keyValues(List<KeyValue> attributes, Supplier<String> prefix) {
            List<KeyValue> out = null;
            for (int i = 0; i < attributes.size(); i++) {
                KeyValue attribute = attributes.get(i);
                AnyValue value =
                        value(attribute.getValue(), () -> prefix.get() + "[" + safeKey(attribute.getKey()) + "]");
                if (itemDrop != null) {
                    return attributes;
                }
                if (value != attribute.getValue() && out == null) {
                    out = new ArrayList<>(attributes.subList(0, i));
                }
                if (out != null) {
                    out.add(
                            value == attribute.getValue()
                                    ? attribute
                                    : attribute.toBuilder().setValue(value).build());
                }
            }
            return out == null ? attributes : out;
        }

        /** The value with redactions applied (itself when none), or null when a dropping subject is in it. */
        AnyValue value(AnyValue value, Supplier<String> path) {
            switch (value.getValueCase()) {
                case STRING_VALUE -> {
                    String text = value.getStringValue();
                    List<SubjectList.Hit> hits = subjects.find(text);
                    if (hits.isEmpty()) {
                        return value;
                    }
                    for (SubjectList.Hit hit : hits) {
                        if (hit.entry().drops()) {
                            itemDrop = new Found(hit.entry().id(), path.get());
                            return null;
                        }
                    }
                    return AnyValue.newBuilder()
                            .setStringValue(redact(text, hits, path.get()))
                            .build();
                }
                case ARRAY_VALUE -> {
                    List<AnyValue> values = value.getArrayValue().getValuesList();
                    List<AnyValue> out = null;
                    for (int i = 0; i < values.size(); i++) {
                        AnyValue governed = value(values.get(i), path);
                        if (governed == null) {
                            return null;
                        }
                        if (governed != values.get(i) && out == null) {
                            out = new ArrayList<>(values.subList(0, i));
                        }
                        if (out != null) {
                            out.add(governed);
                        }
                    }
                    return out == null
                            ? value
                            : AnyValue.newBuilder()
                                    .setArrayValue(ArrayValue.newBuilder().addAllValues(out))
                                    .build();
                }
                case KVLIST_VALUE -> {
                    List<KeyValue> values = value.getKvlistValue().getValuesList();
                    List<KeyValue> governed = keyValues(values, path);
                    if (itemDrop != null) {
                        return null;
                    }
                    return governed == values
                            ? value
                            : AnyValue.newBuilder()
                                    .setKvlistValue(KeyValueList.newBuilder().addAllValues(governed))
                                    .build();
                }
                default -> {
                    return value;
                }
            }
        }

        private String redact(String text, List<SubjectList.Hit> hits, String path) {
            StringBuilder out = new StringBuilder(text.length());
            int from = 0;
            for (SubjectList.Hit hit : hits) {
                out.append(text, from, hit.start()).append(REDACTED);
                from = hit.end();
                found.merge(new Found(hit.entry().id(), path), 1L, Long::sum);
            }
            return out.append(text, from, text.length()).toString();
        }

        /** An attribute key as it may appear in a field path: {@code *} when it holds personal data itself. */
        private String safeKey(String key) {
            for (var detector : BuiltInDetectors.all()) {
                if (detector.matches(key)) {
                    return "*";
                }
            }
            return subjects.find(key).isEmpty() ? key : "*";
        }

        <R> Suppressed<R> result(R request) {
            return new Suppressed<>(request, dropped, found);
        }
    }
}
