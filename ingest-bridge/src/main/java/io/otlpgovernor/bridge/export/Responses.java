package io.otlpgovernor.bridge.export;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.otlpgovernor.contract.Signal;

/** The {@code Export*ServiceResponse} for an accepted request: {@code partial_success} set only when items were refused. */
public final class Responses {

    private Responses() {}

    public static Message of(Signal signal, ExportResult.Accepted accepted) {
        boolean partial = accepted.rejectedItems() > 0 || !accepted.message().isEmpty();
        return switch (signal) {
            case SPANS ->
                partial
                        ? ExportTraceServiceResponse.newBuilder()
                                .setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                                        .setRejectedSpans(accepted.rejectedItems())
                                        .setErrorMessage(accepted.message()))
                                .build()
                        : ExportTraceServiceResponse.getDefaultInstance();
            case METRICS ->
                partial
                        ? ExportMetricsServiceResponse.newBuilder()
                                .setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                                        .setRejectedDataPoints(accepted.rejectedItems())
                                        .setErrorMessage(accepted.message()))
                                .build()
                        : ExportMetricsServiceResponse.getDefaultInstance();
            case LOGS ->
                partial
                        ? ExportLogsServiceResponse.newBuilder()
                                .setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                                        .setRejectedLogRecords(accepted.rejectedItems())
                                        .setErrorMessage(accepted.message()))
                                .build()
                        : ExportLogsServiceResponse.getDefaultInstance();
        };
    }
}
