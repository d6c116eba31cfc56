package io.otlpgovernor.contract.otlp.encode;

import java.io.IOException;
import java.util.Arrays;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;

/**
 * What writing the items of one request takes, in order: copies of byte ranges of the original, and fields to
 * encode. Planned by the sizing pass, carried out by the writing pass.
 */
final class ItemOperations {

    private static final byte COPY = 0;
    private static final byte MESSAGE = 1;
    private static final byte STRING = 2;

    private byte[] kinds = new byte[64];
    private int[] first = new int[64];
    private int[] second = new int[64];
    private Object[] values = new Object[64];
    private int count;

    int count() {
        return count;
    }

    /** Copies the original's bytes from {@code start} to {@code end}; returns their length. */
    int copy(int start, int end) {
        if (end <= start) {
            return 0;
        }
        add(COPY, start, end, null);
        return end - start;
    }

    /** Encodes {@code message} as field {@code number}, or as bare fields when {@code number} is 0; returns the size. */
    int message(int number, Message message) {
        add(MESSAGE, number, 0, message);
        return number == 0 ? message.getSerializedSize() : CodedOutputStream.computeMessageSize(number, message);
    }

    /** Encodes {@code value} as string field {@code number}; returns the size. */
    int string(int number, String value) {
        add(STRING, number, 0, value);
        return CodedOutputStream.computeStringSize(number, value);
    }

    void write(int index, byte[] original, CodedOutputStream out) throws IOException {
        switch (kinds[index]) {
            case COPY -> out.writeRawBytes(original, first[index], second[index] - first[index]);
            case MESSAGE -> {
                Message message = (Message) values[index];
                if (first[index] == 0) {
                    message.writeTo(out);
                } else {
                    out.writeMessage(first[index], message);
                }
            }
            default -> out.writeString(first[index], (String) values[index]);
        }
    }

    private void add(byte kind, int a, int b, Object value) {
        if (count == kinds.length) {
            int capacity = count * 2;
            kinds = Arrays.copyOf(kinds, capacity);
            first = Arrays.copyOf(first, capacity);
            second = Arrays.copyOf(second, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        kinds[count] = kind;
        first[count] = a;
        second[count] = b;
        values[count] = value;
        count++;
    }
}
