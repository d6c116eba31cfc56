package io.otlpgovernor.bridge.http;

import java.time.Duration;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Gives the answers Armeria makes itself — 404 for an unknown path, 413 for a body over the raw size limit, 503 when
 * a request outlives the server's timeout — the same {@code google.rpc.Status} body as the bridge's own, and
 * {@code Retry-After} on the 503.
 */
final class HttpErrorHandler implements ServerErrorHandler {

    private final Duration retryAfter;

    HttpErrorHandler(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        return null; // Armeria's default: 500 for exceptions, which the bridge's services do not throw
    }

    @Override
    public AggregatedHttpResponse renderStatus(
            ServiceRequestContext ctx,
            ServiceConfig config,
            RequestHeaders headers,
            HttpStatus status,
            String description,
            Throwable cause) {
        BodyEncoding encoding = headers == null ? null : BodyEncoding.of(headers.contentType());
        String message = description != null ? description : status.reasonPhrase();
        return HttpAnswers.failure(
                encoding, status, message, status == HttpStatus.SERVICE_UNAVAILABLE ? retryAfter : null);
    }
}
