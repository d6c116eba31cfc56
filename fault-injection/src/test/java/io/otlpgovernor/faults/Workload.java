package io.otlpgovernor.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import static org.awaitility.Awaitility.await;

/**
 * A client that sends a numbered set of OTLP trace requests at a steady rate — even-numbered ones over OTLP/HTTP,
 * odd-numbered ones over OTLP/gRPC — and retries each one, as OTLP exporters do, until the bridge acknowledges it:
 * on connection errors, on HTTP 429, 502, 503 and 504, and on the gRPC codes the OTLP specification calls retryable.
 * Request {@code r} holds spans named {@code span-<r>-<i>}, each with an e-mail address attribute that the
 * tenant's rules redact; which requests were acknowledged is recorded.
 */
final class Workload implements AutoCloseable {

    static final String EMAIL_ATTRIBUTE = "user.email";
    private static final Duration GIVE_UP = Duration.ofMinutes(3);

    /**
     * What OTLP exporters retry. They retry RESOURCE_EXHAUSTED only with RetryInfo; these requests are far below the
     * bridge's size limit and the tenant has no rate limit, so here it can only be an overload that passes.
     */
    private static final Set<Status.Code> RETRYABLE_GRPC = Set.of(
            Status.Code.CANCELLED,
            Status.Code.DEADLINE_EXCEEDED,
            Status.Code.ABORTED,
            Status.Code.OUT_OF_RANGE,
            Status.Code.UNAVAILABLE,
            Status.Code.DATA_LOSS,
            Status.Code.RESOURCE_EXHAUSTED);

    private final URI httpEndpoint;
    private final int requests;
    private final int spansPerRequest;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ManagedChannel grpc;
    private final TraceServiceGrpc.TraceServiceBlockingStub traces;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "workload"));
    private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private volatile RuntimeException failure;

    /**
     * @param httpEndpoint the bridge's OTLP/HTTP traces URI
     * @param grpcTarget   the bridge's OTLP/gRPC host:port
     * @param requests     how many requests to send
     * @param rate         requests per second
     */
    Workload(URI httpEndpoint, String grpcTarget, int requests, int spansPerRequest, int rate) {
        this.httpEndpoint = httpEndpoint;
        Metadata bearer = new Metadata();
        bearer.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + BridgeProcess.API_KEY);
        // The channel reconnects by itself when a killed bridge comes back on the same port.
        this.grpc = ManagedChannelBuilder.forTarget(grpcTarget).usePlaintext().build();
        this.traces = TraceServiceGrpc.newBlockingStub(grpc)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer));
        this.requests = requests;
        this.spansPerRequest = spansPerRequest;
        // One thread and a fixed rate: a request that is being retried delays the next ones, as in an exporter's queue.
        scheduler.scheduleAtFixedRate(this::sendNext, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
    }

    private void sendNext() {
        int number = next.getAndIncrement();
        if (number >= requests) {
            scheduler.shutdown();
            return;
        }
        ExportTraceServiceRequest request = request(number);
        try {
            await("request " + number + " acknowledged")
                    .atMost(GIVE_UP)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> number % 2 == 0 ? sendHttp(request.toByteArray()) : sendGrpc(request));
            acknowledged.add(number);
        } catch (RuntimeException e) {
            // A scheduled task that throws is silently never run again: keep the reason for done() to report.
            failure = e;
            scheduler.shutdown();
        }
    }

    /** One OTLP/HTTP attempt: true when acknowledged, false when the answer says to retry; anything else fails the test. */
    private boolean sendHttp(byte[] body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(httpEndpoint)
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + BridgeProcess.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                return true;
            }
            if (status == 429 || status == 502 || status == 503 || status == 504) {
                retries.incrementAndGet();
                return false;
            }
            throw new IllegalStateException("the bridge refused a request for good: HTTP " + status);
        } catch (IOException e) {
            retries.incrementAndGet();
            return false;
        }
    }

    /** One OTLP/gRPC attempt: true when acknowledged, false when the status says to retry; anything else fails the test. */
    private boolean sendGrpc(ExportTraceServiceRequest request) {
        try {
            ExportTraceServiceResponse response =
                    traces.withDeadlineAfter(20, TimeUnit.SECONDS).export(request);
            if (response.hasPartialSuccess() && response.getPartialSuccess().getRejectedSpans() > 0) {
                throw new IllegalStateException("the bridge rejected spans: "
                        + response.getPartialSuccess().getErrorMessage());
            }
            return true;
        } catch (StatusRuntimeException e) {
            if (RETRYABLE_GRPC.contains(e.getStatus().getCode())) {
                retries.incrementAndGet();
                return false;
            }
            throw new IllegalStateException(
                    "the bridge refused a request for good: gRPC "
                            + e.getStatus().getCode(),
                    e);
        }
    }

    /** Request {@code number}: its spans, each in a trace of its own. */
    ExportTraceServiceRequest request(int number) {
        long endNanos = System.currentTimeMillis() * 1_000_000;
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < spansPerRequest; i++) {
            long id = (long) number * spansPerRequest + i + 1;
            scope.addSpans(Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(
                            ByteBuffer.allocate(16).putLong(0x5eed).putLong(id).array()))
                    .setSpanId(ByteString.copyFrom(
                            ByteBuffer.allocate(8).putLong(id).array()))
                    .setName(spanName(number, i))
                    .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                    .setStartTimeUnixNano(endNanos - 5_000_000)
                    .setEndTimeUnixNano(endNanos)
                    .addAttributes(KeyValue.newBuilder()
                            .setKey(EMAIL_ATTRIBUTE)
                            .setValue(AnyValue.newBuilder().setStringValue("user" + id + "@example.com"))));
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
                .build();
    }

    static String spanName(int request, int index) {
        return "span-" + request + "-" + index;
    }

    /** Names of the spans of every acknowledged request. */
    List<String> acknowledgedSpans() {
        List<String> names = new ArrayList<>();
        acknowledged.stream().sorted().forEach(r -> {
            for (int i = 0; i < spansPerRequest; i++) {
                names.add(spanName(r, i));
            }
        });
        return names;
    }

    int acknowledgedRequests() {
        return acknowledged.size();
    }

    /** The share of requests acknowledged so far, 0 to 1. */
    double progress() {
        return acknowledged.size() / (double) requests;
    }

    /** Whether every request was acknowledged; throws when the client gave up on one. */
    boolean done() {
        if (failure != null) {
            throw new IllegalStateException("the client gave up", failure);
        }
        return acknowledged.size() == requests;
    }

    int retries() {
        return retries.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        grpc.shutdownNow();
    }
}
