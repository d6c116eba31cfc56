package io.otlpgovernor.contract.otlp;

import java.util.Arrays;

/**
 * Where the spans or log records of a serialized export request lie: for item {@code i} in flattened order
 * (resource, scope, item), the offset of its first byte and its length, both in the request's bytes. Filled by
 * {@link WireCheck#locate}; two growing int arrays, so locating costs no object per item.
 */
public final class ItemBounds {

    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private int count;

    void add(int offset, int length) {
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        offsets[count] = offset;
        lengths[count] = length;
        count++;
    }

    /** The number of items located. */
    public int count() {
        return count;
    }

    /** Where item {@code index} starts in the request's bytes. */
    public int offset(int index) {
        return offsets[index];
    }

    /** The length in bytes of item {@code index}. */
    public int length(int index) {
        return lengths[index];
    }
}
