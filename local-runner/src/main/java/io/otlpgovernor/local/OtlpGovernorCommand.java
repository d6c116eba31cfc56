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
import io.otlpgovernor.contract.config.ConfigException;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.local.demo.DemoTruth;
import io.otlpgovernor.local.demo.DemoWorkload;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./otlp-governor local}: runs the whole system on embedded defaults until Ctrl-C.
 *
 * <p>Exit status 2 means a usage or configuration mistake, reported in one line that says what and where.
 */
@Command(
        name = "otlp-governor local",
        mixinStandardHelpOptions = true,
        description = "Runs Kafka, the governance job on a local Flink cluster, and the OTLP bridge in one process.")
public final class OtlpGovernorCommand implements Callable<Integer> {

    @Option(
            names = "--data-dir",
            defaultValue = "local-data",
            description = "Where Kafka, checkpoints and logs live (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--kafka-port",
            defaultValue = "9092",
            description = "Kafka listener port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--grpc-port", defaultValue = "4317", description = "OTLP/gRPC port (default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--http-port", defaultValue = "4318", description = "OTLP/HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(
            names = "--bridge-admin-port",
            defaultValue = "9464",
            description = "Bridge health and metrics port (default: ${DEFAULT-VALUE}).")
    int bridgeAdminPort;

    @Option(
            names = "--dashboard-port",
            defaultValue = "8081",
            description = "Flink dashboard port (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(
            names = "--prometheus-port",
            defaultValue = "9249",
            description = "Flink Prometheus reporter port (default: ${DEFAULT-VALUE}).")
    int prometheusPort;

    @Option(
            names = "--job-config",
            defaultValue = "job/config/job.yaml",
            description = "Job settings (default: ${DEFAULT-VALUE}).")
    Path jobConfig;

    @Option(
            names = "--bridge-config",
            defaultValue = "ingest-bridge/config/bridge.yaml",
            description = "Bridge settings (default: ${DEFAULT-VALUE}).")
    Path bridgeConfig;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--demo",
            description = "Also run the demo workload: the demo tenants' services send traces, logs and metrics "
                    + "through the bridge; what they sent goes to the topic " + DemoTruth.TOPIC + ".")
    boolean demo;

    @Option(
            names = "--demo-rate",
            paramLabel = "<requests per second>",
            description = "User requests per second and demo tenant (default: " + DEFAULT_DEMO_RATE + "; with --demo).")
    Double demoRate;

    static final double DEFAULT_DEMO_RATE = 5;
    static final double MAX_DEMO_RATE = 1000;

    @Override
    public Integer call() throws Exception {
        Optional<String> demoProblem = demoProblem();
        if (demoProblem.isPresent()) {
            spec.commandLine().getErr().println("otlp-governor: " + demoProblem.get());
            return 2;
        }
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
        System.setProperty(
                "otlp.governor.log.dir",
                dataDir.resolve("logs").toAbsolutePath().toString());
        LocalStackOptions options = new LocalStackOptions(
                dataDir, kafkaPort, grpcPort, httpPort, bridgeAdminPort, dashboardPort, prometheusPort);
        Optional<String> busy = busyPort(Map.of(
                "Kafka (--kafka-port)",
                kafkaPort,
                "OTLP/gRPC (--grpc-port)",
                grpcPort,
                "OTLP/HTTP (--http-port)",
                httpPort,
                "bridge admin (--bridge-admin-port)",
                bridgeAdminPort,
                "Flink dashboard (--dashboard-port)",
                dashboardPort,
                "Prometheus (--prometheus-port)",
                prometheusPort));
        if (busy.isPresent()) {
            System.err.println("otlp-governor: " + busy.get());
            return 2;
        }
        System.out.println("Starting Kafka, the Flink job and the bridge (logs in "
                + options.dataDir().resolve("logs") + ") ...");
        LocalStack stack;
        try {
            stack = LocalStack.start(options, jobSettings, bridge);
        } catch (Exception e) {
            System.err.println("otlp-governor: could not start: " + e.getMessage() + " (details in "
                    + options.dataDir().resolve("logs/otlp-governor.log") + ")");
            LogManager.getLogger(OtlpGovernorCommand.class).error("Local stack failed to start", e);
            return 1;
        }
        stack.describe(demoKeys).forEach(System.out::println);
        DemoWorkload workload;
        try {
            workload = startDemo(stack);
        } catch (RuntimeException e) {
            System.err.println("otlp-governor: could not start the demo workload: " + e.getMessage());
            stack.close();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (workload != null) {
                                System.out.println("Stopping the demo workload ...");
                                workload.close();
                            }
                            System.out.println("Stopping: bridge, job, Kafka ...");
                            stack.close();
                            stopped.countDown();
                            LogManager.shutdown();
                        },
                        "local-stack-shutdown"));
        stopped.await();
        return 0;
    }

    /** What is wrong with the demo options, if anything. */
    private Optional<String> demoProblem() {
        if (demoRate == null) {
            return Optional.empty();
        }
        if (!demo) {
            return Optional.of("--demo-rate needs --demo");
        }
        if (!(demoRate > 0 && demoRate <= MAX_DEMO_RATE)) {
            return Optional.of(
                    "--demo-rate must be above 0 and at most " + (int) MAX_DEMO_RATE + " requests per second");
        }
        return Optional.empty();
    }

    private DemoWorkload startDemo(LocalStack stack) {
        if (!demo) {
            return null;
        }
        double rate = demoRate == null ? DEFAULT_DEMO_RATE : demoRate;
        DemoWorkload workload = DemoWorkload.start(rate, stack.grpcPort(), stack.httpPort(), stack.bootstrapServers());
        System.out.println("Demo workload: " + rate + " user requests per second for each of "
                + String.join(", ", DemoWorkload.apiKeys().keySet()) + "; what it sent goes to the topic "
                + DemoTruth.TOPIC + ". Notebooks: notebooks/README.md");
        return workload;
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

    /** The demo keys (the README's) that {@code keys} accepts, by tenant, to print for people; the keys file holds only their hashes. */
    private static Map<String, List<String>> demoKeys(ApiKeys keys) {
        Map<String, List<String>> byTenant = new TreeMap<>();
        DemoWorkload.apiKeys().forEach((tenant, key) -> {
            if (keys.tenantFor(key).filter(tenant::equals).isPresent()) {
                byTenant.put(tenant, List.of(key));
            }
        });
        return byTenant;
    }

    /** The command line, with a mistake in the options reported in one line and exit status 2. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new OtlpGovernorCommand());
        commandLine.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("otlp-governor: " + e.getMessage() + " (see --help)");
            return 2;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        int status = commandLine().execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }
}
