package io.otlpgovernor.local;

import java.nio.file.Path;

/**
 * Where the local stack listens and keeps its data.
 *
 * @param dataDir        broker logs, checkpoints and log files; cleared of topics and state at each start
 * @param kafkaPort      Kafka listener (0 = any free port)
 * @param grpcPort       OTLP/gRPC listener (0 = any free port)
 * @param httpPort       OTLP/HTTP listener (0 = any free port)
 * @param bridgeAdminPort the bridge's health and Prometheus metrics (0 = any free port)
 * @param dashboardPort  Flink web dashboard and REST API
 * @param prometheusPort Flink's Prometheus reporter
 */
public record LocalStackOptions(
        Path dataDir,
        int kafkaPort,
        int grpcPort,
        int httpPort,
        int bridgeAdminPort,
        int dashboardPort,
        int prometheusPort) {}
