package io.otlpgovernor.local.demo;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

/**
 * Turns a {@link Call} tree into what instrumented services would have recorded: spans with explicit timestamps (so a
 * slow path takes no real time), a client span in the caller for every call into another service, log records in
 * their span's context, and for every server span a request count and duration, as HTTP instrumentation records them.
 */
final class TraceEmitter {

    private static final long MILLI = 1_000_000L;
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

    private final TenantTelemetry telemetry;

    TraceEmitter(TenantTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    /** Emits the trace of {@code root} so that it ends at {@code end}. */
    void emit(Call root, Instant end) {
        long endNanos = TimeUnit.SECONDS.toNanos(end.getEpochSecond()) + end.getNano();
        emit(root, Context.root(), endNanos - root.durationMillis() * MILLI);
    }

    /** Emits {@code call} starting at {@code start} (epoch nanoseconds) under {@code parent}; returns its end. */
    private long emit(Call call, Context parent, long start) {
        Span span = telemetry
                .tracer(call.service())
                .spanBuilder(call.name())
                .setSpanKind(call.kind())
                .setParent(parent)
                .setStartTimestamp(start, TimeUnit.NANOSECONDS)
                .setAllAttributes(call.attributes())
                .startSpan();
        Context context = parent.with(span);
        long half = call.selfMillis() * MILLI / 2;
        for (LogLine log : call.logs()) {
            writeLog(call.service(), log, context, start + half / 2);
        }
        long cursor = start + half;
        for (Call child : call.children()) {
            cursor = child.service().equals(call.service())
                    ? emit(child, context, cursor)
                    : emitRemote(call.service(), child, context, cursor);
        }
        long end = cursor + half;
        if (call.error() != null) {
            span.setStatus(StatusCode.ERROR, call.error());
        }
        span.end(end, TimeUnit.NANOSECONDS);
        measure(call, (end - start) / (double) MILLI);
        return end;
    }

    /** A call into another service: the caller's client span around the callee's server span. */
    private long emitRemote(String caller, Call callee, Context parent, long start) {
        Span client = telemetry
                .tracer(caller)
                .spanBuilder(callee.name())
                .setSpanKind(SpanKind.CLIENT)
                .setParent(parent)
                .setStartTimestamp(start, TimeUnit.NANOSECONDS)
                .startSpan();
        long end = emit(callee, parent.with(client), start + MILLI) + MILLI;
        if (callee.error() != null) {
            client.setStatus(StatusCode.ERROR, callee.error());
        }
        client.end(end, TimeUnit.NANOSECONDS);
        return end;
    }

    private void writeLog(String service, LogLine log, Context context, long timestampNanos) {
        var record = telemetry
                .logger(service)
                .logRecordBuilder()
                .setSeverity(log.severity())
                .setSeverityText(log.severity().name())
                .setBody(log.body())
                .setAllAttributes(log.attributes());
        if (log.age().isZero()) {
            record.setContext(context).setTimestamp(timestampNanos, TimeUnit.NANOSECONDS);
        } else {
            // A record buffered by a client and uploaded late: it has its own, old time and no trace context.
            record.setContext(Context.root())
                    .setTimestamp(timestampNanos - log.age().toNanos(), TimeUnit.NANOSECONDS);
        }
        record.emit();
    }

    private void measure(Call call, double durationMillis) {
        var meter = telemetry.meter(call.service());
        if (call.kind() == SpanKind.SERVER) {
            Attributes request = Attributes.of(ROUTE, call.name(), OUTCOME, call.error() == null ? "ok" : "error");
            meter.counterBuilder("http.server.requests").build().add(1, request);
            meter.histogramBuilder("http.server.request.duration")
                    .setUnit("ms")
                    .build()
                    .record(durationMillis, request);
        }
        for (Measurement measurement : call.measurements()) {
            if (measurement.histogram()) {
                meter.histogramBuilder(measurement.name())
                        .build()
                        .record(measurement.value(), measurement.attributes());
            } else {
                meter.counterBuilder(measurement.name())
                        .build()
                        .add((long) measurement.value(), measurement.attributes());
            }
        }
    }
}
