package io.otlpgovernor.bridge;

import java.nio.file.Path;
import java.time.Duration;

import io.otlpgovernor.rules.config.ConfigException;
import io.otlpgovernor.rules.config.Durations;
import io.otlpgovernor.rules.config.YamlFiles;

/**
 * The bridge's configuration file ({@code ingest-bridge/config/bridge.yaml} is the documented example). Every
 * field has a default, so an empty mapping ({@code {}}) is a valid configuration except for {@code keys-file}.
 *
 * @param grpc     the OTLP/gRPC listener
 * @param keysFile the file mapping API keys to tenants (required; relative paths resolve against the working
 *                 directory)
 * @param kafka    where and how requests are written
 */
public record BridgeConfig(Grpc grpc, Path keysFile, Kafka kafka) {

    public BridgeConfig {
        grpc = grpc == null ? new Grpc(null, null) : grpc;
        kafka = kafka == null ? new Kafka(null, null, null, null) : kafka;
        if (keysFile == null) {
            throw new IllegalArgumentException("keys-file is required: the file that maps API keys to tenants");
        }
    }

    /** Reads and checks a configuration file. */
    public static BridgeConfig load(Path file) throws ConfigException {
        return YamlFiles.read(file, BridgeConfig.class);
    }

    /**
     * @param port            OTLP/gRPC port; default 4317, 0 picks a free port
     * @param maxRequestBytes largest accepted request message; default 4 MiB (the usual gRPC limit); a larger
     *                        request is refused with {@code RESOURCE_EXHAUSTED}
     */
    public record Grpc(Integer port, Integer maxRequestBytes) {
        public Grpc {
            port = port == null ? 4317 : port;
            maxRequestBytes = maxRequestBytes == null ? 4 * 1024 * 1024 : maxRequestBytes;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535");
            }
            if (maxRequestBytes < 1024) {
                throw new IllegalArgumentException("max-request-bytes must be at least 1024");
            }
        }
    }

    /**
     * @param bootstrapServers Kafka bootstrap servers; default {@code localhost:9092}
     * @param deliveryTimeout  how long one write may take, retries included, before the client gets
     *                         {@code UNAVAILABLE}; default 15s
     * @param maxBlock         how long a write may wait for Kafka metadata or buffer space before the client gets
     *                         {@code UNAVAILABLE}; default 2s (keeps request threads from piling up while Kafka
     *                         is unreachable)
     * @param requestTimeout   one produce request's timeout; default 5s; must be below {@code delivery-timeout}
     */
    public record Kafka(String bootstrapServers, String deliveryTimeout, String maxBlock, String requestTimeout) {
        public Kafka {
            bootstrapServers = bootstrapServers == null ? "localhost:9092" : bootstrapServers;
            deliveryTimeout = deliveryTimeout == null ? "15s" : deliveryTimeout;
            maxBlock = maxBlock == null ? "2s" : maxBlock;
            requestTimeout = requestTimeout == null ? "5s" : requestTimeout;
            if (bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrap-servers must not be empty");
            }
            Duration delivery = Durations.parse(deliveryTimeout, "delivery-timeout");
            Durations.parse(maxBlock, "max-block");
            Duration request = Durations.parse(requestTimeout, "request-timeout");
            if (request.compareTo(delivery) >= 0) {
                throw new IllegalArgumentException("request-timeout must be shorter than delivery-timeout");
            }
        }

        public Duration deliveryTimeoutDuration() {
            return Durations.parse(deliveryTimeout, "delivery-timeout");
        }

        public Duration maxBlockDuration() {
            return Durations.parse(maxBlock, "max-block");
        }

        public Duration requestTimeoutDuration() {
            return Durations.parse(requestTimeout, "request-timeout");
        }
    }

    /** A copy with another gRPC port and Kafka bootstrap servers; used by the local stack and tests. */
    public BridgeConfig withEndpoints(int grpcPort, String bootstrapServers) {
        return new BridgeConfig(new Grpc(grpcPort, grpc.maxRequestBytes()), keysFile,
                new Kafka(bootstrapServers, kafka.deliveryTimeout(), kafka.maxBlock(), kafka.requestTimeout()));
    }
}
