package io.otlpgovernor.bridge;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.rules.config.ConfigException;

/**
 * Runs the bridge on its own: {@code BridgeMain <config.yaml>}. A configuration mistake prints what is wrong and
 * where, and exits with status 2.
 */
public final class BridgeMain {

    private BridgeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: BridgeMain <bridge-config.yaml>");
            System.exit(2);
        }
        IngestBridge bridge;
        try {
            BridgeConfig config = BridgeConfig.load(Path.of(args[0]));
            bridge = IngestBridge.start(config, ApiKeys.load(config.keysFile()));
        } catch (ConfigException e) {
            System.err.println("otlp-governor bridge: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bridge.close();
            stopped.countDown();
        }, "bridge-shutdown"));
        System.out.println("otlp-governor bridge: OTLP/gRPC on port " + bridge.grpcPort());
        stopped.await();
    }
}
