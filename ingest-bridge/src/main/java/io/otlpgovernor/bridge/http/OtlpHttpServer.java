package io.otlpgovernor.bridge.http;

import java.time.Duration;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.otlpgovernor.bridge.BridgeConfig;
import io.otlpgovernor.bridge.auth.Authenticator;
import io.otlpgovernor.bridge.export.ExportPipeline;
import io.otlpgovernor.bridge.limits.InFlightLimit;
import io.otlpgovernor.bridge.ops.BridgeMetrics;
import io.otlpgovernor.contract.Signal;

/** The OTLP/HTTP listener (Armeria): the three export endpoints, TLS if configured, graceful shutdown. */
public final class OtlpHttpServer implements AutoCloseable {

    private final Server server;

    private OtlpHttpServer(Server server) {
        this.server = server;
    }

    public static OtlpHttpServer start(
            BridgeConfig config,
            Authenticator authenticator,
            ExportPipeline pipeline,
            InFlightLimit inFlight,
            BridgeMetrics metrics) {
        int maxBody = config.http().maxRequestBytes();
        ServerBuilder builder = Server.builder()
                // A registry of its own: Armeria's meters of two servers in one JVM would collide in the global one.
                .meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                // The raw body may not exceed the limit either; the limit after decompression is checked per request.
                .maxRequestLength(maxBody)
                // The pipeline answers at request-timeout; this one only cuts uploads that never finish.
                .requestTimeout(config.limits().requestTimeoutDuration().plusSeconds(1))
                .gracefulShutdownTimeout(Duration.ZERO, config.shutdownTimeoutDuration())
                .errorHandler(new HttpErrorHandler(config.limits().retryAfterDuration()));
        BridgeConfig.Tls tls = config.tls();
        if (tls == null) {
            builder.http(config.http().port());
        } else {
            builder.https(config.http().port())
                    .tls(tls.certFile().toFile(), tls.keyFile().toFile());
            if (tls.clientCaFile() != null) {
                ClientAuth clientAuth = tls.clientAuth().equals("require") ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL;
                builder.tlsCustomizer(
                        ssl -> ssl.trustManager(tls.clientCaFile().toFile()).clientAuth(clientAuth));
            }
        }
        for (Signal signal : Signal.values()) {
            builder.service(
                    OtlpHttpService.pathOf(signal),
                    new OtlpHttpService(signal, authenticator, pipeline, inFlight, metrics, maxBody));
        }
        Server server = builder.build();
        server.start().join();
        return new OtlpHttpServer(server);
    }

    public int port() {
        return server.activeLocalPort();
    }

    /** Stops taking requests and waits (up to the shutdown timeout) for those in flight to be answered. */
    @Override
    public void close() {
        server.stop().join();
    }
}
