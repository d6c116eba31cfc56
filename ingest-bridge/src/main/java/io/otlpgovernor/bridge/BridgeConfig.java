package io.otlpgovernor.bridge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.otlpgovernor.contract.TenantIds;
import io.otlpgovernor.contract.config.ConfigException;
import io.otlpgovernor.contract.config.Durations;

/**
 * The bridge's configuration file ({@code ingest-bridge/config/bridge.yaml} is the documented example; every key is
 * described in {@code docs/configuration.md}). Every field has a default except {@code keys-file}. Each record checks
 * its own values when it is built, so a loaded configuration is a valid one.
 *
 * @param grpc               the OTLP/gRPC listener
 * @param http               the OTLP/HTTP listener
 * @param admin              health and metrics endpoints
 * @param keysFile           the file mapping API key hashes (and client certificates) to tenants (required;
 *                           relative paths resolve against the working directory)
 * @param keysReloadInterval how often the keys file is checked for changes; default 10s
 * @param limits             protection of the bridge and of tenants from each other
 * @param tls                TLS on both OTLP ports; absent means plaintext
 * @param kafka              where and how requests are written
 * @param shutdownTimeout    how long a shutdown waits for requests in flight and the producer's flush; default 10s
 */
public record BridgeConfig(
        Grpc grpc,
        Http http,
        Admin admin,
        Path keysFile,
        String keysReloadInterval,
        Limits limits,
        Tls tls,
        Kafka kafka,
        String shutdownTimeout) {

    public BridgeConfig {
        grpc = grpc == null ? new Grpc(null, null) : grpc;
        http = http == null ? new Http(null, null) : http;
        admin = admin == null ? new Admin(null) : admin;
        limits = limits == null ? new Limits(null, null, null, null, null, null) : limits;
        kafka = kafka == null ? new Kafka(null, null, null, null, null, null, null, null) : kafka;
        keysReloadInterval = keysReloadInterval == null ? "10s" : keysReloadInterval;
        shutdownTimeout = shutdownTimeout == null ? "10s" : shutdownTimeout;
        if (keysFile == null) {
            throw new IllegalArgumentException("keys-file is required: the file that maps API keys to tenants");
        }
        positive(keysReloadInterval, "keys-reload-interval");
        Durations.parse(shutdownTimeout, "shutdown-timeout");
    }

    /** A configuration with every default and {@code keysFile}; for tests and the local stack. */
    public static BridgeConfig defaults(Path keysFile) {
        return new BridgeConfig(null, null, null, keysFile, null, null, null, null, null);
    }

    /** Reads and checks a configuration file, then applies {@code OTLP_BRIDGE_*} environment overrides. */
    public static BridgeConfig load(Path file) throws ConfigException {
        return ConfigOverrides.load(file, System.getenv());
    }

    public Duration keysReloadIntervalDuration() {
        return Durations.parse(keysReloadInterval, "keys-reload-interval");
    }

    public Duration shutdownTimeoutDuration() {
        return Durations.parse(shutdownTimeout, "shutdown-timeout");
    }

    /**
     * @param port            OTLP/gRPC port; default 4317, 0 picks a free port
     * @param maxRequestBytes largest accepted request message after decompression; default 4 MiB (the usual gRPC
     *                        limit); a larger request is refused with {@code RESOURCE_EXHAUSTED}
     */
    public record Grpc(Integer port, Integer maxRequestBytes) {
        public Grpc {
            port = port == null ? 4317 : port;
            maxRequestBytes = maxRequestBytes == null ? 4 * 1024 * 1024 : maxRequestBytes;
            checkPort(port);
            if (maxRequestBytes < 1024) {
                throw new IllegalArgumentException("max-request-bytes must be at least 1024");
            }
        }
    }

    /**
     * @param port            OTLP/HTTP port; default 4318, 0 picks a free port
     * @param maxRequestBytes largest accepted body after decompression; default 20 MiB (the OTLP recommendation);
     *                        a larger body is refused with 413
     */
    public record Http(Integer port, Integer maxRequestBytes) {
        public Http {
            port = port == null ? 4318 : port;
            maxRequestBytes = maxRequestBytes == null ? 20 * 1024 * 1024 : maxRequestBytes;
            checkPort(port);
            if (maxRequestBytes < 1024) {
                throw new IllegalArgumentException("max-request-bytes must be at least 1024");
            }
        }
    }

    /** @param port health ({@code /health/live}, {@code /health/ready}) and Prometheus ({@code /metrics}); default 9464 */
    public record Admin(Integer port) {
        public Admin {
            port = port == null ? 9464 : port;
            checkPort(port);
        }
    }

    /**
     * @param maxConcurrentRequests requests handled at once over both transports; more get a retryable
     *                              {@code UNAVAILABLE} / 503; default 256. With the request size limits this bounds
     *                              the heap the bridge needs
     * @param requestTimeout        the longest a request may take, from its arrival to its answer; after that the
     *                              client gets {@code DEADLINE_EXCEEDED} / 504 (retryable); default 10s
     * @param retryAfter            the delay suggested to clients (RetryInfo, Retry-After) when the bridge is
     *                              overloaded or Kafka is unreachable; default 5s
     * @param tenantItemsPerSecond  default rate limit per tenant, in spans, data points and log records per second;
     *                              0 means no limit; default 50000
     * @param tenantBurstItems      items a tenant may send at once above its rate; default twice the rate
     * @param tenants               per-tenant overrides of the rate limit, by tenant id
     */
    public record Limits(
            Integer maxConcurrentRequests,
            String requestTimeout,
            String retryAfter,
            Integer tenantItemsPerSecond,
            Integer tenantBurstItems,
            Map<String, TenantLimit> tenants) {
        public Limits {
            maxConcurrentRequests = maxConcurrentRequests == null ? 256 : maxConcurrentRequests;
            requestTimeout = requestTimeout == null ? "10s" : requestTimeout;
            retryAfter = retryAfter == null ? "5s" : retryAfter;
            tenantItemsPerSecond = tenantItemsPerSecond == null ? 50_000 : tenantItemsPerSecond;
            tenantBurstItems = tenantBurstItems == null ? 2 * tenantItemsPerSecond : tenantBurstItems;
            tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
            if (maxConcurrentRequests < 1) {
                throw new IllegalArgumentException("max-concurrent-requests must be at least 1");
            }
            positive(requestTimeout, "request-timeout");
            if (Durations.parse(retryAfter, "retry-after").toSeconds() < 1) {
                throw new IllegalArgumentException(
                        "retry-after must be at least 1s (Retry-After counts whole seconds)");
            }
            TenantLimit.check(tenantItemsPerSecond, tenantBurstItems, "tenant-");
            for (Map.Entry<String, TenantLimit> tenant : tenants.entrySet()) {
                Optional<String> problem = TenantIds.problem(tenant.getKey());
                if (problem.isPresent()) {
                    throw new IllegalArgumentException("tenants: " + problem.get());
                }
                if (tenant.getValue() == null) {
                    throw new IllegalArgumentException("tenants: each entry needs items-per-second");
                }
            }
        }

        public Duration requestTimeoutDuration() {
            return Durations.parse(requestTimeout, "request-timeout");
        }

        public Duration retryAfterDuration() {
            return Durations.parse(retryAfter, "retry-after");
        }

        /** The rate limit of {@code tenant}: its override, or the default. */
        public TenantLimit limitOf(String tenant) {
            TenantLimit override = tenants.get(tenant);
            return override != null ? override : new TenantLimit(tenantItemsPerSecond, tenantBurstItems);
        }
    }

    /**
     * @param itemsPerSecond spans, data points and log records per second; 0 means no limit
     * @param burstItems     items that may arrive at once above the rate; default twice the rate
     */
    public record TenantLimit(Integer itemsPerSecond, Integer burstItems) {
        public TenantLimit {
            if (itemsPerSecond == null) {
                throw new IllegalArgumentException("items-per-second is required");
            }
            burstItems = burstItems == null ? 2 * itemsPerSecond : burstItems;
            check(itemsPerSecond, burstItems, "");
        }

        static void check(int itemsPerSecond, int burstItems, String prefix) {
            if (itemsPerSecond < 0) {
                throw new IllegalArgumentException(prefix + "items-per-second must be 0 (no limit) or more");
            }
            if (itemsPerSecond > 0 && burstItems < 1) {
                throw new IllegalArgumentException(prefix + "burst-items must be at least 1");
            }
        }
    }

    /**
     * TLS for both OTLP ports (the admin port stays plaintext, for probes and scrapers inside the cluster).
     *
     * @param certFile     PEM certificate chain of the server (required)
     * @param keyFile      PEM PKCS#8 private key of the server (required)
     * @param clientCaFile PEM certificates trusted to sign client certificates; enables mTLS
     * @param clientAuth   {@code none}, {@code optional} (a client may authenticate by certificate or API key) or
     *                     {@code require} (every client must present a trusted certificate); default {@code optional}
     *                     when {@code client-ca-file} is set, else {@code none}
     */
    public record Tls(Path certFile, Path keyFile, Path clientCaFile, String clientAuth) {
        private static final Set<String> CLIENT_AUTH = Set.of("none", "optional", "require");

        public Tls {
            if (certFile == null || keyFile == null) {
                throw new IllegalArgumentException("cert-file and key-file are both required");
            }
            clientAuth = clientAuth == null
                    ? (clientCaFile == null ? "none" : "optional")
                    : clientAuth.toLowerCase(Locale.ROOT);
            if (!CLIENT_AUTH.contains(clientAuth)) {
                throw new IllegalArgumentException("client-auth must be none, optional or require");
            }
            if (!clientAuth.equals("none") && clientCaFile == null) {
                throw new IllegalArgumentException("client-auth " + clientAuth + " needs client-ca-file");
            }
        }
    }

    /**
     * @param bootstrapServers    Kafka bootstrap servers; default {@code localhost:9092}
     * @param deliveryTimeout     how long one write may take, retries included; default 15s
     * @param maxBlock            how long a write may wait for metadata or buffer space; default 2s
     * @param requestTimeout      one produce request's timeout; default 5s; must be below {@code delivery-timeout}
     * @param compression         {@code lz4} (default) or {@code zstd}
     * @param bufferBytes         the producer's buffer for records not yet acknowledged; default 64 MiB
     * @param healthCheckInterval how often the bridge checks that Kafka is reachable; default 1s
     * @param properties          Kafka security settings, passed to the producer as they are: only
     *                            {@code security.protocol}, {@code ssl.*} and {@code sasl.*} keys
     */
    public record Kafka(
            String bootstrapServers,
            String deliveryTimeout,
            String maxBlock,
            String requestTimeout,
            String compression,
            Long bufferBytes,
            String healthCheckInterval,
            Map<String, String> properties) {
        private static final Set<String> COMPRESSION = Set.of("lz4", "zstd");

        public Kafka {
            bootstrapServers = bootstrapServers == null ? "localhost:9092" : bootstrapServers;
            deliveryTimeout = deliveryTimeout == null ? "15s" : deliveryTimeout;
            maxBlock = maxBlock == null ? "2s" : maxBlock;
            requestTimeout = requestTimeout == null ? "5s" : requestTimeout;
            compression = compression == null ? "lz4" : compression;
            bufferBytes = bufferBytes == null ? 64L * 1024 * 1024 : bufferBytes;
            healthCheckInterval = healthCheckInterval == null ? "1s" : healthCheckInterval;
            properties = properties == null ? Map.of() : Map.copyOf(properties);
            if (bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrap-servers must not be empty");
            }
            Duration delivery = Durations.parse(deliveryTimeout, "delivery-timeout");
            Durations.parse(maxBlock, "max-block");
            Duration request = Durations.parse(requestTimeout, "request-timeout");
            if (request.compareTo(delivery) >= 0) {
                throw new IllegalArgumentException("request-timeout must be shorter than delivery-timeout");
            }
            if (!COMPRESSION.contains(compression)) {
                throw new IllegalArgumentException("compression must be lz4 or zstd");
            }
            if (bufferBytes < 1024 * 1024) {
                throw new IllegalArgumentException("buffer-bytes must be at least 1048576 (1 MiB)");
            }
            positive(healthCheckInterval, "health-check-interval");
            for (String key : properties.keySet()) {
                if (!key.equals("security.protocol") && !key.startsWith("ssl.") && !key.startsWith("sasl.")) {
                    // Names the key, never its value: these settings hold passwords.
                    throw new IllegalArgumentException(
                            "properties: '" + key + "' is not a security setting "
                                    + "(only security.protocol, ssl.* and sasl.* may be set; the others are fixed by the bridge)");
                }
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

        public Duration healthCheckIntervalDuration() {
            return Durations.parse(healthCheckInterval, "health-check-interval");
        }

        /** A copy writing to {@code servers}. */
        public Kafka withBootstrapServers(String servers) {
            return new Kafka(
                    servers,
                    deliveryTimeout,
                    maxBlock,
                    requestTimeout,
                    compression,
                    bufferBytes,
                    healthCheckInterval,
                    properties);
        }
    }

    /** A copy with other listener ports and Kafka bootstrap servers; used by the local stack and tests. */
    public BridgeConfig withEndpoints(int grpcPort, int httpPort, int adminPort, String bootstrapServers) {
        return new BridgeConfig(
                new Grpc(grpcPort, grpc.maxRequestBytes()),
                new Http(httpPort, http.maxRequestBytes()),
                new Admin(adminPort),
                keysFile,
                keysReloadInterval,
                limits,
                tls,
                kafka.withBootstrapServers(bootstrapServers),
                shutdownTimeout);
    }

    /** A copy with other limits; for tests. */
    public BridgeConfig withLimits(Limits newLimits) {
        return new BridgeConfig(
                grpc, http, admin, keysFile, keysReloadInterval, newLimits, tls, kafka, shutdownTimeout);
    }

    /** A copy with other Kafka settings; for tests. */
    public BridgeConfig withKafka(Kafka newKafka) {
        return new BridgeConfig(
                grpc, http, admin, keysFile, keysReloadInterval, limits, tls, newKafka, shutdownTimeout);
    }

    /** A copy with TLS settings; for tests. */
    public BridgeConfig withTls(Tls newTls) {
        return new BridgeConfig(
                grpc, http, admin, keysFile, keysReloadInterval, limits, newTls, kafka, shutdownTimeout);
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
    }

    private static void positive(String duration, String what) {
        if (Durations.parse(duration, what).isZero()) {
            throw new IllegalArgumentException(what + " must be more than 0");
        }
    }
}
