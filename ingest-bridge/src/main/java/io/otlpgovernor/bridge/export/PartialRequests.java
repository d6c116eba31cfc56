package io.otlpgovernor.bridge.export;

import java.util.Optional;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.OtlpPayloads;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.contract.otlp.tree.TreePosition;

/**
 * Splits a request that {@link OtlpPayloads} refused into its valid items and the rest, for an OTLP partial
 * success. Only spans and log records can be invalid on their own (identifiers of the wrong length); a request that
 * does not parse, has unknown top-level fields, or is metrics, is refused whole.
 *
 * <p>Each item is checked by {@link OtlpPayloads}' own item checks, so the rules stay in one place; scopes and
 * resources left without valid items are removed. This path re-encodes the request; valid requests never take it
 * and are forwarded byte for byte.
 */
final class PartialRequests {

    /**
     * @param payload   the request without its invalid items
     * @param kept      items in {@code payload}
     * @param rejected  items removed
     * @param firstProblem what is wrong with the first removed item, and where in the original request
     */
    record Split(byte[] payload, long kept, long rejected, String firstProblem) {}

    private PartialRequests() {}

    static Optional<Split> keepValid(Signal signal, byte[] payload) {
        try {
            return switch (signal) {
                case SPANS -> {
                    FirstProblem<Span> check = new FirstProblem<>(OtlpPayloads::spanProblem);
                    yield Optional.of(
                            check.split(OtlpTree.filter(ExportTraceServiceRequest.parseFrom(payload), check::keep)));
                }
                case LOGS -> {
                    FirstProblem<LogRecord> check = new FirstProblem<>(OtlpPayloads::logRecordProblem);
                    yield Optional.of(
                            check.split(OtlpTree.filter(ExportLogsServiceRequest.parseFrom(payload), check::keep)));
                }
                case METRICS -> Optional.empty();
            };
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    /** What is wrong with an item at a position of the walk, or null. */
    @FunctionalInterface
    private interface ItemCheck<I> {
        String problem(I item, TreePosition at);
    }

    /** Keeps the items that pass their check and remembers what was wrong with the first one that did not. */
    private static final class FirstProblem<I> {
        private final ItemCheck<I> check;
        private String first;

        FirstProblem(ItemCheck<I> check) {
            this.check = check;
        }

        I keep(I item, TreePosition at) {
            String problem = check.problem(item, at);
            first = first != null || problem == null ? first : problem;
            return problem == null ? item : null;
        }

        Split split(OtlpTree.Filtered<? extends Message> kept) {
            return new Split(kept.request().toByteArray(), kept.kept(), kept.dropped(), first);
        }
    }
}
