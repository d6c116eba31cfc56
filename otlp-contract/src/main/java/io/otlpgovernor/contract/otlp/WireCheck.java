package io.otlpgovernor.contract.otlp;

import java.io.IOException;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;

/**
 * {@link OtlpPayloads#summarize} without building the message: the same verdict (valid or not, and the same
 * identifier-length messages) and the same counts, from one walk over the wire format that allocates almost nothing.
 *
 * <p>Why it exists: decoding every string of every span into Java objects was half of the bridge's CPU at full
 * load, only to be thrown away, since the bridge forwards the bytes it received. {@code OtlpPayloads} stays the
 * definition of a valid request; {@code WireCheckTest} checks this walk against it on valid requests and on
 * thousands of corrupted ones.
 *
 * <p>What the walk checks, as protobuf's parser does: the framing of every field at every depth (tags, varints,
 * lengths, groups), UTF-8 in every string field, the contents of packed repeated fields, and the nesting limit of
 * 100 messages. A known field number with an unexpected wire type is an unknown field, as for the parser; unknown
 * fields are skipped, except at the top level where, as for {@code OtlpPayloads}, they make the request invalid.
 * Singular fields given twice count once (the last one for identifiers); a metric whose data oneof is given several
 * times counts what the parser keeps: every occurrence of the member given last.
 */
public final class WireCheck {

    private static final int MAX_DEPTH = 100;

    private static final Map<Descriptor, Layout> LAYOUTS = new ConcurrentHashMap<>();

    private final Signal signal;
    private final byte[] payload;
    private final CodedInputStream in;
    private final TreeSet<Integer> unknownTopLevel = new TreeSet<>();
    private int resources;
    private int resourceIndex;
    private int scopeIndex;
    private int itemIndex;
    private int scopesInResource;
    private int itemsInScope;
    private long items;
    private String firstIdProblem;
    private final ItemBounds bounds;

    private WireCheck(Signal signal, byte[] payload, ItemBounds bounds) {
        this.signal = signal;
        this.payload = payload;
        this.in = CodedInputStream.newInstance(payload);
        this.bounds = bounds;
    }

    /** As {@link OtlpPayloads#summarize}. */
    public static PayloadSummary summarize(Signal signal, byte[] payload) throws InvalidPayloadException {
        return check(signal, payload, null);
    }

    /**
     * As {@link #summarize}, and where each span or log record lies in {@code payload}, in flattened order: what a
     * reader of a few fields per item (the sampling randomness) needs to skip everything else.
     */
    public static Located locate(Signal signal, byte[] payload) throws InvalidPayloadException {
        ItemBounds bounds = new ItemBounds();
        PayloadSummary summary = check(signal, payload, bounds);
        return new Located(summary, bounds);
    }

    /**
     * A valid request's counts and the bounds of its items ({@link ItemBounds#count()} is 0 for metrics, whose
     * items are data points).
     */
    public record Located(PayloadSummary summary, ItemBounds items) {}

    private static PayloadSummary check(Signal signal, byte[] payload, ItemBounds bounds)
            throws InvalidPayloadException {
        WireCheck check = new WireCheck(signal, payload, bounds);
        try {
            check.message(layout(requestType(signal)), 0);
            check.in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidPayloadException(
                    "not a valid " + requestType(signal).getName() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidPayloadException(
                    "not a valid " + requestType(signal).getName() + ": " + e.getMessage());
        }
        if (!check.unknownTopLevel.isEmpty()) {
            throw new InvalidPayloadException("not a valid "
                    + requestType(signal).getName() + ": unknown top-level field number(s) " + check.unknownTopLevel);
        }
        if (check.firstIdProblem != null) {
            throw new InvalidPayloadException(check.firstIdProblem);
        }
        return new PayloadSummary(signal, check.resources, check.items);
    }

    private static Descriptor requestType(Signal signal) {
        return switch (signal) {
            case SPANS -> ExportTraceServiceRequest.getDescriptor();
            case METRICS -> ExportMetricsServiceRequest.getDescriptor();
            case LOGS -> ExportLogsServiceRequest.getDescriptor();
        };
    }

    /**
     * Walks the fields of one message up to the end of the current limit (or an end-group tag). Returns the data
     * points it holds if it is a metric or a data container, else 0.
     */
    private long message(Layout layout, int depth) throws IOException {
        int traceId = 0;
        int spanId = 0;
        int parentSpanId = 0;
        int dataCase = 0;
        long dataPoints = 0;
        long[] perMember = null;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            int number = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            int kind = layout.kind(number, wireType);
            switch (kind) {
                case Layout.UNKNOWN -> {
                    if (depth == 0) {
                        unknownTopLevel.add(number);
                    }
                    if (!in.skipField(tag)) {
                        return dataPoints; // an end-group tag: the caller's checkLastTagWas decides
                    }
                }
                case Layout.MESSAGE -> {
                    long count = nested(layout, number, depth);
                    if (layout.dataMember[number]) {
                        // protobuf-java keeps one builder per oneof member: every occurrence of a member merges into
                        // it, even with another member in between, and the member given last wins.
                        perMember = perMember != null ? perMember : new long[layout.dataMember.length];
                        perMember[number] += count;
                        dataCase = number;
                    } else if (layout.dataPointsField == number) {
                        dataPoints++;
                    }
                }
                case Layout.STRING -> {
                    int length = in.readRawVarint32();
                    int offset = in.getTotalBytesRead();
                    in.skipRawBytes(length);
                    if (!isAscii(offset, length)
                            && !UnsafeByteOperations.unsafeWrap(payload, offset, length)
                                    .isValidUtf8()) {
                        throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
                    }
                }
                case Layout.BYTES -> {
                    int length = in.readRawVarint32();
                    in.skipRawBytes(length);
                    if (layout.traceIdField == number) {
                        traceId = length;
                    } else if (layout.spanIdField == number) {
                        spanId = length;
                    } else if (layout.parentSpanIdField == number) {
                        parentSpanId = length;
                    }
                }
                case Layout.PACKED -> packed(layout.elementWireType[number]);
                default -> in.skipField(tag);
            }
        }
        if (layout.role == Role.SPAN) {
            idProblem(traceId, 16, false, "trace_id");
            idProblem(spanId, 8, false, "span_id");
            idProblem(parentSpanId, 8, true, "parent_span_id");
        } else if (layout.role == Role.LOG_RECORD) {
            idProblem(traceId, 16, true, "trace_id");
            idProblem(spanId, 8, true, "span_id");
        } else if (layout.role == Role.METRIC) {
            dataPoints = dataCase == 0 ? 0 : perMember[dataCase];
            items += dataPoints;
        }
        return dataPoints;
    }

    /** A nested message: positions for error paths, the nesting limit, then its fields. */
    private long nested(Layout parent, int number, int depth) throws IOException {
        int length = in.readRawVarint32();
        if (depth >= MAX_DEPTH) {
            throw new InvalidProtocolBufferException("Protocol message had too many levels of nesting.");
        }
        int limit = in.pushLimit(length);
        if (depth == 0) {
            resourceIndex = resources++;
            scopesInResource = 0;
        } else if (parent.role == Role.RESOURCE && number == 2) {
            scopeIndex = scopesInResource++;
            itemsInScope = 0;
        } else if (parent.role == Role.SCOPE_OF_ITEMS && number == 2) {
            itemIndex = itemsInScope++;
            items++;
            if (bounds != null) {
                bounds.add(in.getTotalBytesRead(), length);
            }
        }
        long count = message(parent.child(number), depth + 1);
        in.checkLastTagWas(0);
        in.popLimit(limit);
        return count;
    }

    /** Most strings in telemetry are ASCII, which is valid UTF-8; only the others need the full check. */
    private boolean isAscii(int offset, int length) {
        int any = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            any |= payload[i];
        }
        return any >= 0;
    }

    /** A packed repeated scalar field: every element must be complete. */
    private void packed(int elementWireType) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
            switch (elementWireType) {
                case WireFormat.WIRETYPE_FIXED64 -> in.readRawLittleEndian64();
                case WireFormat.WIRETYPE_FIXED32 -> in.readRawLittleEndian32();
                default -> in.readRawVarint64();
            }
        }
        in.popLimit(limit);
    }

    private void idProblem(int length, int expected, boolean mayBeEmpty, String name) {
        if (firstIdProblem != null || length == expected || (length == 0 && mayBeEmpty)) {
            return;
        }
        String path = switch (signal) {
            case SPANS ->
                "resource_spans[" + resourceIndex + "].scope_spans[" + scopeIndex + "].spans[" + itemIndex + "]";
            case LOGS ->
                "resource_logs[" + resourceIndex + "].scope_logs[" + scopeIndex + "].log_records[" + itemIndex + "]";
            case METRICS -> "";
        };
        firstIdProblem = path + "." + name + ": must be " + expected + " bytes" + (mayBeEmpty ? " or empty" : "")
                + ", got " + length;
    }

    private static Layout layout(Descriptor type) {
        Layout layout = LAYOUTS.get(type);
        if (layout == null) {
            layout = new Layout(type);
            LAYOUTS.putIfAbsent(type, layout);
        }
        return layout;
    }

    /** What the walk does for a message type beyond checking it. */
    private enum Role {
        REQUEST,
        RESOURCE,
        SCOPE_OF_ITEMS,
        SPAN,
        LOG_RECORD,
        METRIC,
        DATA_CONTAINER,
        OTHER
    }

    /**
     * One message type's fields by number, worked out once: asking a {@code FieldDescriptor} its type resolves
     * protobuf editions features on every call, which is too slow for every field of every request.
     */
    private static final class Layout {
        static final byte UNKNOWN = 0;
        static final byte MESSAGE = 1;
        static final byte STRING = 2;
        static final byte BYTES = 3;
        static final byte SCALAR = 4;
        static final byte PACKED = 5;

        final Descriptor type;
        final Role role;
        final byte[] kind;
        final int[] wireType;
        final int[] elementWireType;
        final boolean[] packable;
        final boolean[] dataMember;
        final Layout[] children;
        final int dataPointsField;
        final int traceIdField;
        final int spanIdField;
        final int parentSpanIdField;

        Layout(Descriptor type) {
            this.type = type;
            this.role = roleOf(type);
            int max = type.getFields().stream()
                    .mapToInt(FieldDescriptor::getNumber)
                    .max()
                    .orElse(0);
            kind = new byte[max + 1];
            wireType = new int[max + 1];
            elementWireType = new int[max + 1];
            packable = new boolean[max + 1];
            dataMember = new boolean[max + 1];
            children = new Layout[max + 1];
            for (FieldDescriptor field : type.getFields()) {
                int number = field.getNumber();
                wireType[number] = field.getLiteType().getWireType();
                elementWireType[number] = field.getLiteType().getWireType();
                packable[number] = field.isPackable();
                kind[number] = switch (field.getJavaType()) {
                    case MESSAGE -> MESSAGE;
                    case STRING -> STRING;
                    case BYTE_STRING -> BYTES;
                    default -> SCALAR;
                };
            }
            if (role == Role.METRIC) {
                for (int number : new int[] {
                    Metric.GAUGE_FIELD_NUMBER,
                    Metric.SUM_FIELD_NUMBER,
                    Metric.HISTOGRAM_FIELD_NUMBER,
                    Metric.EXPONENTIAL_HISTOGRAM_FIELD_NUMBER,
                    Metric.SUMMARY_FIELD_NUMBER
                }) {
                    dataMember[number] = true;
                }
            }
            dataPointsField = role == Role.DATA_CONTAINER ? 1 : -1;
            traceIdField = role == Role.SPAN
                    ? Span.TRACE_ID_FIELD_NUMBER
                    : role == Role.LOG_RECORD ? LogRecord.TRACE_ID_FIELD_NUMBER : -1;
            spanIdField = role == Role.SPAN
                    ? Span.SPAN_ID_FIELD_NUMBER
                    : role == Role.LOG_RECORD ? LogRecord.SPAN_ID_FIELD_NUMBER : -1;
            parentSpanIdField = role == Role.SPAN ? Span.PARENT_SPAN_ID_FIELD_NUMBER : -1;
        }

        private static Role roleOf(Descriptor type) {
            if (type == ExportTraceServiceRequest.getDescriptor()
                    || type == ExportMetricsServiceRequest.getDescriptor()
                    || type == ExportLogsServiceRequest.getDescriptor()) {
                return Role.REQUEST;
            }
            if (type == ResourceSpans.getDescriptor()
                    || type == ResourceMetrics.getDescriptor()
                    || type == ResourceLogs.getDescriptor()) {
                return Role.RESOURCE;
            }
            if (type == ScopeSpans.getDescriptor() || type == ScopeLogs.getDescriptor()) {
                return Role.SCOPE_OF_ITEMS;
            }
            if (type == Span.getDescriptor()) {
                return Role.SPAN;
            }
            if (type == LogRecord.getDescriptor()) {
                return Role.LOG_RECORD;
            }
            if (type == Metric.getDescriptor()) {
                return Role.METRIC;
            }
            if (type == Gauge.getDescriptor()
                    || type == Sum.getDescriptor()
                    || type == Histogram.getDescriptor()
                    || type == ExponentialHistogram.getDescriptor()
                    || type == Summary.getDescriptor()) {
                return Role.DATA_CONTAINER;
            }
            return Role.OTHER;
        }

        /**
         * How to read field {@code number} arriving with {@code wire}: a known kind if that is a wire type the parser
         * reads it with (also packed encoding for repeated scalars), else {@link #UNKNOWN}.
         */
        byte kind(int number, int wire) {
            if (number >= kind.length || kind[number] == UNKNOWN) {
                return UNKNOWN;
            }
            if (wire == wireType[number]) {
                return kind[number];
            }
            return wire == WireFormat.WIRETYPE_LENGTH_DELIMITED && packable[number] ? PACKED : UNKNOWN;
        }

        /** The layout of the message type of field {@code number}, resolved once. */
        Layout child(int number) {
            Layout child = children[number];
            if (child == null) {
                child = layout(type.findFieldByNumber(number).getMessageType());
                children[number] = child;
            }
            return child;
        }
    }
}
