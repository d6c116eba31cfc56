package io.otlpgovernor.contract.otlp.encode;

/**
 * Reads the fields of a protobuf message's bytes without decoding them: tags, lengths, and skipping values. For
 * bytes that were parsed successfully before; a malformed field ends in an {@link IllegalStateException}.
 */
final class WireReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] bytes;
    private final int end;
    private int position;

    WireReader(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.position = start;
        this.end = end;
    }

    boolean hasMore() {
        return position < end;
    }

    int position() {
        return position;
    }

    void moveTo(int position) {
        this.position = position;
    }

    int readTag() {
        return (int) readVarint();
    }

    int readLength() {
        long length = readVarint();
        if (length < 0 || length > end - position) {
            throw new IllegalStateException("a length of " + length + " at byte " + position + " runs past the end");
        }
        return (int) length;
    }

    /** Skips the value of a field whose tag was just read. */
    void skip(int tag) {
        switch (tag & 7) {
            case VARINT -> readVarint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(readLength());
            case FIXED32 -> advance(4);
            default -> throw new IllegalStateException("wire type " + (tag & 7) + " at byte " + position);
        }
    }

    private void advance(int count) {
        if (count > end - position) {
            throw new IllegalStateException("a field at byte " + position + " runs past the end");
        }
        position += count;
    }

    private long readVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw new IllegalStateException("a varint runs past the end");
            }
            byte b = bytes[position++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalStateException("a varint longer than ten bytes at byte " + position);
    }
}
