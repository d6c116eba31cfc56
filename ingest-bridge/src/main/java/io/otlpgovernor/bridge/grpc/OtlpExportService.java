package io.otlpgovernor.bridge.grpc;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.otlpgovernor.bridge.auth.TenantAuthInterceptor;
import io.otlpgovernor.bridge.export.ExportPipeline;
import io.otlpgovernor.bridge.export.ExportResult;
import io.otlpgovernor.bridge.export.Refusal;
import io.otlpgovernor.bridge.export.Responses;
import io.otlpgovernor.bridge.limits.InFlightLimit;
import io.otlpgovernor.bridge.ops.BridgeMetrics;
import io.otlpgovernor.contract.Signal;

/**
 * One OTLP export service (traces, metrics or logs) over gRPC.
 *
 * <p>The request arrives as raw bytes (already authenticated by {@link TenantAuthInterceptor}, and within the
 * server's message size limit after decompression) and goes through the {@link ExportPipeline}; its result becomes
 * the response or a status from {@link GrpcAnswers}. The client gets OK only once Kafka has acknowledged the write.
 */
public final class OtlpExportService {

    private final Signal signal;
    private final MethodDescriptor<?, ?> generatedMethod;
    private final ExportPipeline pipeline;
    private final InFlightLimit inFlight;
    private final BridgeMetrics metrics;

    private OtlpExportService(
            Signal signal,
            MethodDescriptor<?, ?> generatedMethod,
            ExportPipeline pipeline,
            InFlightLimit inFlight,
            BridgeMetrics metrics) {
        this.signal = signal;
        this.generatedMethod = generatedMethod;
        this.pipeline = pipeline;
        this.inFlight = inFlight;
        this.metrics = metrics;
    }

    /** The three OTLP export services. */
    public static ServerServiceDefinition[] all(
            ExportPipeline pipeline, InFlightLimit inFlight, BridgeMetrics metrics) {
        return new ServerServiceDefinition[] {
            new OtlpExportService(Signal.SPANS, TraceServiceGrpc.getExportMethod(), pipeline, inFlight, metrics)
                    .definition(),
            new OtlpExportService(Signal.METRICS, MetricsServiceGrpc.getExportMethod(), pipeline, inFlight, metrics)
                    .definition(),
            new OtlpExportService(Signal.LOGS, LogsServiceGrpc.getExportMethod(), pipeline, inFlight, metrics)
                    .definition(),
        };
    }

    ServerServiceDefinition definition() {
        MethodDescriptor<byte[], Message> method = MethodDescriptor.<byte[], Message>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(generatedMethod.getFullMethodName())
                .setRequestMarshaller(RawBytesMarshaller.INSTANCE)
                .setResponseMarshaller(ResponseMarshaller.INSTANCE)
                .build();
        return ServerServiceDefinition.builder(generatedMethod.getServiceName())
                .addMethod(method, ServerCalls.asyncUnaryCall(this::export))
                .build();
    }

    private void export(byte[] request, StreamObserver<Message> response) {
        long start = System.nanoTime();
        String tenant = TenantAuthInterceptor.TENANT.get();
        if (request == RawBytesMarshaller.TOO_LARGE) {
            answer(
                    response,
                    tenant,
                    0,
                    start,
                    ExportResult.Refused.finalAnswer(
                            Refusal.TOO_LARGE, "the request is larger than the limit once decompressed"));
            return;
        }
        if (!inFlight.tryAcquire()) {
            answer(
                    response,
                    tenant,
                    request.length,
                    start,
                    new ExportResult.Refused(
                            Refusal.OVERLOADED, "too many requests at once; retry later", pipeline.retryAfter()));
            return;
        }
        pipeline.export(signal, tenant, request).whenComplete((result, error) -> {
            inFlight.release();
            answer(
                    response,
                    tenant,
                    request.length,
                    start,
                    result != null
                            ? result
                            : new ExportResult.Refused(
                                    Refusal.KAFKA_UNAVAILABLE, "internal error; retry later", pipeline.retryAfter()));
        });
    }

    private void answer(StreamObserver<Message> response, String tenant, long bytes, long start, ExportResult result) {
        metrics.answered("grpc", signal.id(), tenant, result, bytes, start);
        if (result instanceof ExportResult.Accepted accepted) {
            response.onNext(Responses.of(signal, accepted));
            response.onCompleted();
        } else {
            response.onError(GrpcAnswers.of((ExportResult.Refused) result));
        }
    }
}
