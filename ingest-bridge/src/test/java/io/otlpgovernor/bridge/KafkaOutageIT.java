package io.otlpgovernor.bridge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.otlpgovernor.bridge.BridgeTestSupport.ACME_KEY;
import static io.otlpgovernor.bridge.BridgeTestSupport.KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The broker goes away under load and comes back: the bridge answers retryably and fast meanwhile, reports not
 * ready, recovers by itself, and every request it acknowledged is in Kafka.
 */
class KafkaOutageIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration OUTAGE_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path workDir;

    @Test
    void losesNothingAcknowledgedWhileTheBrokerStopsAndReturns() throws Exception {
        EmbeddedKafkaBroker broker = BridgeTestSupport.startBroker(workDir.resolve("kafka"));
        ExecutorService client = Executors.newSingleThreadExecutor();
        try (IngestBridge bridge =
                IngestBridge.start(BridgeTestSupport.config(broker.bootstrapServers()), ApiKeys.of(KEYS))) {
            ManagedChannel channel = GrpcEndpointIT.channel(bridge);
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger retryable = new AtomicInteger();
            AtomicInteger other = new AtomicInteger();
            AtomicBoolean sending = new AtomicBoolean(true);
            Future<?> load = client.submit(() -> {
                for (int i = 0; sending.get() && i < 100_000; i++) {
                    sendOne(bridge, channel, i % 2 == 0, acknowledged, retryable, other);
                }
                return null;
            });
            try {
                await().atMost(OUTAGE_TIMEOUT).until(() -> acknowledged.size() >= 20);
                assertThat(ready(bridge)).isEqualTo(200);

                broker.stop();

                await().atMost(OUTAGE_TIMEOUT).until(() -> ready(bridge) == 503);
                int refusedBefore = retryable.get();
                await().atMost(OUTAGE_TIMEOUT).until(() -> retryable.get() >= refusedBefore + 10);
                long start = System.nanoTime();
                StatusRuntimeException refused = catchThrowableOfType(
                        StatusRuntimeException.class,
                        () -> TraceServiceGrpc.newBlockingStub(channel)
                                .withInterceptors(GrpcEndpointIT.bearer(ACME_KEY))
                                .export(OtlpFixtures.spans("during", 1)));
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                        .as("fails fast instead of waiting for the 3 s delivery timeout")
                        .isLessThan(2000);
                int acknowledgedBeforeRecovery = acknowledged.size();

                broker.restart();

                await().atMost(OUTAGE_TIMEOUT).until(() -> ready(bridge) == 200);
                await().atMost(OUTAGE_TIMEOUT).until(() -> acknowledged.size() >= acknowledgedBeforeRecovery + 20);
            } finally {
                sending.set(false);
                load.get(OUTAGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                channel.shutdownNow();
            }

            assertThat(other.get()).as("answers other than OK or retryable").isZero();
            try (CommittedTopicReader reader =
                    new CommittedTopicReader(broker.bootstrapServers(), List.of(Signal.SPANS.inputTopic()))) {
                await().atMost(OUTAGE_TIMEOUT)
                        .until(() -> BridgeTestSupport.spanNames(reader.poll(), "acme")
                                .containsAll(acknowledged));
            }
        } finally {
            client.shutdownNow();
            broker.close();
        }
    }

    @Test
    void answersDeadlineExceededWhenKafkaDoesNotAcknowledgeInTime() throws Exception {
        EmbeddedKafkaBroker broker = BridgeTestSupport.startBroker(workDir.resolve("kafka"));
        // A health check too slow to notice the outage, so the request reaches the producer and waits there — in the
        // accumulator, or in send() for metadata (max-block 3s): either way the 1s request timeout answers first.
        BridgeConfig config = BridgeTestSupport.config(broker.bootstrapServers())
                .withKafka(new BridgeConfig.Kafka(broker.bootstrapServers(), "5s", "3s", "1s", null, null, "1h", null))
                .withLimits(BridgeTestSupport.limits(256, 0, "1s"));
        try (IngestBridge bridge = IngestBridge.start(config, ApiKeys.of(KEYS))) {
            ManagedChannel channel = GrpcEndpointIT.channel(bridge);
            try {
                TraceServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(GrpcEndpointIT.bearer(ACME_KEY))
                        .export(OtlpFixtures.spans("warm", 1));
                broker.stop();

                // Both at once: each reaches the producer while its metadata is still fresh.
                java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> late =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                            try {
                                return HttpEndpointIT.post(
                                        bridge,
                                        "/v1/traces",
                                        "application/x-protobuf",
                                        OtlpFixtures.spans("late-http", 1).toByteArray(),
                                        "Authorization",
                                        "Bearer " + ACME_KEY);
                            } catch (IOException | InterruptedException e) {
                                throw new java.util.concurrent.CompletionException(e);
                            }
                        });
                StatusRuntimeException grpc = catchThrowableOfType(
                        StatusRuntimeException.class,
                        () -> TraceServiceGrpc.newBlockingStub(channel)
                                .withInterceptors(GrpcEndpointIT.bearer(ACME_KEY))
                                .export(OtlpFixtures.spans("late", 1)));
                HttpResponse<byte[]> http = late.get(30, TimeUnit.SECONDS);

                assertThat(grpc.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                assertThat(http.statusCode()).isEqualTo(504);
                assertThat(com.google.rpc.Status.parseFrom(http.body()).getMessage())
                        .isEqualTo("Kafka did not acknowledge the request within 1s; retry later");
            } finally {
                channel.shutdownNow();
            }
        } finally {
            broker.close();
        }
    }

    /** One request of one span over gRPC or HTTP; records its name if acknowledged, counts the refusals. */
    private static void sendOne(
            IngestBridge bridge,
            ManagedChannel channel,
            boolean grpc,
            Set<String> acknowledged,
            AtomicInteger retryable,
            AtomicInteger other)
            throws IOException, InterruptedException {
        ExportTraceServiceRequest request = OtlpFixtures.spans(grpc ? "outage-grpc" : "outage-http", 1);
        String name = request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName();
        if (grpc) {
            try {
                TraceServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(GrpcEndpointIT.bearer(ACME_KEY))
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .export(request);
                acknowledged.add(name);
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED ? retryable : other)
                        .incrementAndGet();
            }
        } else {
            int status = HttpEndpointIT.post(
                            bridge,
                            "/v1/traces",
                            "application/x-protobuf",
                            request.toByteArray(),
                            "Authorization",
                            "Bearer " + ACME_KEY)
                    .statusCode();
            if (status == 200) {
                acknowledged.add(name);
            } else {
                (status == 503 || status == 504 ? retryable : other).incrementAndGet();
            }
        }
    }

    private static int ready(IngestBridge bridge) throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + bridge.adminPort() + "/health/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
