package io.otlpgovernor.faults;

import static org.awaitility.Awaitility.await;

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
import java.util.function.Supplier;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A client that sends a numbered set of OTLP/HTTP trace requests at a steady rate and retries each one, as OTLP
 * exporters do, on connection errors and retryable answers (429, 502, 503, 504) until the bridge acknowledges it.
 * Request {@code r} holds spans named {@code span-<r>-<i>}, each with an e-mail address attribute that the
 * tenant's rules redact; which requests were acknowledged is recorded.
 */
final class Workload implements AutoCloseable {

    static final String EMAIL_ATTRIBUTE = "user.email";
    private static final Duration GIVE_UP = Duration.ofMinutes(3);

    private final Supplier<URI> endpoint;
    private final int requests;
    private final int spansPerRequest;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "workload"));
    private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private volatile RuntimeException failure;

    /**
     * @param endpoint the bridge's traces URI, asked again on every attempt
     * @param requests how many requests to send
     * @param rate     requests per second
     */
    Workload(Supplier<URI> endpoint, int requests, int spansPerRequest, int rate) {
        this.endpoint = endpoint;
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
        byte[] body = request(number).toByteArray();
        try {
            await("request " + number + " acknowledged").atMost(GIVE_UP).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .until(() -> send(body));
            acknowledged.add(number);
        } catch (RuntimeException e) {
            // A scheduled task that throws is silently never run again: keep the reason for done() to report.
            failure = e;
            scheduler.shutdown();
        }
    }

    /** One attempt: true when acknowledged, false when the answer says to retry; anything else is a test failure. */
    private boolean send(byte[] body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint.get())
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + BridgeProcess.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
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

    /** Request {@code number}: its spans, each in a trace of its own. */
    ExportTraceServiceRequest request(int number) {
        long endNanos = System.currentTimeMillis() * 1_000_000;
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < spansPerRequest; i++) {
            long id = (long) number * spansPerRequest + i + 1;
            scope.addSpans(Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x5eed).putLong(id).array()))
                    .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
                    .setName(spanName(number, i))
                    .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                    .setStartTimeUnixNano(endNanos - 5_000_000)
                    .setEndTimeUnixNano(endNanos)
                    .addAttributes(KeyValue.newBuilder().setKey(EMAIL_ATTRIBUTE)
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
    }
}
