package io.otlpgovernor.bridge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.otlpgovernor.bridge.BridgeTestSupport.ACME_KEY;
import static io.otlpgovernor.bridge.BridgeTestSupport.GLOBEX_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** TLS on both OTLP ports, and mTLS: a client certificate the keys file maps to a tenant authenticates alone. */
class TlsIT {

    private static final String ACME_CLIENT = "CN=collector.acme.example,O=Acme";

    @TempDir
    static Path workDir;

    private static EmbeddedKafkaBroker broker;
    private static TestCertificates certificates;
    private static TestCertificates.Issued acmeClient;
    private static TestCertificates.Issued unmappedClient;
    private static IngestBridge bridge;

    @BeforeAll
    static void start() throws Exception {
        broker = BridgeTestSupport.startBroker(workDir.resolve("kafka"));
        certificates = new TestCertificates(Files.createDirectories(workDir.resolve("tls")));
        TestCertificates.Issued server = certificates.server();
        acmeClient = certificates.client("acme-client", ACME_CLIENT);
        unmappedClient = certificates.client("other-client", "CN=somebody.example");
        Path keys = Files.writeString(workDir.resolve("keys.yaml"), """
                tenants:
                  acme:
                    key-sha256: ["%s"]
                    client-certificates: ["%s"]
                  globex:
                    key-sha256: ["%s"]
                """.formatted(
                        ApiKeys.sha256(ACME_KEY), ACME_CLIENT, ApiKeys.sha256(GLOBEX_KEY)));
        BridgeConfig config = new BridgeConfig(null, null, null, keys, null, null, null, null, null)
                .withEndpoints(0, 0, 0, broker.bootstrapServers())
                .withKafka(BridgeTestSupport.config(broker.bootstrapServers()).kafka())
                .withTls(new BridgeConfig.Tls(
                        server.certFile(), server.keyFile(), certificates.ca().certFile(), "optional"));
        bridge = IngestBridge.start(config);
    }

    @AfterAll
    static void stop() {
        bridge.close();
        broker.close();
    }

    @Test
    void acceptsAnApiKeyOverTlsOnBothPorts() throws Exception {
        ExportTraceServiceRequest grpcSpans = OtlpFixtures.spans("tls-grpc", 1);
        ExportTraceServiceRequest httpSpans = OtlpFixtures.spans("tls-http", 1);
        ManagedChannel channel = tlsChannel(null);
        try {
            TraceServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(GrpcEndpointIT.bearer(GLOBEX_KEY))
                    .export(grpcSpans);
        } finally {
            channel.shutdownNow();
        }

        assertThat(post(certificates.sslContext(null), httpSpans, GLOBEX_KEY).statusCode())
                .isEqualTo(200);
        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.SPANS, grpcSpans.toByteArray()))
                .isEqualTo("globex");
        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.SPANS, httpSpans.toByteArray()))
                .isEqualTo("globex");
    }

    @Test
    void authenticatesAMappedClientCertificateWithoutAKey() throws Exception {
        ExportTraceServiceRequest grpcSpans = OtlpFixtures.spans("mtls-grpc", 1);
        ExportTraceServiceRequest httpSpans = OtlpFixtures.spans("mtls-http", 1);
        ManagedChannel channel = tlsChannel(acmeClient);
        try {
            TraceServiceGrpc.newBlockingStub(channel).export(grpcSpans);
        } finally {
            channel.shutdownNow();
        }

        assertThat(post(certificates.sslContext(acmeClient), httpSpans, null).statusCode())
                .isEqualTo(200);
        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.SPANS, grpcSpans.toByteArray()))
                .isEqualTo("acme");
        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.SPANS, httpSpans.toByteArray()))
                .isEqualTo("acme");
    }

    @Test
    void refusesAKeyOfAnotherTenantThanTheCertificateWithPermissionDenied() throws Exception {
        ManagedChannel channel = tlsChannel(acmeClient);
        try {
            StatusRuntimeException grpc = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> TraceServiceGrpc.newBlockingStub(channel)
                            .withInterceptors(GrpcEndpointIT.bearer(GLOBEX_KEY))
                            .export(OtlpFixtures.spans("mixed", 1)));
            assertThat(grpc.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        } finally {
            channel.shutdownNow();
        }

        HttpResponse<byte[]> http =
                post(certificates.sslContext(acmeClient), OtlpFixtures.spans("mixed-http", 1), GLOBEX_KEY);

        assertThat(http.statusCode()).isEqualTo(403);
        assertThat(com.google.rpc.Status.parseFrom(http.body()).getMessage())
                .isEqualTo("the API key and the client certificate belong to different tenants");
    }

    @Test
    void refusesATrustedCertificateThatNoTenantOwnsWhenNoKeyComesWithIt() throws Exception {
        HttpResponse<byte[]> http =
                post(certificates.sslContext(unmappedClient), OtlpFixtures.spans("stranger", 1), null);

        assertThat(http.statusCode()).isEqualTo(401);
    }

    @Test
    void refusesPlaintextOnTheTlsPorts() {
        Throwable http = catchThrowable(() -> HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + bridge.httpPort() + "/v1/traces"))
                                .header("Content-Type", "application/x-protobuf")
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
        ManagedChannel plaintext = GrpcEndpointIT.channel(bridge);
        try {
            StatusRuntimeException grpc = catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> TraceServiceGrpc.newBlockingStub(plaintext)
                            .withInterceptors(GrpcEndpointIT.bearer(ACME_KEY))
                            .export(OtlpFixtures.spans("plain", 1)));
            assertThat(grpc.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            plaintext.shutdownNow();
        }

        assertThat(http).isInstanceOf(IOException.class);
    }

    @Test
    void requiresAClientCertificateWhenConfiguredTo() throws Exception {
        TestCertificates.Issued server = certificates.server();
        BridgeConfig config = new BridgeConfig(
                        null, null, null, workDir.resolve("keys.yaml"), null, null, null, null, null)
                .withEndpoints(0, 0, 0, broker.bootstrapServers())
                .withKafka(BridgeTestSupport.config(broker.bootstrapServers()).kafka())
                .withTls(new BridgeConfig.Tls(
                        server.certFile(), server.keyFile(), certificates.ca().certFile(), "require"));
        try (IngestBridge strict = IngestBridge.start(config)) {
            HttpClient noCertificate = HttpClient.newBuilder()
                    .sslContext(certificates.sslContext(null))
                    .build();
            Throwable refused = catchThrowable(() -> noCertificate.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + strict.httpPort() + "/v1/traces"))
                            .header("Content-Type", "application/x-protobuf")
                            .header("Authorization", "Bearer " + ACME_KEY)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
            HttpResponse<byte[]> withCertificate = HttpClient.newBuilder()
                    .sslContext(certificates.sslContext(acmeClient))
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create("https://localhost:" + strict.httpPort() + "/v1/traces"))
                                    .header("Content-Type", "application/x-protobuf")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(
                                            OtlpFixtures.spans("required", 1).toByteArray()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());

            assertThat(refused).as("TLS handshake without a client certificate").isInstanceOf(IOException.class);
            assertThat(withCertificate.statusCode()).isEqualTo(200);
        }
    }

    private static ManagedChannel tlsChannel(TestCertificates.Issued client) throws Exception {
        SslContextBuilder ssl = GrpcSslContexts.forClient()
                .trustManager(certificates.ca().certFile().toFile());
        if (client != null) {
            ssl.keyManager(client.certFile().toFile(), client.keyFile().toFile());
        }
        return NettyChannelBuilder.forAddress("localhost", bridge.grpcPort())
                .sslContext(ssl.build())
                .build();
    }

    private static HttpResponse<byte[]> post(javax.net.ssl.SSLContext tls, ExportTraceServiceRequest spans, String key)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("https://localhost:" + bridge.httpPort() + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(spans.toByteArray()));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newBuilder()
                .sslContext(tls)
                .build()
                .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
