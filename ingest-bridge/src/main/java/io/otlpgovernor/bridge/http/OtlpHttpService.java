package io.otlpgovernor.bridge.http;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.bridge.auth.Authenticator;
import io.otlpgovernor.bridge.export.ExportPipeline;
import io.otlpgovernor.bridge.export.ExportResult;
import io.otlpgovernor.bridge.export.Refusal;
import io.otlpgovernor.bridge.export.Responses;
import io.otlpgovernor.bridge.limits.InFlightLimit;
import io.otlpgovernor.bridge.ops.BridgeMetrics;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.InvalidPayloadException;
import io.otlpgovernor.contract.otlp.json.OtlpJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/traces}, {@code /v1/metrics} or {@code /v1/logs}: one OTLP/HTTP export endpoint.
 *
 * <p>In this order, each step before the next reads anything more: method (405), content type (415, protobuf or
 * JSON), content encoding (415, identity or gzip), credentials (401/403), a free slot among the concurrent requests
 * (503); then the body, bounded before decompression by the server and after it here (413); JSON becomes protobuf
 * (400 if it is not OTLP/JSON); and the {@link ExportPipeline} decides the rest. The body work runs on the blocking
 * executor, never on the event loop.
 */
public final class OtlpHttpService implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpService.class);

    private final Signal signal;
    private final Authenticator authenticator;
    private final ExportPipeline pipeline;
    private final InFlightLimit inFlight;
    private final BridgeMetrics metrics;
    private final int maxBodyBytes;

    public OtlpHttpService(
            Signal signal,
            Authenticator authenticator,
            ExportPipeline pipeline,
            InFlightLimit inFlight,
            BridgeMetrics metrics,
            int maxBodyBytes) {
        this.signal = signal;
        this.authenticator = authenticator;
        this.pipeline = pipeline;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The path this endpoint serves. */
    public static String pathOf(Signal signal) {
        return switch (signal) {
            case SPANS -> "/v1/traces";
            case METRICS -> "/v1/metrics";
            case LOGS -> "/v1/logs";
        };
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        long start = System.nanoTime();
        RequestHeaders headers = req.headers();
        BodyEncoding encoding = BodyEncoding.of(headers.contentType());
        if (headers.method() != HttpMethod.POST) {
            AggregatedHttpResponse refused =
                    HttpAnswers.failure(encoding, HttpStatus.METHOD_NOT_ALLOWED, "use POST", null);
            return HttpResponse.of(
                    refused.headers().toBuilder()
                            .add(HttpHeaderNames.ALLOW, "POST")
                            .build(),
                    refused.content());
        }
        if (encoding == null) {
            return refuse(
                    null,
                    null,
                    start,
                    Refusal.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/x-protobuf or application/json");
        }
        String contentEncoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
        boolean gzip = "gzip".equalsIgnoreCase(contentEncoding);
        if (contentEncoding != null && !gzip && !"identity".equalsIgnoreCase(contentEncoding)) {
            return refuse(
                    encoding, null, start, Refusal.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding must be gzip or identity");
        }
        Authenticator.Result auth = authenticator.authenticate(
                headers.get(HttpHeaderNames.AUTHORIZATION), headers.get("x-api-key"), ctx.sslSession());
        if (auth instanceof Authenticator.Denied denied) {
            LOG.info("Refused an HTTP request from {}: {}", ctx.remoteAddress(), denied.message());
            return refuse(encoding, null, start, denied.reason(), denied.message());
        }
        String tenant = ((Authenticator.Authenticated) auth).tenant();
        if (!inFlight.tryAcquire()) {
            return answer(
                    encoding,
                    tenant,
                    0,
                    start,
                    new ExportResult.Refused(
                            Refusal.OVERLOADED, "too many requests at once; retry later", pipeline.retryAfter()));
        }
        CompletableFuture<HttpResponse> response = req.aggregate()
                .thenApplyAsync(body -> decode(body, encoding, gzip), ctx.blockingTaskExecutor())
                .thenCompose(decoded -> decoded.refusal() != null
                        ? CompletableFuture.completedFuture(new Outcome(0, decoded.refusal()))
                        : pipeline.export(signal, tenant, decoded.protobuf())
                                .thenApply(r -> new Outcome(decoded.protobuf().length, r)))
                .handle((outcome, error) -> {
                    inFlight.release();
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause()
                                : error;
                        if (cause instanceof ContentTooLargeException) {
                            return answer(encoding, tenant, 0, start, tooLarge());
                        }
                        throw new CompletionException(cause); // the client went away; Armeria resets the stream
                    }
                    return answer(encoding, tenant, outcome.bytes(), start, outcome.result());
                });
        return HttpResponse.of(response);
    }

    private record Outcome(long bytes, ExportResult result) {}

    /** A body turned into protobuf bytes, or the reason it could not be. */
    private record Decoded(byte[] protobuf, ExportResult.Refused refusal) {
        static Decoded refused(ExportResult.Refused refused) {
            return new Decoded(null, refused);
        }
    }

    private Decoded decode(AggregatedHttpRequest body, BodyEncoding encoding, boolean gzip) {
        byte[] bytes = body.content().array();
        if (gzip) {
            try {
                bytes = BoundedGzip.decompress(bytes, maxBodyBytes);
            } catch (BoundedGzip.TooLarge e) {
                return Decoded.refused(tooLarge());
            } catch (IOException e) {
                return Decoded.refused(ExportResult.Refused.finalAnswer(Refusal.INVALID, "the body is not valid gzip"));
            }
        } else if (bytes.length > maxBodyBytes) {
            return Decoded.refused(tooLarge());
        }
        if (encoding == BodyEncoding.PROTOBUF) {
            return new Decoded(bytes, null);
        }
        try {
            return new Decoded(parseJson(bytes).toByteArray(), null);
        } catch (InvalidPayloadException e) {
            return Decoded.refused(ExportResult.Refused.finalAnswer(Refusal.INVALID, e.getMessage()));
        }
    }

    private Message parseJson(byte[] json) throws InvalidPayloadException {
        return switch (signal) {
            case SPANS -> OtlpJson.parse(json, ExportTraceServiceRequest.getDefaultInstance());
            case METRICS -> OtlpJson.parse(json, ExportMetricsServiceRequest.getDefaultInstance());
            case LOGS -> OtlpJson.parse(json, ExportLogsServiceRequest.getDefaultInstance());
        };
    }

    private ExportResult.Refused tooLarge() {
        return ExportResult.Refused.finalAnswer(
                Refusal.TOO_LARGE, "the body is larger than " + maxBodyBytes + " bytes after decompression");
    }

    private HttpResponse refuse(BodyEncoding encoding, String tenant, long start, Refusal reason, String message) {
        return answer(
                encoding,
                tenant,
                0,
                start,
                new ExportResult.Refused(reason, message, reason.retryable() ? pipeline.retryAfter() : null));
    }

    private HttpResponse answer(BodyEncoding encoding, String tenant, long bytes, long start, ExportResult result) {
        metrics.answered("http", signal.id(), tenant, result, bytes, start);
        AggregatedHttpResponse response = result instanceof ExportResult.Accepted accepted
                ? HttpAnswers.success(encoding, Responses.of(signal, accepted))
                : HttpAnswers.refused(encoding, (ExportResult.Refused) result);
        return response.toHttpResponse();
    }
}
