package io.otlpgovernor.contract.otlp.tree;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * The one walk over OTLP's three signal trees — request → resource → scope → item (span, log record, or metric →
 * data point), with span events, span links and exemplars — that every stage uses to read, change, drop or split
 * the items of an export request.
 *
 * <ul>
 *   <li>{@link #walk} visits every node with a {@link TreeVisitor} that keeps, replaces or drops it, copy-on-write:
 *       what the visitor leaves alone comes out as the same instance, so an untouched request is returned itself
 *       (and encodes to the bytes it was parsed from); containers left empty by drops are removed.
 *   <li>{@link #partition} splits a request into one request per key of its items, each keeping the resource and
 *       scope (and metric) structure of its items; a container whose items all share one key goes into that part
 *       as it is.
 *   <li>{@link #filter} keeps, replaces or drops items by one function and counts what it kept and dropped.
 *   <li>{@link #forEach} reads every item in order, changing nothing.
 *   <li>{@link #count} counts items: spans, log records or data points.
 * </ul>
 *
 * <p>Stateless and thread-safe; a walk's {@link TreePosition} belongs to that walk.
 */
public final class OtlpTree {

    /** Returned by {@link TreeVisitor#attributes} to drop the owner of the list; compared by identity. */
    public static final List<KeyValue> DROP = Collections.unmodifiableList(new ArrayList<>(0));

    private OtlpTree() {}

    /** The key of an item for {@link #partition}: any value with equals and hashCode, or null to leave it out. */
    @FunctionalInterface
    public interface ItemKey<I, K> {
        K of(I item, TreePosition at);
    }

    /** What {@link #filter} does with each item: returns it, a replacement, or null to drop it. */
    @FunctionalInterface
    public interface ItemFilter<I> {
        I apply(I item, TreePosition at);
    }

    /**
     * A filtered request.
     *
     * @param request what is left: the same instance when the filter returned every item itself
     * @param kept items kept (as they were or replaced)
     * @param dropped items dropped
     */
    public record Filtered<R>(R request, long kept, long dropped) {}

    /** What {@link #forEach} does with each item. */
    @FunctionalInterface
    public interface ItemAction<I> {
        void accept(I item, TreePosition at);
    }

    /**
     * One part of a partitioned request.
     *
     * @param key the key its items share
     * @param request a request of the same type, holding only those items
     * @param items how many items it holds
     */
    public record Part<K, R>(K key, R request, long items) {}

    public static ExportTraceServiceRequest walk(ExportTraceServiceRequest request, TreeVisitor<Span> visitor) {
        return (ExportTraceServiceRequest) new Walk<>(Shape.SPANS, visitor).request(request);
    }

    public static ExportLogsServiceRequest walk(ExportLogsServiceRequest request, TreeVisitor<LogRecord> visitor) {
        return (ExportLogsServiceRequest) new Walk<>(Shape.LOGS, visitor).request(request);
    }

    /**
     * As {@link #walk(ExportTraceServiceRequest, TreeVisitor)}, noting in {@code origins} which span of {@code
     * request} each span of the result came from (for {@link io.otlpgovernor.contract.otlp.encode.CopyingEncoder}).
     */
    public static ExportTraceServiceRequest walk(
            ExportTraceServiceRequest request, TreeVisitor<Span> visitor, ItemOrigins origins) {
        return (ExportTraceServiceRequest) new Walk<>(Shape.SPANS, visitor, origins).request(request);
    }

    /** As {@link #walk(ExportTraceServiceRequest, TreeVisitor, ItemOrigins)}, for log records. */
    public static ExportLogsServiceRequest walk(
            ExportLogsServiceRequest request, TreeVisitor<LogRecord> visitor, ItemOrigins origins) {
        return (ExportLogsServiceRequest) new Walk<>(Shape.LOGS, visitor, origins).request(request);
    }

    /** Walks the data points of every metric; the visitor's items are the data point messages ({@link DataPoints}). */
    public static ExportMetricsServiceRequest walk(ExportMetricsServiceRequest request, TreeVisitor<Message> visitor) {
        return (ExportMetricsServiceRequest) new Walk<>(Shape.METRICS, visitor).request(request);
    }

    /** {@code request} with each span as {@code filter} returns it; see {@link #walk} for what happens to containers. */
    public static Filtered<ExportTraceServiceRequest> filter(
            ExportTraceServiceRequest request, ItemFilter<Span> filter) {
        Counting<Span> counting = new Counting<>(filter);
        return counting.filtered((ExportTraceServiceRequest) new Walk<>(Shape.SPANS, counting).request(request));
    }

    /** As {@link #filter(ExportTraceServiceRequest, ItemFilter)}, for log records. */
    public static Filtered<ExportLogsServiceRequest> filter(
            ExportLogsServiceRequest request, ItemFilter<LogRecord> filter) {
        Counting<LogRecord> counting = new Counting<>(filter);
        return counting.filtered((ExportLogsServiceRequest) new Walk<>(Shape.LOGS, counting).request(request));
    }

    /** Hands every span to {@code action}, in order. */
    public static void forEach(ExportTraceServiceRequest request, ItemAction<Span> action) {
        new Walk<>(Shape.SPANS, reading(action)).request(request);
    }

    /** Hands every log record to {@code action}, in order. */
    public static void forEach(ExportLogsServiceRequest request, ItemAction<LogRecord> action) {
        new Walk<>(Shape.LOGS, reading(action)).request(request);
    }

    /** Hands every data point to {@code action}, in order; {@link TreePosition#metric()} names its metric. */
    public static void forEach(ExportMetricsServiceRequest request, ItemAction<Message> action) {
        new Walk<>(Shape.METRICS, reading(action)).request(request);
    }

    private static <I> TreeVisitor<I> reading(ItemAction<I> action) {
        return new TreeVisitor<>() {
            @Override
            public I item(I item, TreePosition at) {
                action.accept(item, at);
                return item;
            }
        };
    }

    /**
     * {@code request} split by the key of each item, parts in the order their keys first appear; items whose key is
     * null are in no part. When every item has the same key, the one part is {@code request} itself.
     */
    public static <K> List<Part<K, ExportTraceServiceRequest>> partition(
            ExportTraceServiceRequest request, ItemKey<Span, K> key) {
        return new Partition<K, ExportTraceServiceRequest>(Shape.SPANS).split(request, key);
    }

    /** As {@link #partition(ExportTraceServiceRequest, ItemKey)}, for log records. */
    public static <K> List<Part<K, ExportLogsServiceRequest>> partition(
            ExportLogsServiceRequest request, ItemKey<LogRecord, K> key) {
        return new Partition<K, ExportLogsServiceRequest>(Shape.LOGS).split(request, key);
    }

    /**
     * As {@link #partition(ExportTraceServiceRequest, ItemKey)}, for data points: a metric whose points have several
     * keys is in each of those parts, as a copy carrying only its points of that key.
     */
    public static <K> List<Part<K, ExportMetricsServiceRequest>> partition(
            ExportMetricsServiceRequest request, ItemKey<Message, K> key) {
        return new Partition<K, ExportMetricsServiceRequest>(Shape.METRICS).split(request, key);
    }

    /** Spans, log records or data points in an export request of any signal. */
    public static long count(Message request) {
        return shapeOf(request).count(request, 0);
    }

    private static Shape shapeOf(Message request) {
        if (request instanceof ExportTraceServiceRequest) {
            return Shape.SPANS;
        } else if (request instanceof ExportLogsServiceRequest) {
            return Shape.LOGS;
        } else if (request instanceof ExportMetricsServiceRequest) {
            return Shape.METRICS;
        }
        throw new IllegalArgumentException(
                "not an OTLP export request: " + request.getDescriptorForType().getFullName());
    }

    /** A visitor applying an {@link ItemFilter} and counting its outcomes. */
    private static final class Counting<I> implements TreeVisitor<I> {
        private final ItemFilter<I> filter;
        private long kept;
        private long dropped;

        Counting(ItemFilter<I> filter) {
            this.filter = filter;
        }

        @Override
        public I item(I item, TreePosition at) {
            I result = filter.apply(item, at);
            if (result == null) {
                dropped++;
            } else {
                kept++;
            }
            return result;
        }

        <R> Filtered<R> filtered(R request) {
            return new Filtered<>(request, kept, dropped);
        }
    }

    /**
     * A partition in two passes: one walk gives every item its key's index (in order of first appearance); then the
     * tree is grouped bottom-up, each container in one copy per key it holds, or itself when all its items share
     * one key.
     */
    private static final class Partition<K, R extends Message> {

        private static final int LEFT_OUT = -1;

        private final Shape shape;
        private final Map<K, Integer> ids = new HashMap<>();
        private final List<K> keys = new ArrayList<>();
        private final List<long[]> counts = new ArrayList<>();
        private int[] keyOfItem;
        private int next;
        private boolean leftOut;

        Partition(Shape shape) {
            this.shape = shape;
        }

        @SuppressWarnings("unchecked")
        <I> List<Part<K, R>> split(R request, ItemKey<I, K> keyOf) {
            keyOfItem = new int[(int) shape.count(request, 0)];
            new Walk<>(shape, new TreeVisitor<I>() {
                        @Override
                        public I item(I item, TreePosition at) {
                            keyOfItem[at.itemIndex()] = idOf(keyOf.of(item, at));
                            return item;
                        }
                    })
                    .request(request);
            if (keys.size() == 1 && !leftOut) {
                return List.of(new Part<>(keys.get(0), request, keyOfItem.length));
            }
            List<Part<K, R>> parts = new ArrayList<>(keys.size());
            if (keys.isEmpty()) {
                return parts;
            }
            Map<Integer, Message> grouped = group(request, 0);
            for (int id = 0; id < keys.size(); id++) {
                parts.add(new Part<>(keys.get(id), (R) grouped.get(id), counts.get(id)[0]));
            }
            return parts;
        }

        private int idOf(K key) {
            if (key == null) {
                leftOut = true;
                return LEFT_OUT;
            }
            Integer id = ids.get(key);
            if (id == null) {
                id = keys.size();
                ids.put(key, id);
                keys.add(key);
                counts.add(new long[1]);
            }
            counts.get(id)[0]++;
            return id;
        }

        /** {@code node}'s copies per key id it holds items of, in order of first appearance. */
        private Map<Integer, Message> group(Message node, int level) {
            List<? extends Message> children = shape.children(node, level);
            Map<Integer, List<Message>> byKey = new LinkedHashMap<>();
            boolean whole = true;
            if (level + 1 == shape.itemLevel) {
                for (Message item : children) {
                    int id = keyOfItem[next++];
                    if (id == LEFT_OUT) {
                        whole = false;
                    } else {
                        byKey.computeIfAbsent(id, k -> new ArrayList<>()).add(item);
                    }
                }
            } else {
                for (Message child : children) {
                    Map<Integer, Message> parts = group(child, level + 1);
                    whole &= parts.size() == 1 && parts.values().iterator().next() == child;
                    parts.forEach((id, part) ->
                            byKey.computeIfAbsent(id, k -> new ArrayList<>()).add(part));
                }
            }
            Map<Integer, Message> result = new LinkedHashMap<>();
            if (whole && byKey.size() == 1) {
                result.put(byKey.keySet().iterator().next(), node);
                return result;
            }
            byKey.forEach((id, kept) -> result.put(id, shape.withChildren(node, level, kept)));
            return result;
        }
    }
}
