package io.otlpgovernor.bridge.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import io.otlpgovernor.bridge.export.ExportResult;
import io.otlpgovernor.bridge.export.Refusal;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The bridge's Prometheus metrics, in a registry of its own (so several bridges in one JVM do not collide), served
 * on the admin port's {@code /metrics}. Names start with {@code otlp_bridge_}; the JVM's own metrics come along.
 *
 * <p>Labels: {@code transport} ({@code grpc}, {@code http}), {@code signal} ({@code spans}, {@code metrics},
 * {@code logs}), {@code reason} (see {@link Refusal#label()}) and {@code tenant}, which is bounded: the first
 * {@value #MAX_TENANT_LABELS} tenants seen get their own value, later ones share {@code _other}, and requests that
 * were not authenticated use {@code _unauthenticated}. Nothing a client sends other than its authenticated tenant
 * becomes a label value; keys and payload content never appear.
 */
public final class BridgeMetrics {

    static final int MAX_TENANT_LABELS = 100;
    static final String OTHER_TENANTS = "_other";
    static final String UNAUTHENTICATED = "_unauthenticated";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Set<String> labelledTenants = ConcurrentHashMap.newKeySet();
    private final Counter requests;
    private final Counter items;
    private final Counter rejectedItems;
    private final Counter bytes;
    private final Counter rejections;
    private final Histogram latency;
    private final Counter keyReloads;

    public BridgeMetrics() {
        requests = Counter.builder()
                .name("otlp_bridge_requests_total")
                .help("Export requests answered, by outcome: ok, partial (some items refused) or refused")
                .labelNames("transport", "signal", "tenant", "outcome")
                .register(registry);
        items = Counter.builder()
                .name("otlp_bridge_items_total")
                .help("Spans, data points and log records written to Kafka")
                .labelNames("signal", "tenant")
                .register(registry);
        rejectedItems = Counter.builder()
                .name("otlp_bridge_items_rejected_total")
                .help("Invalid items removed from partly accepted requests")
                .labelNames("signal", "tenant")
                .register(registry);
        bytes = Counter.builder()
                .name("otlp_bridge_received_bytes_total")
                .help("Bytes of accepted requests, after decompression")
                .labelNames("transport", "signal", "tenant")
                .register(registry);
        rejections = Counter.builder()
                .name("otlp_bridge_rejections_total")
                .help("Requests refused, by reason")
                .labelNames("transport", "signal", "tenant", "reason")
                .register(registry);
        latency = Histogram.builder()
                .name("otlp_bridge_request_duration_seconds")
                .help("Time from a request's arrival to its answer")
                .labelNames("transport", "signal")
                .classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        keyReloads = Counter.builder()
                .name("otlp_bridge_keys_reloads_total")
                .help("Reloads of the keys file: applied, or refused because the new file is not valid")
                .labelNames("result")
                .register(registry);
        JvmMetrics.builder().register(registry);
    }

    /** Gauges read when scraped: requests in flight and whether Kafka is reachable. */
    public void watch(IntSupplier inFlight, BooleanSupplier kafkaReachable) {
        GaugeWithCallback.builder()
                .name("otlp_bridge_in_flight_requests")
                .help("Requests being handled now")
                .callback(callback -> callback.call(inFlight.getAsInt()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("otlp_bridge_kafka_reachable")
                .help("1 while Kafka is reachable (readiness), else 0")
                .callback(callback -> callback.call(kafkaReachable.getAsBoolean() ? 1 : 0))
                .register(registry);
    }

    /** Records the answer to one export request. {@code tenant} is null when the request was not authenticated. */
    public void answered(
            String transport, String signal, String tenant, ExportResult result, long requestBytes, long startNanos) {
        String tenantLabel = tenantLabel(tenant);
        if (result instanceof ExportResult.Accepted accepted) {
            requests.labelValues(transport, signal, tenantLabel, accepted.rejectedItems() > 0 ? "partial" : "ok")
                    .inc();
            items.labelValues(signal, tenantLabel).inc(accepted.items());
            if (accepted.rejectedItems() > 0) {
                rejectedItems.labelValues(signal, tenantLabel).inc(accepted.rejectedItems());
            }
            bytes.labelValues(transport, signal, tenantLabel).inc(requestBytes);
        } else {
            refused(transport, signal, tenant, ((ExportResult.Refused) result).reason());
        }
        latency.labelValues(transport, signal).observe((System.nanoTime() - startNanos) / 1e9);
    }

    /** Records a refused request. */
    public void refused(String transport, String signal, String tenant, Refusal reason) {
        String tenantLabel = tenantLabel(tenant);
        requests.labelValues(transport, signal, tenantLabel, "refused").inc();
        rejections.labelValues(transport, signal, tenantLabel, reason.label()).inc();
    }

    public void keysReloaded(boolean applied) {
        keyReloads.labelValues(applied ? "applied" : "refused").inc();
    }

    /** The metrics in Prometheus' text format. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    private String tenantLabel(String tenant) {
        if (tenant == null) {
            return UNAUTHENTICATED;
        }
        if (labelledTenants.contains(tenant)) {
            return tenant;
        }
        synchronized (labelledTenants) {
            if (labelledTenants.size() < MAX_TENANT_LABELS) {
                labelledTenants.add(tenant);
                return tenant;
            }
        }
        return OTHER_TENANTS;
    }
}
