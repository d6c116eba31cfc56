package io.otlpgovernor.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.bridge.auth.ApiKeysFile;
import io.otlpgovernor.bridge.auth.Authenticator;
import io.otlpgovernor.bridge.auth.TenantAuthInterceptor;
import io.otlpgovernor.bridge.export.ExportPipeline;
import io.otlpgovernor.bridge.grpc.OtlpExportService;
import io.otlpgovernor.bridge.http.OtlpHttpServer;
import io.otlpgovernor.bridge.kafka.KafkaForwarder;
import io.otlpgovernor.bridge.kafka.KafkaHealth;
import io.otlpgovernor.bridge.limits.InFlightLimit;
import io.otlpgovernor.bridge.limits.TenantRateLimiter;
import io.otlpgovernor.bridge.ops.AdminServer;
import io.otlpgovernor.bridge.ops.BridgeMetrics;
import io.otlpgovernor.contract.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running bridge: OTLP/gRPC and OTLP/HTTP listeners, the admin port, and the Kafka producer behind them.
 *
 * <p>{@link #close()} first turns readiness off and stops accepting requests on both transports, lets requests in
 * flight be answered (up to {@code shutdown-timeout}), then flushes and closes the producer, so every request that
 * was answered OK is in Kafka.
 */
public final class IngestBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestBridge.class);

    private final Deque<AutoCloseable> started;
    private final Server grpc;
    private final OtlpHttpServer http;
    private final AdminServer admin;
    private final Duration shutdownTimeout;
    private final BridgeMetrics metrics;
    private final AtomicBoolean closing;

    private IngestBridge(
            Deque<AutoCloseable> started,
            Server grpc,
            OtlpHttpServer http,
            AdminServer admin,
            Duration shutdownTimeout,
            BridgeMetrics metrics,
            AtomicBoolean closing) {
        this.started = started;
        this.grpc = grpc;
        this.http = http;
        this.admin = admin;
        this.shutdownTimeout = shutdownTimeout;
        this.metrics = metrics;
        this.closing = closing;
    }

    /** Starts a bridge with {@code config}, authenticating with its keys file, reloaded when it changes. */
    public static IngestBridge start(BridgeConfig config) throws ConfigException {
        BridgeMetrics metrics = new BridgeMetrics();
        ApiKeysFile keys =
                ApiKeysFile.watch(config.keysFile(), config.keysReloadIntervalDuration(), metrics::keysReloaded);
        return start(config, keys, keys, metrics);
    }

    /** Starts a bridge with {@code config}, authenticating with {@code keys}; for tests and benchmarks. */
    public static IngestBridge start(BridgeConfig config, ApiKeys keys) {
        return start(config, () -> keys, () -> {}, new BridgeMetrics());
    }

    private static IngestBridge start(
            BridgeConfig config, Supplier<ApiKeys> keys, AutoCloseable keysFile, BridgeMetrics metrics) {
        // Closed in reverse order: listeners first, then the producer (flushing what they accepted), then the rest.
        Deque<AutoCloseable> started = new ArrayDeque<>();
        started.push(keysFile);
        AtomicBoolean closing = new AtomicBoolean();
        try {
            KafkaHealth kafka = new KafkaHealth(config.kafka()).start();
            started.push(kafka);
            int maxRequest =
                    Math.max(config.grpc().maxRequestBytes(), config.http().maxRequestBytes());
            KafkaForwarder forwarder = new KafkaForwarder(config.kafka(), maxRequest);
            started.push(() -> forwarder.close(config.shutdownTimeoutDuration()));
            ExecutorService sends = Executors.newFixedThreadPool(2, daemonThreads("bridge-kafka-send-"));
            started.push(() -> {
                sends.shutdown(); // sends already queued still reach the producer before it flushes
                sends.awaitTermination(config.kafka().maxBlockDuration().toMillis() + 1000, TimeUnit.MILLISECONDS);
            });
            ExportPipeline pipeline = new ExportPipeline(
                    forwarder, kafka, new TenantRateLimiter(config.limits(), System::nanoTime), config.limits(), sends);
            InFlightLimit inFlight = new InFlightLimit(config.limits().maxConcurrentRequests());
            Authenticator authenticator = new Authenticator(keys);
            metrics.watch(inFlight::inFlight, kafka::reachable);

            AdminServer admin =
                    AdminServer.start(config.admin().port(), () -> kafka.reachable() && !closing.get(), metrics);
            started.push(admin);
            Server grpc = grpcServer(config, pipeline, inFlight, authenticator, metrics);
            started.push(() -> grpc.shutdownNow());
            OtlpHttpServer http = OtlpHttpServer.start(config, authenticator, pipeline, inFlight, metrics);
            started.push(http);
            LOG.info(
                    "Bridge listening: OTLP/gRPC {}, OTLP/HTTP {}, admin {}{}",
                    grpc.getPort(),
                    http.port(),
                    admin.port(),
                    config.tls() == null
                            ? ""
                            : " (TLS, client certificates " + config.tls().clientAuth() + ")");
            return new IngestBridge(started, grpc, http, admin, config.shutdownTimeoutDuration(), metrics, closing);
        } catch (RuntimeException | Error e) {
            closeAll(started);
            throw e;
        }
    }

    private static Server grpcServer(
            BridgeConfig config,
            ExportPipeline pipeline,
            InFlightLimit inFlight,
            Authenticator authenticator,
            BridgeMetrics metrics) {
        // Handlers never block (the producer's send runs elsewhere), so a small pool suffices.
        ExecutorService executor = Executors.newFixedThreadPool(
                Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), daemonThreads("bridge-grpc-"));
        NettyServerBuilder builder = NettyServerBuilder.forPort(config.grpc().port())
                .executor(executor)
                .maxInboundMessageSize(config.grpc().maxRequestBytes())
                .maxConcurrentCallsPerConnection(config.limits().maxConcurrentRequests());
        if (config.tls() != null) {
            builder.sslContext(grpcTls(config.tls()));
        }
        TenantAuthInterceptor auth = new TenantAuthInterceptor(authenticator, metrics);
        for (ServerServiceDefinition service : OtlpExportService.all(pipeline, inFlight, metrics)) {
            builder.addService(ServerInterceptors.intercept(service, auth));
        }
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException(
                    "cannot listen for OTLP/gRPC on port " + config.grpc().port(), e);
        }
        return server;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext grpcTls(BridgeConfig.Tls tls) {
        try {
            SslContextBuilder ssl = SslContextBuilder.forServer(
                    tls.certFile().toFile(), tls.keyFile().toFile());
            if (tls.clientCaFile() != null) {
                ssl.trustManager(tls.clientCaFile().toFile())
                        .clientAuth(tls.clientAuth().equals("require") ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            return GrpcSslContexts.configure(ssl).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "cannot set up TLS from tls.cert-file / tls.key-file / tls.client-ca-file: " + e.getMessage(), e);
        }
    }

    /** The port the OTLP/gRPC server listens on. */
    public int grpcPort() {
        return grpc.getPort();
    }

    /** The port the OTLP/HTTP server listens on. */
    public int httpPort() {
        return http.port();
    }

    /** The admin port: health and metrics. */
    public int adminPort() {
        return admin.port();
    }

    /** The bridge's metrics. */
    public BridgeMetrics metrics() {
        return metrics;
    }

    @Override
    public synchronized void close() {
        if (closing.getAndSet(true)) {
            return;
        }
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        grpc.shutdown();
        http.close();
        try {
            if (!grpc.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                grpc.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            grpc.shutdownNow();
        }
        closeAll(started); // the producer flushes here, after both listeners have answered what they took

        LOG.info("Bridge stopped");
    }

    private static void closeAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                LOG.warn("While stopping the bridge: {}", e.toString());
            }
        }
    }
}
