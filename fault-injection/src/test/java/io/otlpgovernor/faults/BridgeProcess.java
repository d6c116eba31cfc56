package io.otlpgovernor.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** The ingest bridge ({@code BridgeMain}) in its own JVM, with one tenant and its API key. */
final class BridgeProcess implements AutoCloseable {

    static final String TENANT = "faults";
    static final String API_KEY = "faults-test-key-0001";

    private final JavaProcess process;
    private final int grpcPort = Ports.free();
    private final int httpPort = Ports.free();
    private final int adminPort = Ports.free();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private BridgeProcess(Path dir, String bootstrapServers) {
        Path config = writeConfig(dir, bootstrapServers);
        process = new JavaProcess(
                "bridge",
                List.of(
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-Djava.io.tmpdir=" + dir.resolve("tmp"),
                        "-Dlog4j2.configurationFile=" + LogConfig.write(dir)),
                "io.otlpgovernor.bridge.BridgeMain",
                List.of(config.toString()),
                Map.of(),
                dir);
    }

    static BridgeProcess start(Path dir, String bootstrapServers) {
        BridgeProcess bridge = new BridgeProcess(dir, bootstrapServers);
        try {
            bridge.process.start();
            bridge.awaitReady();
            return bridge;
        } catch (RuntimeException | Error e) {
            bridge.close();
            throw e;
        }
    }

    private Path writeConfig(Path dir, String bootstrapServers) {
        try {
            Files.createDirectories(dir);
            Path keys = dir.resolve("bridge-keys.yaml");
            Files.writeString(keys, "tenants:\n  " + TENANT + ":\n    key-sha256: [\"" + sha256(API_KEY) + "\"]\n");
            Path config = dir.resolve("bridge.yaml");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "grpc:",
                            "  port: " + grpcPort,
                            "http:",
                            "  port: " + httpPort,
                            "admin:",
                            "  port: " + adminPort,
                            "keys-file: " + keys,
                            "limits:",
                            "  tenant-items-per-second: 0",
                            "kafka:",
                            "  bootstrap-servers: " + bootstrapServers,
                            ""));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The OTLP/gRPC endpoint, host:port. */
    String grpcTarget() {
        return "127.0.0.1:" + grpcPort;
    }

    /** The OTLP/HTTP traces endpoint. */
    URI tracesUri() {
        return URI.create("http://127.0.0.1:" + httpPort + "/v1/traces");
    }

    void kill() {
        process.kill();
    }

    /** Starts a killed bridge again on the same ports and waits until it is ready. */
    void restart() {
        process.start();
        awaitReady();
    }

    private void awaitReady() {
        await("bridge ready")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the bridge exited:\n" + process.tail());
                    }
                    HttpRequest ready = HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + adminPort + "/health/ready"))
                            .GET()
                            .build();
                    return http.send(ready, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                });
    }

    @Override
    public void close() {
        process.close();
    }
}
