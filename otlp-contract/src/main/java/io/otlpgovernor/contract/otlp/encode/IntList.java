package io.otlpgovernor.contract.otlp.encode;

import java.util.Arrays;

/** A growing list of ints, with slots reserved now and filled later. */
final class IntList {

    private int[] values = new int[64];
    private int count;

    /** Adds a slot (0 for now) and returns its index. */
    int reserve() {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        return count++;
    }

    void set(int index, int value) {
        values[index] = value;
    }

    int get(int index) {
        return values[index];
    }
}
