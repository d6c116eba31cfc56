package io.otlpgovernor.bridge.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.otlpgovernor.bridge.BridgeConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka is reachable, so the bridge can refuse at once (retryable) while it is not, instead of letting
 * requests wait for the producer's delivery timeout and pile up.
 *
 * <p>A background check asks the cluster to describe itself every {@code health-check-interval}; a failed write for
 * a reason that means "unreachable" marks Kafka down at once, before the next check. Only a successful check marks it
 * reachable again, so the bridge recovers by itself once Kafka is back. This is also the bridge's readiness.
 */
public final class KafkaHealth implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaHealth.class);

    private final Admin admin;
    private final Duration interval;
    private final ScheduledExecutorService checker;
    private volatile boolean reachable;

    public KafkaHealth(BridgeConfig.Kafka config) {
        Map<String, Object> props = new HashMap<>(KafkaForwarder.clientProperties(config));
        int timeoutMs = Math.toIntExact(
                Math.max(1000, config.healthCheckIntervalDuration().toMillis()));
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "otlp-governor-bridge-health");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        this.admin = Admin.create(props);
        this.interval = config.healthCheckIntervalDuration();
        this.checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bridge-kafka-health");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Checks once now (so a bridge that starts with Kafka up is ready at once), then every interval. */
    public KafkaHealth start() {
        check();
        checker.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Whether the last check succeeded and no write has failed for lack of Kafka since. */
    public boolean reachable() {
        return reachable;
    }

    /** A write failed: if the reason means Kafka is unreachable, say so until the next successful check. */
    public void writeFailed(Throwable error) {
        if ((error instanceof RetriableException || error instanceof org.apache.kafka.common.errors.TimeoutException)
                && reachable) {
            reachable = false;
            LOG.warn(
                    "Kafka looks unreachable ({}); refusing requests until it answers again",
                    error.getClass().getSimpleName());
        }
    }

    private void check() {
        try {
            int timeoutMs = Math.toIntExact(Math.max(1000, interval.toMillis()));
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .nodes()
                    .get(timeoutMs + 500L, TimeUnit.MILLISECONDS);
            if (!reachable) {
                LOG.info("Kafka is reachable");
            }
            reachable = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (reachable) {
                LOG.warn(
                        "Kafka is unreachable ({}); refusing requests until it answers again",
                        e.getClass().getSimpleName());
            }
            reachable = false;
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
