package io.otlpgovernor.contract.otlp;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.opentelemetry.proto.metrics.v1.Metric;

/**
 * Splits an OTLP export request that is too large for one Kafka record into requests of at most a given size,
 * each item (span, log record, metric) whole under its own resource and scope, in the order items came.
 *
 * <p>The three request types share one shape — request → resources (field 1) → scopes (field 2) → items (field 2)
 * — so one walk over protobuf's reflection serves them all; it only runs for the rare request over the limit. A
 * metric too large for a part is split into copies of itself, each with some of its data points (the same metric,
 * as OTLP allows it to appear more than once). A single span or log record larger than the limit is a request of
 * its own: it cannot be split without changing what it says.
 */
public final class RequestSplitter {

    private static final int RESOURCES = 1;
    private static final int SCOPES = 2;
    private static final int ITEMS = 2;

    private RequestSplitter() {}

    /**
     * A part of a request.
     *
     * @param request the part, a request of the same type
     * @param items   its spans or log records, or for metrics its data points
     */
    public record Chunk<T extends Message>(T request, long items) {}

    /**
     * {@code request} in parts whose serialized size is at most {@code maxBytes}, but for single items larger than
     * that, which are parts of their own; {@code request} alone when it fits.
     */
    public static <T extends Message> List<Chunk<T>> split(T request, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        if (request.getSerializedSize() <= maxBytes) {
            return List.of(new Chunk<>(request, itemsOf(request)));
        }
        Splitting<T> splitting = new Splitting<>(request, maxBytes);
        FieldDescriptor resources = field(request, RESOURCES);
        for (Object resource : (List<?>) request.getField(resources)) {
            splitting.addResource((Message) resource);
        }
        return splitting.finish();
    }

    private static FieldDescriptor field(Message message, int number) {
        return message.getDescriptorForType().findFieldByNumber(number);
    }

    /** The size of a field holding {@code bytes} bytes: tag, length and content. */
    private static int fieldSize(int bytes) {
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(bytes) + bytes;
    }

    /** A resource or scope opened in a part: its own fields, and room for its length to grow with what it holds. */
    private static int container(Message head) {
        return fieldSize(head.getSerializedSize()) + 4;
    }

    /** A scope's items, with each metric larger than {@code budget} (as a field) in copies that fit it. */
    private static List<Message> itemsIn(Message scope, FieldDescriptor itemsField, int budget) {
        List<Message> items = new ArrayList<>();
        for (Object item : (List<?>) scope.getField(itemsField)) {
            if (item instanceof Metric metric && fieldSize(metric.getSerializedSize()) > budget) {
                items.addAll(metricInCopies(metric, budget));
            } else {
                items.add((Message) item);
            }
        }
        return items;
    }

    /**
     * {@code metric} as copies of itself that each hold consecutive data points and fit {@code budget} as a field; a
     * data point larger than that alone is a copy of its own. Every metric type keeps its points in field 1 of its
     * data message (gauge, sum, histogram, exponential histogram, summary).
     */
    private static List<Metric> metricInCopies(Metric metric, int budget) {
        FieldDescriptor dataField = metric.getOneofFieldDescriptor(
                Metric.getDescriptor().getOneofs().get(0));
        if (dataField == null) {
            return List.of(metric);
        }
        Message data = (Message) metric.getField(dataField);
        FieldDescriptor pointsField = field(data, 1);
        Message dataHead = data.toBuilder().clearField(pointsField).build();
        int headSize = fieldSize(
                        metric.toBuilder().setField(dataField, dataHead).build().getSerializedSize())
                + 8;
        List<Metric> copies = new ArrayList<>();
        Message.Builder points = dataHead.toBuilder();
        int size = headSize;
        for (Object point : (List<?>) data.getField(pointsField)) {
            int pointSize = fieldSize(((Message) point).getSerializedSize());
            if (points.getRepeatedFieldCount(pointsField) > 0 && size + pointSize > budget) {
                copies.add(
                        metric.toBuilder().setField(dataField, points.build()).build());
                points = dataHead.toBuilder();
                size = headSize;
            }
            points.addRepeatedField(pointsField, point);
            size += pointSize;
        }
        copies.add(metric.toBuilder().setField(dataField, points.build()).build());
        return copies;
    }

    private static long itemsOf(Message request) {
        long count = 0;
        for (Object resource : (List<?>) request.getField(field(request, RESOURCES))) {
            Message resourceMessage = (Message) resource;
            for (Object scope : (List<?>) resourceMessage.getField(field(resourceMessage, SCOPES))) {
                Message scopeMessage = (Message) scope;
                for (Object item : (List<?>) scopeMessage.getField(field(scopeMessage, ITEMS))) {
                    count += items((Message) item);
                }
            }
        }
        return count;
    }

    private static long items(Message item) {
        return item instanceof Metric metric ? OtlpPayloads.dataPointCount(metric) : 1;
    }

    /** The parts made so far and the one being filled. */
    private static final class Splitting<T extends Message> {

        private final T request;
        private final int maxBytes;
        private final List<Chunk<T>> chunks = new ArrayList<>();
        private Message.Builder chunk;
        private Message.Builder resource;
        private Message.Builder scope;
        private FieldDescriptor scopeItems;
        private int size;
        private long items;

        Splitting(T request, int maxBytes) {
            this.request = request;
            this.maxBytes = maxBytes;
        }

        void addResource(Message fullResource) {
            FieldDescriptor scopes = field(fullResource, SCOPES);
            Message resourceHead = fullResource.toBuilder().clearField(scopes).build();
            for (Object fullScope : (List<?>) fullResource.getField(scopes)) {
                Message scopeMessage = (Message) fullScope;
                FieldDescriptor itemsField = field(scopeMessage, ITEMS);
                Message scopeHead =
                        scopeMessage.toBuilder().clearField(itemsField).build();
                boolean scopeOpen = false;
                int itemBudget = maxBytes - container(resourceHead) - container(scopeHead);
                for (Message itemMessage : itemsIn(scopeMessage, itemsField, itemBudget)) {
                    int itemSize = fieldSize(itemMessage.getSerializedSize());
                    int opening =
                            (resource == null ? container(resourceHead) : 0) + (scopeOpen ? 0 : container(scopeHead));
                    if (chunk != null && size + opening + itemSize > maxBytes) {
                        close();
                        scopeOpen = false;
                        opening = container(resourceHead) + container(scopeHead);
                    }
                    if (chunk == null) {
                        chunk = request.newBuilderForType();
                    }
                    if (resource == null) {
                        resource = resourceHead.toBuilder();
                    }
                    if (!scopeOpen) {
                        closeScope();
                        scope = scopeHead.toBuilder();
                        scopeItems = itemsField;
                        scopeOpen = true;
                    }
                    scope.addRepeatedField(scopeItems, itemMessage);
                    size += opening + itemSize;
                    items += items(itemMessage);
                }
            }
            closeResource();
        }

        private void closeScope() {
            if (scope != null) {
                resource.addRepeatedField(field(resource.getDefaultInstanceForType(), SCOPES), scope.build());
                scope = null;
            }
        }

        private void closeResource() {
            if (resource != null) {
                closeScope();
                chunk.addRepeatedField(field(request, RESOURCES), resource.build());
                resource = null;
            }
        }

        /** Ends the part being filled; the next item starts a new one. */
        private void close() {
            closeResource();
            @SuppressWarnings("unchecked")
            T part = (T) chunk.build();
            chunks.add(new Chunk<>(part, items));
            chunk = null;
            size = 0;
            items = 0;
        }

        List<Chunk<T>> finish() {
            if (chunk != null) {
                close();
            }
            return chunks;
        }
    }
}
