package io.otlpgovernor.contract.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.tree.DataPoints;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.contract.otlp.tree.TreePosition;

/**
 * Decodes and checks serialized OTLP export requests ({@code Export{Trace,Metrics,Logs}ServiceRequest}).
 *
 * <p>A payload is valid when it parses as the signal's request message, carries no unknown top-level fields (the
 * request messages have had exactly one field since OTLP 1.0, so anything else there means a wrong message type or
 * junk that happened to parse), and every span and log record has identifiers of the lengths the OTLP specification
 * requires. An empty payload is a valid, empty request.
 */
public final class OtlpPayloads {

    private static final int TRACE_ID_BYTES = 16;
    private static final int SPAN_ID_BYTES = 8;

    private OtlpPayloads() {}

    /**
     * A checked request and what it holds.
     *
     * @param request an {@code Export*ServiceRequest} of the summary's signal
     * @param summary what it holds
     */
    public record Parsed(Message request, PayloadSummary summary) {}

    /** Parses {@code payload} as a request of {@code signal}, checks it, and counts what it holds. */
    public static PayloadSummary summarize(Signal signal, byte[] payload) throws InvalidPayloadException {
        return parse(signal, payload).summary();
    }

    /** Parses {@code payload} as a request of {@code signal} and checks it; the request comes back with its summary. */
    public static Parsed parse(Signal signal, byte[] payload) throws InvalidPayloadException {
        return switch (signal) {
            case SPANS -> {
                ExportTraceServiceRequest request = checkTopLevel(signal, parseSpans(payload));
                yield new Parsed(request, summarizeSpans(request));
            }
            case METRICS -> {
                ExportMetricsServiceRequest request = checkTopLevel(signal, parseMetrics(payload));
                yield new Parsed(request, summarizeMetrics(request));
            }
            case LOGS -> {
                ExportLogsServiceRequest request = checkTopLevel(signal, parseLogs(payload));
                yield new Parsed(request, summarizeLogs(request));
            }
        };
    }

    private static ExportTraceServiceRequest parseSpans(byte[] payload) throws InvalidPayloadException {
        try {
            return ExportTraceServiceRequest.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw notParseable(Signal.SPANS, e);
        }
    }

    private static ExportMetricsServiceRequest parseMetrics(byte[] payload) throws InvalidPayloadException {
        try {
            return ExportMetricsServiceRequest.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw notParseable(Signal.METRICS, e);
        }
    }

    private static ExportLogsServiceRequest parseLogs(byte[] payload) throws InvalidPayloadException {
        try {
            return ExportLogsServiceRequest.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw notParseable(Signal.LOGS, e);
        }
    }

    private static InvalidPayloadException notParseable(Signal signal, InvalidProtocolBufferException e) {
        // Protobuf's messages describe the wire problem (truncation, bad tag) and never echo field content.
        return new InvalidPayloadException("not a valid " + requestName(signal) + ": " + e.getMessage());
    }

    private static <M extends Message> M checkTopLevel(Signal signal, M request) throws InvalidPayloadException {
        if (!request.getUnknownFields().asMap().isEmpty()) {
            throw new InvalidPayloadException(
                    "not a valid " + requestName(signal) + ": unknown top-level field number(s) "
                            + request.getUnknownFields().asMap().keySet());
        }
        return request;
    }

    private static PayloadSummary summarizeSpans(ExportTraceServiceRequest request) throws InvalidPayloadException {
        String[] first = {null};
        OtlpTree.forEach(request, (span, at) -> first[0] = first[0] != null ? first[0] : spanProblem(span, at));
        throwIf(first[0]);
        return new PayloadSummary(Signal.SPANS, request.getResourceSpansCount(), OtlpTree.count(request));
    }

    private static PayloadSummary summarizeMetrics(ExportMetricsServiceRequest request) {
        return new PayloadSummary(Signal.METRICS, request.getResourceMetricsCount(), OtlpTree.count(request));
    }

    /** Data points of one metric; a metric without data (no type set) counts zero. */
    public static int dataPointCount(Metric metric) {
        return DataPoints.count(metric);
    }

    private static PayloadSummary summarizeLogs(ExportLogsServiceRequest request) throws InvalidPayloadException {
        String[] first = {null};
        OtlpTree.forEach(
                request, (record, at) -> first[0] = first[0] != null ? first[0] : logRecordProblem(record, at));
        throwIf(first[0]);
        return new PayloadSummary(Signal.LOGS, request.getResourceLogsCount(), OtlpTree.count(request));
    }

    private static void throwIf(String problem) throws InvalidPayloadException {
        if (problem != null) {
            throw new InvalidPayloadException(problem);
        }
    }

    /**
     * What is wrong with the identifiers of the span at {@code at} of a walk, starting with its field path in the
     * request ({@code resource_spans[r].scope_spans[s].spans[i].trace_id: must be 16 bytes, got 3}); null when
     * nothing is.
     */
    public static String spanProblem(Span span, TreePosition at) {
        String path = "resource_spans[" + at.resourceIndex() + "].scope_spans[" + at.scopeIndex() + "].spans["
                + at.itemInContainer() + "]";
        String problem = lengthProblem(span.getTraceId(), TRACE_ID_BYTES, false, path + ".trace_id");
        if (problem == null) {
            problem = lengthProblem(span.getSpanId(), SPAN_ID_BYTES, false, path + ".span_id");
        }
        return problem != null
                ? problem
                : lengthProblem(span.getParentSpanId(), SPAN_ID_BYTES, true, path + ".parent_span_id");
    }

    /** As {@link #spanProblem}, for the log record at {@code at}. */
    public static String logRecordProblem(LogRecord record, TreePosition at) {
        String path = "resource_logs[" + at.resourceIndex() + "].scope_logs[" + at.scopeIndex() + "].log_records["
                + at.itemInContainer() + "]";
        String problem = lengthProblem(record.getTraceId(), TRACE_ID_BYTES, true, path + ".trace_id");
        return problem != null ? problem : lengthProblem(record.getSpanId(), SPAN_ID_BYTES, true, path + ".span_id");
    }

    private static String lengthProblem(ByteString id, int expected, boolean mayBeEmpty, String path) {
        int actual = id.size();
        if (actual == expected || (actual == 0 && mayBeEmpty)) {
            return null;
        }
        return path + ": must be " + expected + " bytes" + (mayBeEmpty ? " or empty" : "") + ", got " + actual;
    }

    private static String requestName(Signal signal) {
        return switch (signal) {
            case SPANS -> "ExportTraceServiceRequest";
            case METRICS -> "ExportMetricsServiceRequest";
            case LOGS -> "ExportLogsServiceRequest";
        };
    }
}
