package io.otlpgovernor.local.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * A demo tenant's services as the OpenTelemetry SDK sees them: one tracer, logger and meter provider per service (each
 * with its own {@code service.name} resource), all exporting through the tenant's OTLP exporters with its API key.
 * {@link #close} flushes everything and then closes the exporters.
 */
final class TenantTelemetry implements AutoCloseable {

    /** The instrumentation scope of everything the demo's services record. */
    static final String SCOPE = "io.otlpgovernor.demo";
    /** Large enough that a settlement batch fits: the SDK drops spans that find its queue full. */
    private static final int QUEUE_SIZE = 8192;

    private final SpanExporter spanExporter;
    private final LogRecordExporter logExporter;
    private final MetricExporter metricExporter;
    private final Map<String, Service> services = new LinkedHashMap<>();
    private boolean stopped;

    private record Service(SdkTracerProvider traces, SdkLoggerProvider logs, SdkMeterProvider metrics) {}

    /** The tenant's services exporting to the bridge at {@code endpoints}, counting what it acknowledged in {@code tally}. */
    static TenantTelemetry forBridge(
            DemoTenant tenant, Endpoints endpoints, DemoTruth.Tally tally, Duration metricInterval) {
        String authorization = "Bearer " + tenant.apiKey();
        if (tenant.transport() == Transport.GRPC) {
            return new TenantTelemetry(
                    tenant.id(),
                    tenant.scenario().services(),
                    tally,
                    metricInterval,
                    OtlpGrpcSpanExporter.builder()
                            .setEndpoint(endpoints.grpc())
                            .addHeader("authorization", authorization)
                            .build(),
                    OtlpGrpcLogRecordExporter.builder()
                            .setEndpoint(endpoints.grpc())
                            .addHeader("authorization", authorization)
                            .build(),
                    OtlpGrpcMetricExporter.builder()
                            .setEndpoint(endpoints.grpc())
                            .addHeader("authorization", authorization)
                            .build());
        }
        return new TenantTelemetry(
                tenant.id(),
                tenant.scenario().services(),
                tally,
                metricInterval,
                OtlpHttpSpanExporter.builder()
                        .setEndpoint(endpoints.http() + "/v1/traces")
                        .addHeader("authorization", authorization)
                        .build(),
                OtlpHttpLogRecordExporter.builder()
                        .setEndpoint(endpoints.http() + "/v1/logs")
                        .addHeader("authorization", authorization)
                        .build(),
                OtlpHttpMetricExporter.builder()
                        .setEndpoint(endpoints.http() + "/v1/metrics")
                        .addHeader("authorization", authorization)
                        .build());
    }

    /** {@code services} of {@code tenant}, exporting through the given exporters (which it closes) and counting in {@code tally}. */
    TenantTelemetry(
            String tenant,
            List<String> serviceNames,
            DemoTruth.Tally tally,
            Duration metricInterval,
            SpanExporter spanExporter,
            LogRecordExporter logExporter,
            MetricExporter metricExporter) {
        this.spanExporter = spanExporter;
        this.logExporter = logExporter;
        this.metricExporter = metricExporter;
        SpanExporter spans = new CountingSpanExporter(spanExporter, tally);
        LogRecordExporter logs = new CountingLogRecordExporter(logExporter, tally);
        MetricExporter metrics = new CountingMetricExporter(metricExporter, tally);
        for (String service : serviceNames) {
            services.put(service, service(tenant, service, spans, logs, metrics, metricInterval));
        }
    }

    private static Service service(
            String tenant,
            String service,
            SpanExporter spans,
            LogRecordExporter logs,
            MetricExporter metrics,
            Duration metricInterval) {
        Resource resource = resource(tenant, service);
        return new Service(
                SdkTracerProvider.builder()
                        .setResource(resource)
                        .addSpanProcessor(BatchSpanProcessor.builder(spans)
                                .setMaxQueueSize(QUEUE_SIZE)
                                .build())
                        .build(),
                SdkLoggerProvider.builder()
                        .setResource(resource)
                        .addLogRecordProcessor(BatchLogRecordProcessor.builder(logs)
                                .setMaxQueueSize(QUEUE_SIZE)
                                .build())
                        .build(),
                SdkMeterProvider.builder()
                        .setResource(resource)
                        .registerMetricReader(PeriodicMetricReader.builder(metrics)
                                .setInterval(metricInterval)
                                .build())
                        .build());
    }

    /** The resource of a demo service: the SDK's default attributes, its name, its tenant as namespace. */
    static Resource resource(String tenant, String service) {
        return Resource.getDefault()
                .merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), service,
                        AttributeKey.stringKey("service.namespace"), tenant,
                        AttributeKey.stringKey("deployment.environment.name"), "demo")));
    }

    Tracer tracer(String service) {
        return service(service).traces().get(SCOPE);
    }

    Logger logger(String service) {
        return service(service).logs().get(SCOPE);
    }

    Meter meter(String service) {
        return service(service).metrics().get(SCOPE);
    }

    private Service service(String name) {
        Service service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("the scenario uses a service it does not list: " + name);
        }
        return service;
    }

    /** Flushes and stops every provider: the last spans, log records and metric collection are exported. Idempotent. */
    void stopProviders() {
        if (stopped) {
            return;
        }
        stopped = true;
        List<AutoCloseable> providers = new ArrayList<>();
        services.values().forEach(s -> providers.addAll(List.of(s.traces(), s.logs(), s.metrics())));
        for (AutoCloseable provider : providers) {
            try {
                provider.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close the demo's SDK provider", e);
            }
        }
    }

    /** Stops the providers, then closes the exporters. */
    @Override
    public void close() {
        stopProviders();
        spanExporter.shutdown().join(10, TimeUnit.SECONDS);
        logExporter.shutdown().join(10, TimeUnit.SECONDS);
        metricExporter.shutdown().join(10, TimeUnit.SECONDS);
    }

    /** The bridge's OTLP endpoints, as exporter URLs: {@code http://localhost:4317} and {@code http://localhost:4318}. */
    record Endpoints(String grpc, String http) {}
}
