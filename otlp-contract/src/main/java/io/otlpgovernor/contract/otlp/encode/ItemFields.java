package io.otlpgovernor.contract.otlp.encode;

import java.util.List;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * The containers of a signal's tree, and the fields of its item type that {@link CopyingEncoder} may write anew — its attribute list and one replaceable
 * field (a span's name, a log record's body) — and the test that every other field is unchanged, so that copying
 * the original's bytes for them is exact. {@code ItemFieldsTest} fails when the OTLP item types gain a field this
 * test does not know of.
 */
abstract class ItemFields {

    static final ItemFields SPANS = new Spans();
    static final ItemFields LOGS = new Logs();

    /** The resource (level 1) or scope (level 2) of a container, null when it has none or at the request (0). */
    abstract Message head(Message node, int level);

    /** Resource containers (level 0), scope containers (1) or items (2) under {@code node}. */
    abstract List<? extends Message> children(Message node, int level);

    /** A container's schema URL; "" for the request. */
    abstract String schemaUrl(Message node, int level);

    abstract int attributesNumber();

    abstract int replaceableNumber();

    abstract List<KeyValue> attributes(Message item);

    /** Whether every field of {@code now} but the attributes and the replaceable one equals {@code was}'s. */
    abstract boolean sameBesidesReplaceable(Message now, Message was);

    abstract boolean sameReplaceable(Message now, Message was);

    /** Plans {@code now}'s replaceable field (nothing when it is not set); returns its size. */
    abstract int planReplaceable(Message now, ItemOperations operations);

    static boolean same(Object now, Object was) {
        return now == was || now.equals(was);
    }

    /** Lists of sub-messages (events, links) compared by identity: what a copy-on-write walk did not touch. */
    static boolean sameElements(List<?> now, List<?> was) {
        if (now == was) {
            return true;
        }
        if (now.size() != was.size()) {
            return false;
        }
        for (int i = 0; i < now.size(); i++) {
            if (now.get(i) != was.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static final class Spans extends ItemFields {

        @Override
        Message head(Message node, int level) {
            if (level == 1) {
                ResourceSpans container = (ResourceSpans) node;
                return container.hasResource() ? container.getResource() : null;
            }
            if (level == 2) {
                ScopeSpans container = (ScopeSpans) node;
                return container.hasScope() ? container.getScope() : null;
            }
            return null;
        }

        @Override
        List<? extends Message> children(Message node, int level) {
            return switch (level) {
                case 0 -> ((ExportTraceServiceRequest) node).getResourceSpansList();
                case 1 -> ((ResourceSpans) node).getScopeSpansList();
                default -> ((ScopeSpans) node).getSpansList();
            };
        }

        @Override
        String schemaUrl(Message node, int level) {
            return switch (level) {
                case 0 -> "";
                case 1 -> ((ResourceSpans) node).getSchemaUrl();
                default -> ((ScopeSpans) node).getSchemaUrl();
            };
        }

        @Override
        int attributesNumber() {
            return Span.ATTRIBUTES_FIELD_NUMBER;
        }

        @Override
        int replaceableNumber() {
            return Span.NAME_FIELD_NUMBER;
        }

        @Override
        List<KeyValue> attributes(Message item) {
            return ((Span) item).getAttributesList();
        }

        @Override
        boolean sameBesidesReplaceable(Message nowItem, Message wasItem) {
            Span now = (Span) nowItem;
            Span was = (Span) wasItem;
            return now.getStartTimeUnixNano() == was.getStartTimeUnixNano()
                    && now.getEndTimeUnixNano() == was.getEndTimeUnixNano()
                    && now.getKindValue() == was.getKindValue()
                    && now.getFlags() == was.getFlags()
                    && now.getDroppedAttributesCount() == was.getDroppedAttributesCount()
                    && now.getDroppedEventsCount() == was.getDroppedEventsCount()
                    && now.getDroppedLinksCount() == was.getDroppedLinksCount()
                    && same(now.getTraceId(), was.getTraceId())
                    && same(now.getSpanId(), was.getSpanId())
                    && same(now.getParentSpanId(), was.getParentSpanId())
                    && same(now.getTraceState(), was.getTraceState())
                    && now.hasStatus() == was.hasStatus()
                    && same(now.getStatus(), was.getStatus())
                    && sameElements(now.getEventsList(), was.getEventsList())
                    && sameElements(now.getLinksList(), was.getLinksList())
                    && same(now.getUnknownFields(), was.getUnknownFields());
        }

        @Override
        boolean sameReplaceable(Message now, Message was) {
            return same(((Span) now).getName(), ((Span) was).getName());
        }

        @Override
        int planReplaceable(Message now, ItemOperations operations) {
            String name = ((Span) now).getName();
            return name.isEmpty() ? 0 : operations.string(Span.NAME_FIELD_NUMBER, name);
        }
    }

    private static final class Logs extends ItemFields {

        @Override
        Message head(Message node, int level) {
            if (level == 1) {
                ResourceLogs container = (ResourceLogs) node;
                return container.hasResource() ? container.getResource() : null;
            }
            if (level == 2) {
                ScopeLogs container = (ScopeLogs) node;
                return container.hasScope() ? container.getScope() : null;
            }
            return null;
        }

        @Override
        List<? extends Message> children(Message node, int level) {
            return switch (level) {
                case 0 -> ((ExportLogsServiceRequest) node).getResourceLogsList();
                case 1 -> ((ResourceLogs) node).getScopeLogsList();
                default -> ((ScopeLogs) node).getLogRecordsList();
            };
        }

        @Override
        String schemaUrl(Message node, int level) {
            return switch (level) {
                case 0 -> "";
                case 1 -> ((ResourceLogs) node).getSchemaUrl();
                default -> ((ScopeLogs) node).getSchemaUrl();
            };
        }

        @Override
        int attributesNumber() {
            return LogRecord.ATTRIBUTES_FIELD_NUMBER;
        }

        @Override
        int replaceableNumber() {
            return LogRecord.BODY_FIELD_NUMBER;
        }

        @Override
        List<KeyValue> attributes(Message item) {
            return ((LogRecord) item).getAttributesList();
        }

        @Override
        boolean sameBesidesReplaceable(Message nowItem, Message wasItem) {
            LogRecord now = (LogRecord) nowItem;
            LogRecord was = (LogRecord) wasItem;
            return now.getTimeUnixNano() == was.getTimeUnixNano()
                    && now.getObservedTimeUnixNano() == was.getObservedTimeUnixNano()
                    && now.getSeverityNumberValue() == was.getSeverityNumberValue()
                    && now.getDroppedAttributesCount() == was.getDroppedAttributesCount()
                    && now.getFlags() == was.getFlags()
                    && same(now.getSeverityText(), was.getSeverityText())
                    && same(now.getTraceId(), was.getTraceId())
                    && same(now.getSpanId(), was.getSpanId())
                    && same(now.getEventName(), was.getEventName())
                    && same(now.getUnknownFields(), was.getUnknownFields());
        }

        @Override
        boolean sameReplaceable(Message now, Message was) {
            LogRecord nowRecord = (LogRecord) now;
            LogRecord wasRecord = (LogRecord) was;
            return nowRecord.hasBody() == wasRecord.hasBody() && same(nowRecord.getBody(), wasRecord.getBody());
        }

        @Override
        int planReplaceable(Message now, ItemOperations operations) {
            LogRecord record = (LogRecord) now;
            return record.hasBody() ? operations.message(LogRecord.BODY_FIELD_NUMBER, record.getBody()) : 0;
        }
    }
}
