package io.otlpgovernor.rules.pipeline;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;

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
        return byKey(OtlpTree.partition(request, (span, at) -> span.getTraceId()));
    }

    /**
     * {@code request}'s log records, one request per trace id; records without a trace id under
     * {@link ByteString#EMPTY}.
     */
    public static Map<ByteString, ExportLogsServiceRequest> logs(ExportLogsServiceRequest request) {
        return byKey(OtlpTree.partition(
                request, (record, at) -> isZero(record.getTraceId()) ? ByteString.EMPTY : record.getTraceId()));
    }

    private static <R> Map<ByteString, R> byKey(List<OtlpTree.Part<ByteString, R>> parts) {
        Map<ByteString, R> result = new LinkedHashMap<>();
        parts.forEach(part -> result.put(part.key(), part.request()));
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
