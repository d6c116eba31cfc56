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
import io.otlpgovernor.contract.otlp.tree.TreeVisitor;

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
                    ValidItems<Span> valid = new ValidItems<>(OtlpPayloads::spanProblem);
                    yield Optional.of(valid.split(OtlpTree.walk(ExportTraceServiceRequest.parseFrom(payload), valid)));
                }
                case LOGS -> {
                    ValidItems<LogRecord> valid = new ValidItems<>(OtlpPayloads::logRecordProblem);
                    yield Optional.of(valid.split(OtlpTree.walk(ExportLogsServiceRequest.parseFrom(payload), valid)));
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

    /** Drops the items that fail their check, counting both outcomes and keeping the first problem. */
    private static final class ValidItems<I> implements TreeVisitor<I> {
        private final ItemCheck<I> check;
        private long kept;
        private long rejected;
        private String firstProblem;

        ValidItems(ItemCheck<I> check) {
            this.check = check;
        }

        @Override
        public I item(I item, TreePosition at) {
            String problem = check.problem(item, at);
            if (problem == null) {
                kept++;
                return item;
            }
            rejected++;
            firstProblem = firstProblem != null ? firstProblem : problem;
            return null;
        }

        Split split(Message keptRequest) {
            return new Split(keptRequest.toByteArray(), kept, rejected, firstProblem);
        }
    }
}
