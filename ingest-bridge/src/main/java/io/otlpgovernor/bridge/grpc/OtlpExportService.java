package io.otlpgovernor.bridge.grpc;

import java.util.concurrent.CompletionException;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.otlpgovernor.bridge.auth.TenantAuthInterceptor;
import io.otlpgovernor.bridge.kafka.KafkaForwarder;
import io.otlpgovernor.rules.otlp.InvalidPayloadException;
import io.otlpgovernor.rules.otlp.OtlpPayloads;
import io.otlpgovernor.rules.signal.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OTLP export service (traces, metrics or logs) over gRPC.
 *
 * <p>The request arrives as raw bytes; it is checked to be a valid OTLP request (else {@code INVALID_ARGUMENT},
 * which clients do not retry) and then forwarded unchanged to Kafka. The client gets OK only once Kafka has
 * acknowledged the write; any Kafka failure answers {@code UNAVAILABLE}, which OTLP clients retry.
 */
public final class OtlpExportService<RespT extends Message> {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpExportService.class);

    private final Signal signal;
    private final MethodDescriptor<?, RespT> generatedMethod;
    private final RespT success;
    private final KafkaForwarder forwarder;

    private OtlpExportService(Signal signal, MethodDescriptor<?, RespT> generatedMethod, RespT success, KafkaForwarder forwarder) {
        this.signal = signal;
        this.generatedMethod = generatedMethod;
        this.success = success;
        this.forwarder = forwarder;
    }

    /** The three OTLP export services, all writing through {@code forwarder}. */
    public static ServerServiceDefinition[] all(KafkaForwarder forwarder) {
        return new ServerServiceDefinition[] {
            new OtlpExportService<>(Signal.SPANS, TraceServiceGrpc.getExportMethod(),
                    ExportTraceServiceResponse.getDefaultInstance(), forwarder).definition(),
            new OtlpExportService<>(Signal.METRICS, MetricsServiceGrpc.getExportMethod(),
                    ExportMetricsServiceResponse.getDefaultInstance(), forwarder).definition(),
            new OtlpExportService<>(Signal.LOGS, LogsServiceGrpc.getExportMethod(),
                    ExportLogsServiceResponse.getDefaultInstance(), forwarder).definition(),
        };
    }

    ServerServiceDefinition definition() {
        MethodDescriptor<byte[], RespT> method = generatedMethod.toBuilder(
                RawBytesMarshaller.INSTANCE, generatedMethod.getResponseMarshaller()).build();
        return ServerServiceDefinition.builder(generatedMethod.getServiceName())
                .addMethod(method, ServerCalls.asyncUnaryCall(this::export))
                .build();
    }

    private void export(byte[] request, StreamObserver<RespT> response) {
        String tenant = TenantAuthInterceptor.TENANT.get();
        try {
            OtlpPayloads.summarize(signal, request);
        } catch (InvalidPayloadException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        forwarder.forward(signal, tenant, request).whenComplete((metadata, error) -> {
            if (error == null) {
                response.onNext(success);
                response.onCompleted();
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                LOG.warn("Kafka did not take a {} request of tenant {}: {}", signal.id(), tenant, cause.toString());
                response.onError(Status.UNAVAILABLE
                        .withDescription("the request could not be stored durably; retry later")
                        .asRuntimeException());
            }
        });
    }
}
