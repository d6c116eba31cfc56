package io.otlpgovernor.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.bridge.auth.TenantAuthInterceptor;
import io.otlpgovernor.bridge.grpc.OtlpExportService;
import io.otlpgovernor.bridge.kafka.KafkaForwarder;

/**
 * The running bridge: the OTLP/gRPC server and the Kafka producer behind it.
 *
 * <p>{@link #close()} stops accepting calls, lets calls in flight finish (up to 10 seconds), then flushes and
 * closes the producer, so every request that was answered OK is in Kafka.
 */
public final class IngestBridge implements AutoCloseable {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final Server server;
    private final KafkaForwarder forwarder;

    private IngestBridge(Server server, KafkaForwarder forwarder) {
        this.server = server;
        this.forwarder = forwarder;
    }

    /** Starts a bridge with {@code config}, authenticating with {@code keys}. */
    public static IngestBridge start(BridgeConfig config, ApiKeys keys) {
        KafkaForwarder forwarder = new KafkaForwarder(config.kafka());
        TenantAuthInterceptor auth = new TenantAuthInterceptor(keys);
        NettyServerBuilder builder = NettyServerBuilder.forPort(config.grpc().port())
                .maxInboundMessageSize(config.grpc().maxRequestBytes());
        for (ServerServiceDefinition service : OtlpExportService.all(forwarder)) {
            builder.addService(ServerInterceptors.intercept(service, auth));
        }
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            forwarder.close(Duration.ZERO);
            throw new UncheckedIOException("cannot listen for OTLP/gRPC on port " + config.grpc().port(), e);
        }
        return new IngestBridge(server, forwarder);
    }

    /** The port the OTLP/gRPC server listens on. */
    public int grpcPort() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        forwarder.close(DRAIN_TIMEOUT);
    }
}
