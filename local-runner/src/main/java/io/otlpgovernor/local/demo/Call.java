package io.otlpgovernor.local.demo;

import java.util.ArrayList;
import java.util.List;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;

/**
 * One operation of a demo trace, as plain data: the service that does it, how long it takes itself, what it logs and
 * measures, whether it fails, and the operations it calls. {@link TraceEmitter} turns a tree of calls into spans, log
 * records and measurements; a call into another service gets a client span in the caller, as instrumented code would.
 *
 * @param service      the resource's {@code service.name}
 * @param name         the span name
 * @param kind         the span kind
 * @param selfMillis   time spent in the operation itself, around its children
 * @param attributes   span attributes
 * @param error        the error description, or {@code null} when the operation succeeds
 * @param logs         log records written during the operation, tied to its span
 * @param measurements metric measurements recorded by the operation
 * @param children     operations it calls, one after the other
 */
record Call(
        String service,
        String name,
        SpanKind kind,
        long selfMillis,
        Attributes attributes,
        String error,
        List<LogLine> logs,
        List<Measurement> measurements,
        List<Call> children) {

    Call {
        logs = List.copyOf(logs);
        measurements = List.copyOf(measurements);
        children = List.copyOf(children);
    }

    /** A successful server operation with nothing else yet. */
    static Call server(String service, String name, long selfMillis, Attributes attributes) {
        return new Call(service, name, SpanKind.SERVER, selfMillis, attributes, null, List.of(), List.of(), List.of());
    }

    /** An operation inside a service (no remote call). */
    static Call internal(String service, String name, long selfMillis, Attributes attributes) {
        return new Call(
                service, name, SpanKind.INTERNAL, selfMillis, attributes, null, List.of(), List.of(), List.of());
    }

    Call calling(Call... more) {
        List<Call> all = new ArrayList<>(children);
        all.addAll(List.of(more));
        return new Call(service, name, kind, selfMillis, attributes, error, logs, measurements, all);
    }

    Call logging(LogLine... more) {
        List<LogLine> all = new ArrayList<>(logs);
        all.addAll(List.of(more));
        return new Call(service, name, kind, selfMillis, attributes, error, all, measurements, children);
    }

    Call measuring(Measurement... more) {
        List<Measurement> all = new ArrayList<>(measurements);
        all.addAll(List.of(more));
        return new Call(service, name, kind, selfMillis, attributes, error, logs, all, children);
    }

    Call failing(String description) {
        return new Call(service, name, kind, selfMillis, attributes, description, logs, measurements, children);
    }

    Call slowedBy(long extraMillis) {
        return new Call(service, name, kind, selfMillis + extraMillis, attributes, error, logs, measurements, children);
    }

    /** Spans this call makes: its own, a client span per call into another service, and its children's. */
    int spanCount() {
        int count = 1;
        for (Call child : children) {
            count += child.spanCount() + (child.service.equals(service) ? 0 : 1);
        }
        return count;
    }

    /** Whole duration: its own time plus its children's, with a millisecond each way for a remote call. */
    long durationMillis() {
        long total = selfMillis;
        for (Call child : children) {
            total += child.durationMillis() + (child.service.equals(service) ? 0 : 2);
        }
        return total;
    }
}
