package io.otlpgovernor.bridge.export;

import java.util.Optional;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.InvalidPayloadException;
import io.otlpgovernor.contract.otlp.OtlpPayloads;

/**
 * Splits a request that {@link OtlpPayloads} refused into its valid items and the rest, for an OTLP partial
 * success. Only spans and log records can be invalid on their own (identifiers of the wrong length); a request that
 * does not parse, has unknown top-level fields, or is metrics, is refused whole.
 *
 * <p>Each item is checked by {@link OtlpPayloads} itself, as a request holding that item alone, so the rules stay in
 * one place. This path re-encodes the request; valid requests never take it and are forwarded byte for byte.
 */
final class PartialRequests {

    private static final String SINGLE_SPAN_PATH = "resource_spans[0].scope_spans[0].spans[0]";
    private static final String SINGLE_LOG_PATH = "resource_logs[0].scope_logs[0].log_records[0]";

    /**
     * @param payload   the request without its invalid items
     * @param kept      items in {@code payload}
     * @param rejected  items removed
     * @param firstProblem what is wrong with the first removed item, and where in the original request
     */
    record Split(byte[] payload, long kept, long rejected, String firstProblem) {}

    private PartialRequests() {}

    static Optional<Split> keepValid(Signal signal, byte[] payload) {
        try {
            return switch (signal) {
                case SPANS -> Optional.of(keepValidSpans(ExportTraceServiceRequest.parseFrom(payload)));
                case LOGS -> Optional.of(keepValidLogs(ExportLogsServiceRequest.parseFrom(payload)));
                case METRICS -> Optional.empty();
            };
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    private static Split keepValidSpans(ExportTraceServiceRequest request) {
        ExportTraceServiceRequest.Builder kept = ExportTraceServiceRequest.newBuilder();
        long keptItems = 0;
        long rejected = 0;
        String first = null;
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans resource = request.getResourceSpans(r);
            ResourceSpans.Builder keptResource = resource.toBuilder().clearScopeSpans();
            for (int s = 0; s < resource.getScopeSpansCount(); s++) {
                ScopeSpans scope = resource.getScopeSpans(s);
                ScopeSpans.Builder keptScope = scope.toBuilder().clearSpans();
                for (int i = 0; i < scope.getSpansCount(); i++) {
                    Span span = scope.getSpans(i);
                    byte[] alone = ExportTraceServiceRequest.newBuilder()
                            .addResourceSpans(ResourceSpans.newBuilder()
                                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
                            .build()
                            .toByteArray();
                    String problem = problem(Signal.SPANS, alone);
                    if (problem == null) {
                        keptScope.addSpans(span);
                        keptItems++;
                    } else {
                        rejected++;
                        first = first != null
                                ? first
                                : problem.replace(
                                        SINGLE_SPAN_PATH,
                                        "resource_spans[" + r + "].scope_spans[" + s + "].spans[" + i + "]");
                    }
                }
                keptResource.addScopeSpans(keptScope);
            }
            kept.addResourceSpans(keptResource);
        }
        return new Split(kept.build().toByteArray(), keptItems, rejected, first);
    }

    private static Split keepValidLogs(ExportLogsServiceRequest request) {
        ExportLogsServiceRequest.Builder kept = ExportLogsServiceRequest.newBuilder();
        long keptItems = 0;
        long rejected = 0;
        String first = null;
        for (int r = 0; r < request.getResourceLogsCount(); r++) {
            ResourceLogs resource = request.getResourceLogs(r);
            ResourceLogs.Builder keptResource = resource.toBuilder().clearScopeLogs();
            for (int s = 0; s < resource.getScopeLogsCount(); s++) {
                ScopeLogs scope = resource.getScopeLogs(s);
                ScopeLogs.Builder keptScope = scope.toBuilder().clearLogRecords();
                for (int i = 0; i < scope.getLogRecordsCount(); i++) {
                    LogRecord log = scope.getLogRecords(i);
                    byte[] alone = ExportLogsServiceRequest.newBuilder()
                            .addResourceLogs(ResourceLogs.newBuilder()
                                    .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(log)))
                            .build()
                            .toByteArray();
                    String problem = problem(Signal.LOGS, alone);
                    if (problem == null) {
                        keptScope.addLogRecords(log);
                        keptItems++;
                    } else {
                        rejected++;
                        first = first != null
                                ? first
                                : problem.replace(
                                        SINGLE_LOG_PATH,
                                        "resource_logs[" + r + "].scope_logs[" + s + "].log_records[" + i + "]");
                    }
                }
                keptResource.addScopeLogs(keptScope);
            }
            kept.addResourceLogs(keptResource);
        }
        return new Split(kept.build().toByteArray(), keptItems, rejected, first);
    }

    private static String problem(Signal signal, byte[] single) {
        try {
            OtlpPayloads.summarize(signal, single);
            return null;
        } catch (InvalidPayloadException e) {
            return e.getMessage();
        }
    }
}
