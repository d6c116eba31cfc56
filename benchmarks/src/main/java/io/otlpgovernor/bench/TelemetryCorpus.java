package io.otlpgovernor.bench;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/**
 * Synthetic but realistic telemetry: HTTP server and database spans with about 20 attributes each, following
 * OpenTelemetry's semantic conventions, of which a few carry personal data (a client IP on every server span, an
 * email in one span in five, a phone number in one in ten, a card number in one in fifty); and log records with
 * free-text bodies that mention personal data at similar rates. Seeded, so every run sees the same corpus.
 */
public final class TelemetryCorpus {

    private static final String[] ROUTES = {
        "/api/cart", "/api/checkout", "/api/products/{id}", "/api/users/{id}", "/health"
    };
    private static final String[] AGENTS = {
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
        "okhttp/4.12.0"
    };

    /** The default base time: November 2023. */
    private static final long DEFAULT_BASE_NANOS = 1_700_000_000_000_000_000L;
    /** Span starts and log times fall within this long after the base time (spans end up to 5 s later). */
    public static final long TIME_SPREAD_NANOS = 1_000_000_000_000L;

    private static final int RECENT_TRACES = 500;

    private final SplittableRandom random;
    private final long baseNanos;
    private final int spansPerTrace;
    private final ByteString[] recentTraces = new ByteString[RECENT_TRACES];
    private long traces;
    private int spansLeftInTrace;

    public TelemetryCorpus(long seed) {
        this(seed, DEFAULT_BASE_NANOS);
    }

    /**
     * A corpus whose spans start and log records happen within {@link #TIME_SPREAD_NANOS} (about 17 minutes) after
     * {@code baseNanos} (epoch nanoseconds); the same seed gives the same content whatever the base time.
     */
    public TelemetryCorpus(long seed, long baseNanos) {
        this(seed, baseNanos, 1);
    }

    /**
     * As {@link #TelemetryCorpus(long, long)}, with traces of {@code spansPerTrace} consecutive spans (a trace can
     * continue in the next request) and log records that belong to one of the last {@value #RECENT_TRACES}
     * traces. With 1, every span and log record has a trace id of its own.
     */
    public TelemetryCorpus(long seed, long baseNanos, int spansPerTrace) {
        this.random = new SplittableRandom(seed);
        this.baseNanos = baseNanos;
        this.spansPerTrace = spansPerTrace;
    }

    /** One export request with {@code spans} spans from one service. */
    public ExportTraceServiceRequest spans(int spans) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder()
                        .setName("io.opentelemetry.spring-webmvc-6.0")
                        .setVersion("2.4.0"));
        for (int i = 0; i < spans; i++) {
            scope.addSpans(i % 3 == 2 ? databaseSpan() : serverSpan());
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(
                        ResourceSpans.newBuilder().setResource(resource()).addScopeSpans(scope))
                .build();
    }

    /** One export request with {@code records} log records. */
    public ExportLogsServiceRequest logs(int records) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("org.slf4j"));
        for (int i = 0; i < records; i++) {
            scope.addLogRecords(logRecord());
        }
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(
                        ResourceLogs.newBuilder().setResource(resource()).addScopeLogs(scope))
                .build();
    }

    private Resource resource() {
        return Resource.newBuilder()
                .addAttributes(kv("service.name", "checkout"))
                .addAttributes(kv("service.version", "1.42.0"))
                .addAttributes(kv("service.namespace", "shop"))
                .addAttributes(kv("deployment.environment", "production"))
                .addAttributes(kv("host.name", "checkout-7d9f8c6b5-x2x9q"))
                .addAttributes(kv("k8s.pod.name", "checkout-7d9f8c6b5-x2x9q"))
                .addAttributes(kv("k8s.namespace.name", "shop"))
                .addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
                .addAttributes(kv("telemetry.sdk.language", "java"))
                .addAttributes(kv("telemetry.sdk.version", "1.38.0"))
                .build();
    }

    private Span serverSpan() {
        String route = ROUTES[random.nextInt(ROUTES.length)];
        String user = "user-" + random.nextInt(1_000_000);
        Span.Builder span = baseSpan("GET " + route, Span.SpanKind.SPAN_KIND_SERVER)
                .addAttributes(kv("http.request.method", "GET"))
                .addAttributes(kv("http.route", route))
                .addAttributes(kv("url.path", route.replace("{id}", Integer.toString(random.nextInt(100_000)))))
                .addAttributes(kv("url.query", "page=" + random.nextInt(20) + "&sort=price"))
                .addAttributes(kv("url.scheme", "https"))
                .addAttributes(intKv("http.response.status_code", random.nextInt(50) == 0 ? 500 : 200))
                .addAttributes(kv("server.address", "shop.example.com"))
                .addAttributes(intKv("server.port", 443))
                .addAttributes(kv("client.address", ip()))
                .addAttributes(intKv("client.port", 40_000 + random.nextInt(20_000)))
                .addAttributes(kv("network.protocol.version", "1.1"))
                .addAttributes(kv("user_agent.original", AGENTS[random.nextInt(AGENTS.length)]))
                .addAttributes(kv("enduser.id", user))
                .addAttributes(kv("thread.name", "http-nio-8080-exec-" + random.nextInt(200)))
                .addAttributes(intKv("thread.id", random.nextInt(500)))
                .addAttributes(kv("code.function", "handle"))
                .addAttributes(kv("code.namespace", "com.example.shop.CheckoutController"))
                .addAttributes(kv("session.id", Long.toHexString(random.nextLong())));
        if (random.nextInt(5) == 0) {
            span.addAttributes(kv("enduser.email", user + "@example.org"));
        }
        if (random.nextInt(10) == 0) {
            span.addAttributes(kv("customer.contact", "+1 (415) 555-" + (1000 + random.nextInt(9000))));
        }
        if (random.nextInt(50) == 0) {
            span.addAttributes(kv("payment.note", "paid with 4111 1111 1111 1111"));
        }
        return span.build();
    }

    private Span databaseSpan() {
        Span.Builder span = baseSpan("SELECT shop.orders", Span.SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(kv("db.system", "postgresql"))
                .addAttributes(kv("db.namespace", "shop"))
                .addAttributes(kv("db.operation.name", "SELECT"))
                .addAttributes(kv("db.collection.name", "orders"))
                .addAttributes(kv(
                        "db.query.text",
                        "SELECT id, total, status FROM orders WHERE customer_id = ? AND created_at > ?"))
                .addAttributes(kv("server.address", "orders-db.shop.svc.cluster.local"))
                .addAttributes(intKv("server.port", 5432))
                .addAttributes(kv("network.peer.address", "10.12." + random.nextInt(256) + "." + random.nextInt(256)))
                .addAttributes(intKv("db.response.returned_rows", random.nextInt(100)))
                .addAttributes(kv("db.client.connection.pool.name", "HikariPool-1"))
                .addAttributes(kv("thread.name", "http-nio-8080-exec-" + random.nextInt(200)))
                .addAttributes(kv("code.function", "findRecentOrders"))
                .addAttributes(kv("code.namespace", "com.example.shop.OrderRepository"))
                .addAttributes(kv("code.filepath", "OrderRepository.java"))
                .addAttributes(intKv("code.lineno", 40 + random.nextInt(200)))
                .addAttributes(kv("otel.library.name", "io.opentelemetry.jdbc"))
                .addAttributes(kv("peer.service", "orders-db"))
                .addAttributes(kv("db.user", "shop_app"))
                .addAttributes(kv("net.transport", "ip_tcp"));
        if (random.nextInt(5) == 0) {
            span.addAttributes(kv("db.query.parameter.0", "customer" + random.nextInt(1000) + "@example.net"));
        }
        return span.build();
    }

    private Span.Builder baseSpan(String name, Span.SpanKind kind) {
        long start = baseNanos + random.nextLong(TIME_SPREAD_NANOS);
        return Span.newBuilder()
                .setTraceId(spanTraceId())
                .setSpanId(id(8))
                .setParentSpanId(id(8))
                .setName(name)
                .setKind(kind)
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(start + random.nextLong(5_000_000_000L))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_UNSET));
    }

    private LogRecord logRecord() {
        String user = "user-" + random.nextInt(1_000_000);
        String body = switch (random.nextInt(10)) {
            case 0 -> "Password reset requested for " + user + "@example.org from " + ip();
            case 1 ->
                "Order " + random.nextInt(10_000_000) + " confirmation sent to +44 20 7946 "
                        + (1000 + random.nextInt(9000));
            case 2 -> "Payment declined: card 5555 5555 5555 4444 expired";
            default ->
                "Order " + random.nextInt(10_000_000) + " moved to state SHIPPED after " + random.nextInt(500) + " ms";
        };
        return LogRecord.newBuilder()
                .setTimeUnixNano(baseNanos + random.nextLong(TIME_SPREAD_NANOS))
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO)
                .setSeverityText("INFO")
                .setBody(AnyValue.newBuilder().setStringValue(body))
                .setTraceId(logTraceId())
                .setSpanId(id(8))
                .addAttributes(kv("thread.name", "kafka-consumer-" + random.nextInt(8)))
                .addAttributes(kv("code.namespace", "com.example.shop.OrderEvents"))
                .addAttributes(kv("enduser.id", user))
                .addAttributes(intKv("order.items", 1 + random.nextInt(9)))
                .build();
    }

    /** The trace id of the next span: a new one every {@code spansPerTrace} spans. */
    private ByteString spanTraceId() {
        if (spansPerTrace == 1) {
            return id(16);
        }
        if (spansLeftInTrace == 0) {
            recentTraces[(int) (traces++ % RECENT_TRACES)] = id(16);
            spansLeftInTrace = spansPerTrace;
        }
        spansLeftInTrace--;
        return recentTraces[(int) ((traces - 1) % RECENT_TRACES)];
    }

    /** A log record's trace id: one of the recent traces' (or its own when traces are single spans). */
    private ByteString logTraceId() {
        if (spansPerTrace == 1 || traces == 0) {
            return id(16);
        }
        return recentTraces[
                (int) ((traces - 1 - random.nextInt((int) Math.min(traces, RECENT_TRACES))) % RECENT_TRACES)];
    }

    private String ip() {
        return (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                + (1 + random.nextInt(254));
    }

    private ByteString id(int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            buffer.put((byte) random.nextInt(256));
        }
        return ByteString.copyFrom(buffer.array());
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    private static KeyValue intKv(String key, long value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setIntValue(value))
                .build();
    }
}
