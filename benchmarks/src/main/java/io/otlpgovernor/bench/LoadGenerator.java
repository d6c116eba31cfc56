package io.otlpgovernor.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A load generator for any OTLP endpoint — the bridge, or an OpenTelemetry Collector to compare with. It sends one
 * set of prepared trace export requests (realistic spans with a dozen attributes each, different values in each
 * request, so compression sees varied data as it would from real services) in turn over OTLP/gRPC or OTLP/HTTP
 * (protobuf), either as fast as {@code --concurrency} requests in flight allow, or open-loop at
 * {@code --rate} requests per second, and reports throughput, answers by status and latency percentiles.
 *
 * <p>Open-loop: each request has an intended start time, and its latency counts from then, so a slow server cannot
 * hide its queueing delay by slowing the generator down (no coordinated omission).
 *
 * <pre>
 * java -cp … io.otlpgovernor.bench.LoadGenerator --transport grpc --target localhost:4317 \
 *     --key acme-demo-key-0001 --spans-per-request 100 --rate 100 --duration 30s
 * </pre>
 */
public final class LoadGenerator implements AutoCloseable {

    /**
     * @param transport       {@code grpc} or {@code http}
     * @param target          {@code host:port}
     * @param apiKey          sent as {@code authorization: Bearer <key>}
     * @param requests        the serialized {@code ExportTraceServiceRequest}s to send, in turn
     * @param spansPerRequest spans in each request, for the span rate
     * @param rate            requests per second; 0 means as fast as {@code concurrency} allows
     * @param concurrency     requests in flight at most
     * @param duration        how long to measure
     * @param warmup          how long to send before measuring
     */
    public record Settings(
            String transport,
            String target,
            String apiKey,
            List<byte[]> requests,
            int spansPerRequest,
            double rate,
            int concurrency,
            Duration duration,
            Duration warmup) {}

    /**
     * @param ok          requests answered with success
     * @param failures    other answers, by gRPC status code or HTTP status
     * @param seconds     measured wall time
     * @param latencyMicros sorted latencies of the measured requests
     */
    public record Report(
            long ok, Map<String, Long> failures, double seconds, int spansPerRequest, long[] latencyMicros) {
        public double requestsPerSecond() {
            return ok / seconds;
        }

        public double spansPerSecond() {
            return ok * (double) spansPerRequest / seconds;
        }

        /** The latency at {@code quantile} (0–1), in milliseconds. */
        public double latencyMillis(double quantile) {
            if (latencyMicros.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(latencyMicros.length - 1, Math.ceil(quantile * latencyMicros.length) - 1);
            return latencyMicros[Math.max(0, index)] / 1000.0;
        }

        @Override
        public String toString() {
            return String.format(
                    "%d ok in %.1f s: %.0f requests/s, %.0f spans/s; latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms;"
                            + " failures %s",
                    ok,
                    seconds,
                    requestsPerSecond(),
                    spansPerSecond(),
                    latencyMillis(0.5),
                    latencyMillis(0.99),
                    latencyMillis(0.999),
                    failures);
        }
    }

    private static final MethodDescriptor<byte[], byte[]> EXPORT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
            .setRequestMarshaller(new BytesMarshaller())
            .setResponseMarshaller(new BytesMarshaller())
            .build();

    private final Settings settings;
    /** Requests sent so far: which of the prepared requests goes next. */
    private final AtomicInteger sent = new AtomicInteger();

    private final ManagedChannel channel;
    private final HttpClient http;

    public LoadGenerator(Settings settings) {
        this.settings = settings;
        if (settings.transport().equals("grpc")) {
            String[] hostPort = settings.target().split(":");
            Metadata headers = new Metadata();
            headers.put(
                    Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + settings.apiKey());
            this.channel = NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
                    .usePlaintext()
                    .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .build();
            this.http = null;
        } else if (settings.transport().equals("http")) {
            this.channel = null;
            this.http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        } else {
            throw new IllegalArgumentException("transport must be grpc or http");
        }
    }

    /** Warms up, then measures. */
    public Report run() {
        if (!settings.warmup().isZero()) {
            send(settings.warmup(), false);
        }
        return send(settings.duration(), true);
    }

    private Report send(Duration duration, boolean record) {
        Semaphore slots = new Semaphore(settings.concurrency());
        AtomicLong ok = new AtomicLong();
        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        long expected = settings.rate() > 0 ? (long) (settings.rate() * duration.toSeconds() * 1.1) + 16 : 1_000_000;
        long[] latencies = new long[(int) Math.min(expected, 5_000_000)];
        AtomicInteger recorded = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        double intervalNanos = settings.rate() > 0 ? 1e9 / settings.rate() : 0;
        for (long i = 0; ; i++) {
            long intended = settings.rate() > 0 ? start + (long) (i * intervalNanos) : System.nanoTime();
            if (intended >= end) {
                break;
            }
            for (long now = System.nanoTime(); now < intended; now = System.nanoTime()) {
                LockSupport.parkNanos(intended - now);
            }
            slots.acquireUninterruptibly();
            long sentAt = settings.rate() > 0 ? intended : System.nanoTime();
            sendOne().whenComplete((status, error) -> {
                slots.release();
                long micros = (System.nanoTime() - sentAt) / 1000;
                if (error == null && status.equals("ok")) {
                    ok.incrementAndGet();
                    int index = recorded.getAndIncrement();
                    if (record && index < latencies.length) {
                        latencies[index] = micros;
                    }
                } else {
                    failures.computeIfAbsent(
                                    error != null ? error.getClass().getSimpleName() : status, k -> new AtomicLong())
                            .incrementAndGet();
                }
            });
        }
        slots.acquireUninterruptibly(settings.concurrency()); // every request answered
        slots.release(settings.concurrency());
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = Arrays.copyOf(latencies, Math.min(recorded.get(), latencies.length));
        Arrays.sort(sorted);
        Map<String, Long> failureCounts = new TreeMap<>();
        failures.forEach((k, v) -> failureCounts.put(k, v.get()));
        return new Report(ok.get(), failureCounts, seconds, settings.spansPerRequest(), sorted);
    }

    /** Sends the next request once; completes with "ok" or the failure's status. */
    private CompletableFuture<String> sendOne() {
        byte[] body = settings.requests()
                .get(Math.floorMod(sent.getAndIncrement(), settings.requests().size()));
        if (channel != null) {
            CompletableFuture<String> result = new CompletableFuture<>();
            var future = ClientCalls.futureUnaryCall(
                    channel.newCall(EXPORT, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)), body);
            future.addListener(
                    () -> {
                        try {
                            future.get();
                            result.complete("ok");
                        } catch (java.util.concurrent.ExecutionException e) {
                            result.complete(
                                    e.getCause() instanceof StatusRuntimeException s
                                            ? s.getStatus().getCode().name()
                                            : e.getCause().toString());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            result.completeExceptionally(e);
                        }
                    },
                    Runnable::run);
            return result;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + settings.target() + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + settings.apiKey())
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> response.statusCode() == 200 ? "ok" : "http " + response.statusCode());
    }

    /** {@code distinct} requests of {@code spans} spans each, serialized; the same seed gives the same requests. */
    public static List<byte[]> requests(int spans, int distinct) {
        Random random = new Random(42);
        List<byte[]> requests = new ArrayList<>(distinct);
        for (int i = 0; i < distinct; i++) {
            requests.add(request(spans, random).toByteArray());
        }
        return requests;
    }

    /**
     * A trace export request of {@code spans} spans from one service, each with a dozen attributes of the kinds
     * HTTP servers record, about 400 bytes per span; ids, paths, addresses, users, sessions and times drawn from
     * {@code random}.
     */
    public static ExportTraceServiceRequest request(int spans, Random random) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder()
                        .setName("io.opentelemetry.servlet")
                        .setVersion("2.10.0"));
        ByteBuffer ids = ByteBuffer.allocate(16);
        for (int i = 0; i < spans; i++) {
            ids.clear();
            ids.putLong(random.nextLong()).putLong(random.nextLong());
            long startNanos = 1_700_000_000_000_000_000L + random.nextInt(1_000_000_000) * 1_000L;
            scope.addSpans(Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(ids.array()))
                    .setSpanId(ByteString.copyFrom(ids.array(), 8, 8))
                    .setParentSpanId(ByteString.copyFrom(ids.array(), 4, 8))
                    .setName("GET /api/orders/{id}")
                    .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                    .setStartTimeUnixNano(startNanos)
                    .setEndTimeUnixNano(startNanos + 1_000_000L + random.nextInt(50_000_000))
                    .addAttributes(attribute("http.request.method", "GET"))
                    .addAttributes(attribute("url.path", "/api/orders/" + (100_000 + random.nextInt(900_000))))
                    .addAttributes(attribute("url.scheme", "https"))
                    .addAttributes(attribute("http.route", "/api/orders/{id}"))
                    .addAttributes(attribute("server.address", "orders.internal.example"))
                    .addAttributes(
                            attribute("client.address", "10.1." + random.nextInt(250) + "." + random.nextInt(250)))
                    .addAttributes(attribute("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) checkout-web/4.2"))
                    .addAttributes(attribute("enduser.id", "user-" + random.nextInt(100_000)))
                    .addAttributes(KeyValue.newBuilder()
                            .setKey("http.response.status_code")
                            .setValue(AnyValue.newBuilder().setIntValue(200)))
                    .addAttributes(KeyValue.newBuilder()
                            .setKey("server.port")
                            .setValue(AnyValue.newBuilder().setIntValue(443)))
                    .addAttributes(attribute("network.protocol.version", "1.1"))
                    .addAttributes(attribute("session.id", Long.toHexString(random.nextLong()))));
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(attribute("service.name", "orders"))
                                .addAttributes(attribute("service.version", "1.42.0"))
                                .addAttributes(attribute("deployment.environment.name", "production"))
                                .addAttributes(attribute("host.name", "orders-7d9f8b6c5-x2x9q")))
                        .addScopeSpans(scope))
                .build();
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
    }

    /**
     * {@code --transport grpc|http --target host:port --key K [--spans-per-request 100] [--distinct 256 requests]
     * [--rate R requests/s, 0 = max]
     * [--concurrency 64] [--duration 30s] [--warmup 5s]}
     */
    public static void main(String[] args) {
        Map<String, String> options = new TreeMap<>(Map.of(
                "--transport",
                "grpc",
                "--target",
                "localhost:4317",
                "--spans-per-request",
                "100",
                "--distinct",
                "256",
                "--rate",
                "0",
                "--concurrency",
                "64",
                "--duration",
                "30s",
                "--warmup",
                "5s"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i]) && !args[i].equals("--key")) {
                System.err.println("unknown option " + args[i] + "; options: --key " + options.keySet());
                System.exit(2);
            }
            options.put(args[i], args[i + 1]);
        }
        if (!options.containsKey("--key") || args.length % 2 != 0) {
            System.err.println(
                    "usage: LoadGenerator --key <api key> [option value]...; options and defaults: " + options);
            System.exit(2);
        }
        int spans = Integer.parseInt(options.get("--spans-per-request"));
        Settings settings = new Settings(
                options.get("--transport"),
                options.get("--target"),
                options.get("--key"),
                requests(spans, Integer.parseInt(options.get("--distinct"))),
                spans,
                Double.parseDouble(options.get("--rate")),
                Integer.parseInt(options.get("--concurrency")),
                io.otlpgovernor.contract.config.Durations.parse(options.get("--duration"), "--duration"),
                io.otlpgovernor.contract.config.Durations.parse(options.get("--warmup"), "--warmup"));
        try (LoadGenerator generator = new LoadGenerator(settings)) {
            System.out.println(generator.run());
        }
    }

    private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
