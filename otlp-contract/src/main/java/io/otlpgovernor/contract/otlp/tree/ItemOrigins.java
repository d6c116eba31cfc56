package io.otlpgovernor.contract.otlp.tree;

import java.util.IdentityHashMap;
import java.util.Map;

import com.google.protobuf.Message;

/**
 * Which item of a walked request each item of its result came from: for every span or log record a copy-on-write
 * walk returned, the index (in flattened order: resource, scope, item) of the item it was given. The result's
 * unchanged items are the originals themselves; its changed ones are new messages, and this is how the {@link
 * io.otlpgovernor.contract.otlp.encode.CopyingEncoder} finds the bytes they were parsed from. Items are compared by identity.
 */
public final class ItemOrigins {

    private final Map<Message, Integer> indexOf = new IdentityHashMap<>(256);

    /** Notes that {@code item} came from the walked request's item {@code index}. */
    public void record(Message item, int index) {
        indexOf.put(item, index);
    }

    /** The index of the item {@code item} came from, or -1 when it did not come from the walk. */
    public int of(Message item) {
        Integer index = indexOf.get(item);
        return index == null ? -1 : index;
    }
}
