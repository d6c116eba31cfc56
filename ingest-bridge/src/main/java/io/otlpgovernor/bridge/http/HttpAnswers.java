package io.otlpgovernor.bridge.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import io.otlpgovernor.bridge.export.ExportResult;
import io.otlpgovernor.contract.otlp.json.OtlpJson;

/**
 * OTLP/HTTP answers: the export response with status 200, or a failure status with a {@code google.rpc.Status}
 * body, both in the request's encoding, and {@code Retry-After} (whole seconds) on retryable refusals.
 */
final class HttpAnswers {

    private HttpAnswers() {}

    static AggregatedHttpResponse success(BodyEncoding encoding, Message response) {
        byte[] body = encoding == BodyEncoding.JSON
                ? OtlpJson.print(response).getBytes(StandardCharsets.UTF_8)
                : response.toByteArray();
        return AggregatedHttpResponse.of(HttpStatus.OK, encoding.mediaType(), body);
    }

    static AggregatedHttpResponse refused(BodyEncoding encoding, ExportResult.Refused refused) {
        return failure(
                encoding,
                HttpStatus.valueOf(refused.reason().httpStatus()),
                refused.message(),
                refused.reason().retryable() ? refused.retryAfter() : null);
    }

    /** A failure with a {@code google.rpc.Status} body whose message is {@code message}. */
    static AggregatedHttpResponse failure(
            BodyEncoding encoding, HttpStatus status, String message, Duration retryAfter) {
        BodyEncoding bodyEncoding = encoding == null ? BodyEncoding.PROTOBUF : encoding;
        com.google.rpc.Status body =
                com.google.rpc.Status.newBuilder().setMessage(message).build();
        ResponseHeadersBuilder headers = ResponseHeaders.builder(status).contentType(bodyEncoding.mediaType());
        if (retryAfter != null) {
            headers.add(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        return AggregatedHttpResponse.of(headers.build(), HttpData.wrap(encode(bodyEncoding, body)));
    }

    private static byte[] encode(BodyEncoding encoding, com.google.rpc.Status status) {
        if (encoding == BodyEncoding.PROTOBUF) {
            return status.toByteArray();
        }
        try {
            return JsonFormat.printer()
                    .omittingInsignificantWhitespace()
                    .print(status)
                    .getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a Status without details always prints", e);
        }
    }
}
