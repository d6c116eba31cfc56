package io.otlpgovernor.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.otlpgovernor.bridge.BridgeConfig;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.rules.config.ConfigException;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./otlp-governor local}: runs the whole system on embedded defaults until Ctrl-C.
 *
 * <p>Exit status 2 means a usage or configuration mistake, reported in one line that says what and where.
 */
@Command(name = "otlp-governor local", mixinStandardHelpOptions = true,
        description = "Runs Kafka, the governance job on a local Flink cluster, and the OTLP bridge in one process.")
public final class OtlpGovernorCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "local-data", description = "Where Kafka, checkpoints and logs live (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka listener port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--grpc-port", defaultValue = "4317", description = "OTLP/gRPC port (default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--http-port", defaultValue = "4318", description = "OTLP/HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--bridge-admin-port", defaultValue = "9464", description = "Bridge health and metrics port (default: ${DEFAULT-VALUE}).")
    int bridgeAdminPort;

    @Option(names = "--dashboard-port", defaultValue = "8081", description = "Flink dashboard port (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(names = "--prometheus-port", defaultValue = "9249", description = "Flink Prometheus reporter port (default: ${DEFAULT-VALUE}).")
    int prometheusPort;

    @Option(names = "--job-config", defaultValue = "job/config/job.yaml", description = "Job settings (default: ${DEFAULT-VALUE}).")
    Path jobConfig;

    @Option(names = "--bridge-config", defaultValue = "ingest-bridge/config/bridge.yaml", description = "Bridge settings (default: ${DEFAULT-VALUE}).")
    Path bridgeConfig;

    @Override
    public Integer call() throws Exception {
        JobSettings jobSettings;
        BridgeConfig bridge;
        Map<String, List<String>> demoKeys;
        try {
            jobSettings = JobSettings.load(jobConfig);
            bridge = BridgeConfig.load(bridgeConfig);
            demoKeys = demoKeys(ApiKeys.load(bridge.keysFile()));
        } catch (ConfigException e) {
            System.err.println("otlp-governor: " + e.getMessage());
            return 2;
        }
        System.setProperty("otlp.governor.log.dir", dataDir.resolve("logs").toAbsolutePath().toString());
        LocalStackOptions options = new LocalStackOptions(dataDir, kafkaPort, grpcPort, httpPort, bridgeAdminPort,
                dashboardPort, prometheusPort);
        Optional<String> busy = busyPort(Map.of("Kafka (--kafka-port)", kafkaPort, "OTLP/gRPC (--grpc-port)", grpcPort,
                "OTLP/HTTP (--http-port)", httpPort, "bridge admin (--bridge-admin-port)", bridgeAdminPort,
                "Flink dashboard (--dashboard-port)", dashboardPort, "Prometheus (--prometheus-port)", prometheusPort));
        if (busy.isPresent()) {
            System.err.println("otlp-governor: " + busy.get());
            return 2;
        }
        System.out.println("Starting Kafka, the Flink job and the bridge (logs in " + options.dataDir().resolve("logs") + ") ...");
        LocalStack stack;
        try {
            stack = LocalStack.start(options, jobSettings, bridge);
        } catch (Exception e) {
            System.err.println("otlp-governor: could not start: " + e.getMessage()
                    + " (details in " + options.dataDir().resolve("logs/otlp-governor.log") + ")");
            LogManager.getLogger(OtlpGovernorCommand.class).error("Local stack failed to start", e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping: bridge, job, Kafka ...");
            stack.close();
            stopped.countDown();
            LogManager.shutdown();
        }, "local-stack-shutdown"));
        stack.describe(demoKeys).forEach(System.out::println);
        stopped.await();
        return 0;
    }

    /** A message naming the first of {@code ports} that another process already listens on, if any. */
    private static Optional<String> busyPort(Map<String, Integer> ports) {
        for (Map.Entry<String, Integer> port : new TreeMap<>(ports).entrySet()) {
            if (port.getValue() == 0) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("localhost", port.getValue()));
            } catch (IOException e) {
                return Optional.of("port " + port.getValue() + " for " + port.getKey()
                        + " is already in use; stop what uses it or choose another port");
            }
        }
        return Optional.empty();
    }

    /** The README's demo keys; the keys file holds only their hashes. */
    private static final Map<String, String> DEMO_KEYS = Map.of("acme", "acme-demo-key-0001", "globex", "globex-demo-key-0001");

    /** The demo keys that {@code keys} accepts, by tenant, to print for people. */
    private static Map<String, List<String>> demoKeys(ApiKeys keys) {
        Map<String, List<String>> byTenant = new TreeMap<>();
        DEMO_KEYS.forEach((tenant, key) -> {
            if (keys.tenantFor(key).filter(tenant::equals).isPresent()) {
                byTenant.put(tenant, List.of(key));
            }
        });
        return byTenant;
    }

    public static void main(String[] args) {
        int status = new CommandLine(new OtlpGovernorCommand()).execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }
}
