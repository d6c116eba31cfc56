package io.otlpgovernor.rules.sampling;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.otlp.ItemBounds;

/**
 * {@link ItemRandomness#spans} and {@link ItemRandomness#logs} on the serialized request, without parsing it: the
 * decode step needs each item's randomness and nothing else, so it reads the two or three fields that hold it
 * (trace id, tracestate; a log record's {@code sampling.*} attributes) and skips the rest of each item by length.
 * The request must have passed {@link io.otlpgovernor.contract.otlp.WireCheck#locate}, which checked its framing
 * and UTF-8 and found the items.
 *
 * <p>It reads what protobuf's parser would keep: the last occurrence of a singular field, a known field with an
 * unexpected wire type as an unknown one, the oneof member given last across merged occurrences of an attribute's
 * value. An item whose randomness comes from the hash of its serialized bytes (see {@link ItemRandomness}) is
 * parsed alone and re-serialized, as {@code ItemRandomness} does, since its bytes as received need not be
 * protobuf's canonical encoding. {@code WireRandomnessTest} checks both ways agree.
 */
final class WireRandomness {

    private static final byte[] THRESHOLD_KEY =
            ConsistentDecision.SAMPLING_THRESHOLD_ATTRIBUTE.getBytes(StandardCharsets.UTF_8);
    private static final byte[] RANDOMNESS_KEY =
            ConsistentDecision.SAMPLING_RANDOMNESS_ATTRIBUTE.getBytes(StandardCharsets.UTF_8);

    /** For each field number of {@code AnyValue}: the wire type that makes it a member of its value oneof, or -1. */
    private static final int[] VALUE_MEMBER_WIRE_TYPE = valueMemberWireTypes();

    private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int KEY_TAG = KeyValue.KEY_FIELD_NUMBER << 3 | LEN;
    private static final int VALUE_TAG = KeyValue.VALUE_FIELD_NUMBER << 3 | LEN;

    private final byte[] bytes;
    private int position;

    private WireRandomness(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The high 16 bits of R for every span located in {@code payload}. */
    static char[] spans(byte[] payload, ItemBounds items) {
        WireRandomness reader = new WireRandomness(payload);
        char[] out = new char[items.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ItemRandomness.high16(reader.span(items.offset(i), items.length(i)));
        }
        return out;
    }

    /** The high 16 bits of R for every log record located in {@code payload}. */
    static char[] logs(byte[] payload, ItemBounds items) {
        WireRandomness reader = new WireRandomness(payload);
        char[] out = new char[items.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ItemRandomness.high16(reader.logRecord(items.offset(i), items.length(i)));
        }
        return out;
    }

    private long span(int offset, int length) {
        int end = offset + length;
        int traceId = -1;
        int traceIdLength = 0;
        int traceState = -1;
        int traceStateLength = 0;
        position = offset;
        while (position < end) {
            int tag = readVarint32();
            int number = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            if (wireType == LEN && number == Span.TRACE_ID_FIELD_NUMBER) {
                traceIdLength = readVarint32();
                traceId = position;
                position += traceIdLength;
            } else if (wireType == LEN && number == Span.TRACE_STATE_FIELD_NUMBER) {
                traceStateLength = readVarint32();
                traceState = position;
                position += traceStateLength;
            } else {
                skip(wireType);
            }
        }
        OtelTraceState state = traceStateLength == 0
                ? OtelTraceState.EMPTY
                : OtelTraceState.parse(new String(bytes, traceState, traceStateLength, StandardCharsets.UTF_8));
        long explicit = state.randomnessValue();
        if (explicit >= 0) {
            return explicit;
        }
        long fromTraceId = traceIdValue(traceId, traceIdLength);
        return fromTraceId >= 0 ? fromTraceId : ItemRandomness.hashed(reencoded(Span.parser(), offset, length));
    }

    private long logRecord(int offset, int length) {
        int end = offset + length;
        int traceId = -1;
        int traceIdLength = 0;
        String threshold = null;
        String randomness = null;
        position = offset;
        while (position < end) {
            int tag = readVarint32();
            int number = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            if (wireType == LEN && number == LogRecord.TRACE_ID_FIELD_NUMBER) {
                traceIdLength = readVarint32();
                traceId = position;
                position += traceIdLength;
            } else if (wireType == LEN && number == LogRecord.ATTRIBUTES_FIELD_NUMBER) {
                int attributeLength = readVarint32();
                int attribute = position;
                int attributeEnd = attribute + attributeLength;
                // As ItemRandomness.stringAttribute: the first attribute with the key decides.
                if (threshold == null && keyIs(attribute, attributeEnd, THRESHOLD_KEY)) {
                    threshold = stringValue(attribute, attributeEnd);
                } else if (randomness == null && keyIs(attribute, attributeEnd, RANDOMNESS_KEY)) {
                    randomness = stringValue(attribute, attributeEnd);
                }
                position = attributeEnd;
            } else {
                skip(wireType);
            }
        }
        OtelTraceState state = threshold == null && randomness == null
                ? OtelTraceState.EMPTY
                : OtelTraceState.ofLogAttributes(
                        threshold == null ? "" : threshold, randomness == null ? "" : randomness);
        long explicit = state.randomnessValue();
        if (explicit >= 0) {
            return explicit;
        }
        long fromTraceId = traceIdValue(traceId, traceIdLength);
        return fromTraceId >= 0 ? fromTraceId : ItemRandomness.hashed(reencoded(LogRecord.parser(), offset, length));
    }

    /** As {@link ItemRandomness#traceIdValue}: MISSING unless exactly 16 bytes, not all zero. */
    private long traceIdValue(int offset, int length) {
        return length == Randomness.TRACE_ID_BYTES
                ? Randomness.traceIdValue(bytes, offset, length)
                : Randomness.MISSING;
    }

    /** Whether the key of the {@code KeyValue} in {@code [start, end)} (its last one, as the parser keeps) is {@code key}. */
    private boolean keyIs(int start, int end, byte[] key) {
        int found = -1;
        int foundLength = 0;
        position = start;
        while (position < end) {
            int tag = readVarint32();
            if (tag == KEY_TAG) {
                foundLength = readVarint32();
                found = position;
                position += foundLength;
            } else {
                skip(WireFormat.getTagWireType(tag));
            }
        }
        if (foundLength != key.length) {
            return false;
        }
        for (int i = 0; i < foundLength; i++) {
            if (bytes[found + i] != key[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The string value of the {@code KeyValue} in {@code [start, end)}, or {@code ""} when its value is not a
     * string: every occurrence of the value field merges into one {@code AnyValue}, whose oneof member is the one
     * given last.
     */
    private String stringValue(int start, int end) {
        int lastMember = 0;
        int string = -1;
        int stringLength = 0;
        position = start;
        while (position < end) {
            int tag = readVarint32();
            if (tag != VALUE_TAG) {
                skip(WireFormat.getTagWireType(tag));
                continue;
            }
            int valueEnd = readVarint32() + position;
            while (position < valueEnd) {
                int valueTag = readVarint32();
                int number = WireFormat.getTagFieldNumber(valueTag);
                int wireType = WireFormat.getTagWireType(valueTag);
                boolean member = number < VALUE_MEMBER_WIRE_TYPE.length && VALUE_MEMBER_WIRE_TYPE[number] == wireType;
                if (member) {
                    lastMember = number;
                }
                if (member && number == AnyValue.STRING_VALUE_FIELD_NUMBER) {
                    stringLength = readVarint32();
                    string = position;
                    position += stringLength;
                } else {
                    skip(wireType);
                }
            }
        }
        return lastMember == AnyValue.STRING_VALUE_FIELD_NUMBER
                ? new String(bytes, string, stringLength, StandardCharsets.UTF_8)
                : "";
    }

    /** The item in {@code [offset, offset + length)} parsed alone and serialized again, as protobuf writes it. */
    private byte[] reencoded(Parser<? extends MessageLite> parser, int offset, int length) {
        try {
            return parser.parseFrom(bytes, offset, length).toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an item of a checked request does not parse", e);
        }
    }

    /** Skips the value of a field of {@code wireType} whose tag was just read; groups end at their end tag. */
    private void skip(int wireType) {
        switch (wireType) {
            case WireFormat.WIRETYPE_VARINT -> readVarint64();
            case WireFormat.WIRETYPE_FIXED64 -> position += 8;
            case WireFormat.WIRETYPE_FIXED32 -> position += 4;
            case WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                int length = readVarint32();
                position += length;
            }
            case WireFormat.WIRETYPE_START_GROUP -> skipGroup();
            default -> throw new IllegalStateException("wire type " + wireType + " in a checked request");
        }
    }

    private void skipGroup() {
        while (true) {
            int tag = readVarint32();
            int wireType = WireFormat.getTagWireType(tag);
            if (wireType == WireFormat.WIRETYPE_END_GROUP) {
                return;
            }
            skip(wireType);
        }
    }

    private int readVarint32() {
        return (int) readVarint64();
    }

    private long readVarint64() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = bytes[position++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalStateException("malformed varint in a checked request");
    }

    private static int[] valueMemberWireTypes() {
        int max = 0;
        for (FieldDescriptor field : AnyValue.getDescriptor().getFields()) {
            max = Math.max(max, field.getNumber());
        }
        int[] wireTypes = new int[max + 1];
        Arrays.fill(wireTypes, -1);
        for (FieldDescriptor field : AnyValue.getDescriptor().getFields()) {
            if (field.getRealContainingOneof() != null) {
                wireTypes[field.getNumber()] = field.getLiteType().getWireType();
            }
        }
        return wireTypes;
    }
}
