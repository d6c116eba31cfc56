package io.otlpgovernor.bridge;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.otlpgovernor.contract.config.ConfigException;

/**
 * Runs the bridge on its own: {@code BridgeMain <config.yaml>}. Logs are JSON lines on standard output
 * ({@code log4j2-bridge.xml}) unless {@code log4j2.configurationFile} names another configuration. A configuration
 * mistake prints what is wrong and where, and exits with status 2. SIGTERM drains requests in flight, flushes the
 * producer and exits.
 */
public final class BridgeMain {

    private BridgeMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-bridge.xml");
        }
        if (args.length != 1) {
            System.err.println("usage: BridgeMain <bridge-config.yaml>");
            System.exit(2);
        }
        IngestBridge bridge;
        try {
            bridge = IngestBridge.start(BridgeConfig.load(Path.of(args[0])));
        } catch (ConfigException e) {
            System.err.println("otlp-governor bridge: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            bridge.close();
                            stopped.countDown();
                            org.apache.logging.log4j.LogManager.shutdown();
                        },
                        "bridge-shutdown"));
        stopped.await();
    }
}
