package io.otlpgovernor.rules.pipeline;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * Splits export requests by trace id, keeping each item under its own resource and scope, in the order items
 * arrived. Plain Java.
 */
public final class TraceSplitter {

    private TraceSplitter() {}

    /** The tail-sampling key of a trace: {@code tenant/hex(trace id)}. */
    public static String key(String tenant, ByteString traceId) {
        return tenant + "/" + HexFormat.of().formatHex(traceId.toByteArray());
    }

    /** {@code request}'s spans, one request per trace id. */
    public static Map<ByteString, ExportTraceServiceRequest> spans(ExportTraceServiceRequest request) {
        Map<ByteString, ExportTraceServiceRequest.Builder> traces = new LinkedHashMap<>();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            Map<ByteString, ResourceSpans.Builder> perTrace = new LinkedHashMap<>();
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                Map<ByteString, ScopeSpans.Builder> scopes = new LinkedHashMap<>();
                for (Span span : scope.getSpansList()) {
                    scopes.computeIfAbsent(
                                    span.getTraceId(), t -> scope.toBuilder().clearSpans())
                            .addSpans(span);
                }
                scopes.forEach((trace, built) -> perTrace.computeIfAbsent(
                                trace, t -> resource.toBuilder().clearScopeSpans())
                        .addScopeSpans(built));
            }
            perTrace.forEach(
                    (trace, built) -> traces.computeIfAbsent(trace, t -> ExportTraceServiceRequest.newBuilder())
                            .addResourceSpans(built));
        }
        Map<ByteString, ExportTraceServiceRequest> result = new LinkedHashMap<>();
        traces.forEach((trace, built) -> result.put(trace, built.build()));
        return result;
    }

    /**
     * {@code request}'s log records, one request per trace id; records without a trace id under
     * {@link ByteString#EMPTY}.
     */
    public static Map<ByteString, ExportLogsServiceRequest> logs(ExportLogsServiceRequest request) {
        Map<ByteString, ExportLogsServiceRequest.Builder> traces = new LinkedHashMap<>();
        for (ResourceLogs resource : request.getResourceLogsList()) {
            Map<ByteString, ResourceLogs.Builder> perTrace = new LinkedHashMap<>();
            for (ScopeLogs scope : resource.getScopeLogsList()) {
                Map<ByteString, ScopeLogs.Builder> scopes = new LinkedHashMap<>();
                for (LogRecord record : scope.getLogRecordsList()) {
                    ByteString trace = isZero(record.getTraceId()) ? ByteString.EMPTY : record.getTraceId();
                    scopes.computeIfAbsent(trace, t -> scope.toBuilder().clearLogRecords())
                            .addLogRecords(record);
                }
                scopes.forEach((trace, built) -> perTrace.computeIfAbsent(
                                trace, t -> resource.toBuilder().clearScopeLogs())
                        .addScopeLogs(built));
            }
            perTrace.forEach((trace, built) -> traces.computeIfAbsent(trace, t -> ExportLogsServiceRequest.newBuilder())
                    .addResourceLogs(built));
        }
        Map<ByteString, ExportLogsServiceRequest> result = new LinkedHashMap<>();
        traces.forEach((trace, built) -> result.put(trace, built.build()));
        return result;
    }

    /** An absent or all-zero trace id (OTLP's "no trace"). */
    static boolean isZero(ByteString traceId) {
        for (int i = 0; i < traceId.size(); i++) {
            if (traceId.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
