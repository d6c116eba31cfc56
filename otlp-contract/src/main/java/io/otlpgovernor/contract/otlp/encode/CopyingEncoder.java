package io.otlpgovernor.contract.otlp.encode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.otlpgovernor.contract.otlp.tree.ItemOrigins;

/**
 * Serializes a span or log request that a copy-on-write walk derived from a parsed one, copying the original's
 * bytes for what did not change instead of encoding it again:
 *
 * <ul>
 *   <li>an item the walk left alone is its original bytes;
 *   <li>an item whose only changes are in its attribute list and its name (span) or body (log record) — what
 *       protection changes — is its original bytes with those fields replaced: each attribute it kept is copied,
 *       each new one encoded where the one it replaced was;
 *   <li>anything else, and every container (resource, scope, schema URL: a few fields per request), is encoded as
 *       protobuf does.
 * </ul>
 *
 * <p>The bytes parse to a request equal to the one given; when the original was encoded canonically (fields in
 * number order, as every protobuf library writes them) they are the bytes {@code toByteArray()} gives. One instance
 * per request; not thread-safe.
 */
public final class CopyingEncoder {

    private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private final OriginalRequest original;
    private final ItemOrigins origins;
    private final ItemFields fields;
    /** Container and item sizes, in the order the writing pass needs them; items add their operation count. */
    private final IntList sizes = new IntList();

    private final ItemOperations operations = new ItemOperations();
    private int nextSize;
    private int nextOperation;

    private CopyingEncoder(OriginalRequest original, ItemOrigins origins, ItemFields fields) {
        this.original = original;
        this.origins = origins;
        this.fields = fields;
    }

    /** {@code request}'s bytes; its items came from {@code original}'s as {@code origins} says. */
    public static byte[] spans(ExportTraceServiceRequest request, OriginalRequest original, ItemOrigins origins) {
        return new CopyingEncoder(original, origins, ItemFields.SPANS).encode(request);
    }

    /** {@code request}'s bytes; its items came from {@code original}'s as {@code origins} says. */
    public static byte[] logs(ExportLogsServiceRequest request, OriginalRequest original, ItemOrigins origins) {
        return new CopyingEncoder(original, origins, ItemFields.LOGS).encode(request);
    }

    /**
     * Both requests' trees have the same containers: the request holds resource containers (field 1), which hold a
     * resource (field 1), scope containers (field 2) and a schema URL (field 3); scope containers hold a scope
     * (field 1), items (field 2) and a schema URL (field 3). Level 0 is the request, 1 a resource container, 2 a
     * scope container.
     */
    private byte[] encode(Message request) {
        int size = sizeOf(request, 0);
        byte[] bytes = new byte[size];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            write(out, request, 0);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    // Sizing pass: records every container's and item's size (and each item's operations) in writing order.

    private int sizeOf(Message node, int level) {
        int slot = level == 0 ? -1 : sizes.reserve();
        Message head = fields.head(node, level);
        int size = head == null ? 0 : CodedOutputStream.computeMessageSize(1, head);
        for (Message child : fields.children(node, level)) {
            size += sizeOfField(level == 2 ? sizeOfItem(child) : sizeOf(child, level + 1));
        }
        String schemaUrl = fields.schemaUrl(node, level);
        size += schemaUrl.isEmpty() ? 0 : CodedOutputStream.computeStringSize(3, schemaUrl);
        // Unknown fields: protobuf writes them after the known ones.
        size += node.getUnknownFields().getSerializedSize();
        if (slot >= 0) {
            sizes.set(slot, size);
        }
        return size;
    }

    /** A length-delimited field of a one-byte tag (field numbers below 16) holding {@code size} bytes. */
    private int sizeOfField(int size) {
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }

    /** Plans how {@code item} is written and returns its size. */
    private int sizeOfItem(Message item) {
        int sizeSlot = sizes.reserve();
        int countSlot = sizes.reserve();
        int firstOperation = operations.count();
        int size = planItem(item);
        sizes.set(sizeSlot, size);
        sizes.set(countSlot, operations.count() - firstOperation);
        return size;
    }

    private int planItem(Message item) {
        int index = origins.of(item);
        if (index >= 0) {
            Message was = original.item(index);
            int offset = original.offset(index);
            int end = offset + original.length(index);
            if (was == item) {
                return operations.copy(offset, end);
            }
            if (fields.sameBesidesReplaceable(item, was)) {
                return splice(item, was, offset, end);
            }
        }
        return operations.message(0, item);
    }

    /**
     * {@code now}'s fields as {@code was}'s bytes between {@code start} and {@code end}, with its attribute list and
     * its replaceable field (span name, log body) written where {@code was} had them.
     */
    private int splice(Message now, Message was, int start, int end) {
        List<KeyValue> attributes = fields.attributes(now);
        int[] copyOf = matchCopies(attributes, fields.attributes(was));
        int wasAttributes = fields.attributes(was).size();
        boolean replace = !fields.sameReplaceable(now, was);
        boolean replaced = false;
        int size = 0;
        int next = 0;
        int occurrence = 0;
        int copyFrom = start;
        WireReader reader = new WireReader(original.payload(), start, end);
        while (reader.hasMore()) {
            int fieldStart = reader.position();
            int tag = reader.readTag();
            reader.skip(tag);
            int fieldEnd = reader.position();
            int number = tag >>> 3;
            // Fields the original did not have go before the first field of a higher number, where protobuf puts
            // them.
            if (replace && !replaced && number > fields.replaceableNumber()) {
                size += operations.copy(copyFrom, fieldStart) + fields.planReplaceable(now, operations);
                copyFrom = fieldStart;
                replaced = true;
            }
            if (wasAttributes == 0 && next < attributes.size() && number > fields.attributesNumber()) {
                size += operations.copy(copyFrom, fieldStart) + writeNew(attributes, next);
                copyFrom = fieldStart;
                next = attributes.size();
            }
            boolean delimited = (tag & 7) == LENGTH_DELIMITED;
            if (delimited && number == fields.attributesNumber()) {
                size += operations.copy(copyFrom, fieldStart);
                while (next < attributes.size() && copyOf[next] <= occurrence) {
                    size += copyOf[next] == occurrence
                            ? operations.copy(fieldStart, fieldEnd)
                            : operations.message(fields.attributesNumber(), attributes.get(next));
                    next++;
                }
                occurrence++;
                if (occurrence == wasAttributes) {
                    size += writeNew(attributes, next);
                    next = attributes.size();
                }
                copyFrom = fieldEnd;
            } else if (replace && delimited && number == fields.replaceableNumber()) {
                size += operations.copy(copyFrom, fieldStart);
                if (!replaced) {
                    size += fields.planReplaceable(now, operations);
                    replaced = true;
                }
                copyFrom = fieldEnd;
            }
        }
        size += operations.copy(copyFrom, end);
        size += writeNew(attributes, next);
        if (replace && !replaced) {
            size += fields.planReplaceable(now, operations);
        }
        return size;
    }

    private int writeNew(List<KeyValue> attributes, int from) {
        int size = 0;
        for (int i = from; i < attributes.size(); i++) {
            size += operations.message(fields.attributesNumber(), attributes.get(i));
        }
        return size;
    }

    /**
     * For each attribute now, the index of the one it is (by identity) in the list it was derived from, or -1 for a
     * new one. A copy-on-write walk keeps the order of what it keeps, so one forward pass finds them.
     */
    private static int[] matchCopies(List<KeyValue> now, List<KeyValue> was) {
        int[] copyOf = new int[now.size()];
        int from = 0;
        for (int i = 0; i < now.size(); i++) {
            KeyValue attribute = now.get(i);
            copyOf[i] = -1;
            for (int j = from; j < was.size(); j++) {
                if (was.get(j) == attribute) {
                    copyOf[i] = j;
                    from = j + 1;
                    break;
                }
            }
        }
        return copyOf;
    }

    // Writing pass: the same walk, reading the sizes and operations back in order.

    private void write(CodedOutputStream out, Message node, int level) throws IOException {
        if (level > 0) {
            out.writeTag(level == 1 ? 1 : 2, LENGTH_DELIMITED);
            out.writeUInt32NoTag(sizes.get(nextSize++));
        }
        Message head = fields.head(node, level);
        if (head != null) {
            out.writeMessage(1, head);
        }
        for (Message child : fields.children(node, level)) {
            if (level == 2) {
                writeItem(out);
            } else {
                write(out, child, level + 1);
            }
        }
        String schemaUrl = fields.schemaUrl(node, level);
        if (!schemaUrl.isEmpty()) {
            out.writeString(3, schemaUrl);
        }
        node.getUnknownFields().writeTo(out);
    }

    /** The next item, as field 2 of its scope container. */
    private void writeItem(CodedOutputStream out) throws IOException {
        out.writeTag(2, LENGTH_DELIMITED);
        out.writeUInt32NoTag(sizes.get(nextSize++));
        int count = sizes.get(nextSize++);
        for (int i = 0; i < count; i++) {
            operations.write(nextOperation++, original.payload(), out);
        }
    }
}
