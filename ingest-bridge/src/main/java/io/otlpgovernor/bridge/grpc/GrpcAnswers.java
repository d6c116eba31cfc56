package io.otlpgovernor.bridge.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.otlpgovernor.bridge.export.ExportResult;

/**
 * gRPC statuses for refused requests, as the OTLP specification asks: retryable refusals carry
 * {@code google.rpc.RetryInfo} (which also makes {@code RESOURCE_EXHAUSTED} retryable for throttling), invalid data
 * carries {@code google.rpc.BadRequest}, and a request too large carries nothing, so it is not retried.
 */
final class GrpcAnswers {

    private GrpcAnswers() {}

    static StatusRuntimeException of(ExportResult.Refused refused) {
        Code code = switch (refused.reason()) {
            case UNAUTHENTICATED -> Code.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Code.PERMISSION_DENIED;
            case INVALID, UNSUPPORTED_MEDIA_TYPE -> Code.INVALID_ARGUMENT;
            case TOO_LARGE, THROTTLED -> Code.RESOURCE_EXHAUSTED;
            case OVERLOADED, KAFKA_UNAVAILABLE -> Code.UNAVAILABLE;
            case DEADLINE -> Code.DEADLINE_EXCEEDED;
        };
        com.google.rpc.Status.Builder status =
                com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(refused.message());
        if (refused.reason().retryable() && refused.retryAfter() != null) {
            status.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                            .setSeconds(refused.retryAfter().toSeconds()))
                    .build()));
        }
        if (code == Code.INVALID_ARGUMENT) {
            status.addDetails(Any.pack(BadRequest.newBuilder()
                    .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                            .setField(fieldOf(refused.message()))
                            .setDescription(refused.message()))
                    .build()));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /** The field path a validation message starts with ({@code resource_spans[0]...span_id: ...}), or empty. */
    private static String fieldOf(String message) {
        int colon = message.indexOf(": ");
        String head = colon < 0 ? "" : message.substring(0, colon);
        return head.matches("[a-z_]+(\\[\\d+])?(\\.[a-z_]+(\\[\\d+])?)*") ? head : "";
    }
}
