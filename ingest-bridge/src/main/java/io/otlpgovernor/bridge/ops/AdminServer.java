package io.otlpgovernor.bridge.ops;

import java.util.function.BooleanSupplier;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;

/**
 * The admin port: {@code /health/live} (200 while the process serves requests), {@code /health/ready} (200 while
 * Kafka is reachable and the bridge is not shutting down, else 503 — take it out of the load balancer) and
 * {@code /metrics} (Prometheus text format). Plaintext, for probes and scrapers inside the cluster.
 */
public final class AdminServer implements AutoCloseable {

    private final Server server;

    private AdminServer(Server server) {
        this.server = server;
    }

    public static AdminServer start(int port, BooleanSupplier ready, BridgeMetrics metrics) {
        MediaType prometheusText = MediaType.parse("text/plain; version=0.0.4; charset=utf-8");
        Server server = Server.builder()
                // A registry of its own: Armeria's meters of two servers in one JVM would collide in the global one.
                .meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .http(port)
                .service(
                        "/health/live",
                        (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "live\n"))
                .service(
                        "/health/ready",
                        (ctx, req) -> ready.getAsBoolean()
                                ? HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ready\n")
                                : HttpResponse.of(
                                        HttpStatus.SERVICE_UNAVAILABLE,
                                        MediaType.PLAIN_TEXT_UTF_8,
                                        "not ready: Kafka is unreachable or the bridge is shutting down\n"))
                .service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK, prometheusText, metrics.scrape()))
                .build();
        server.start().join();
        return new AdminServer(server);
    }

    public int port() {
        return server.activeLocalPort();
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
