package io.otlpgovernor.contract.otlp.encode;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;

/**
 * A span or log request as it was parsed: its bytes, its items in flattened order (resource, scope, item) and where
 * each item's fields lie in the bytes. The bytes must be those the request was parsed from.
 */
public final class OriginalRequest {

    private final byte[] payload;
    private final Message request;
    private List<Message> items;
    private int[] offsets;
    private int[] lengths;

    private OriginalRequest(byte[] payload, Message request) {
        this.payload = payload;
        this.request = request;
    }

    /** {@code request}, parsed from {@code payload}; nothing is read until an item is asked for. */
    public static OriginalRequest spans(byte[] payload, ExportTraceServiceRequest request) {
        return new OriginalRequest(payload, request);
    }

    /** {@code request}, parsed from {@code payload}; nothing is read until an item is asked for. */
    public static OriginalRequest logs(byte[] payload, ExportLogsServiceRequest request) {
        return new OriginalRequest(payload, request);
    }

    byte[] payload() {
        return payload;
    }

    Message item(int index) {
        locate();
        return items.get(index);
    }

    /** Where item {@code index}'s fields start in the bytes (after its tag and length). */
    int offset(int index) {
        locate();
        return offsets[index];
    }

    /** The length of item {@code index}'s fields in bytes. */
    int length(int index) {
        locate();
        return lengths[index];
    }

    /**
     * Lists the parsed items and finds every item's bounds: fields 1 (resource containers) → 2 (scope containers) → 2 (items) of both
     * request types, read in wire order, which is the order the parser put them in.
     */
    private void locate() {
        if (offsets != null) {
            return;
        }
        items = new ArrayList<>();
        if (request instanceof ExportTraceServiceRequest spans) {
            OtlpTree.forEach(spans, (span, at) -> items.add(span));
        } else {
            OtlpTree.forEach((ExportLogsServiceRequest) request, (record, at) -> items.add(record));
        }
        offsets = new int[items.size()];
        lengths = new int[items.size()];
        int found = locate(new WireReader(payload, 0, payload.length), 0, 0);
        if (found != items.size()) {
            throw new IllegalStateException("the bytes hold " + found + " items, the parsed request " + items.size());
        }
    }

    private int locate(WireReader reader, int level, int found) {
        int wanted = level == 0 ? 1 : 2;
        while (reader.hasMore()) {
            int tag = reader.readTag();
            if (tag >>> 3 != wanted || (tag & 7) != WireReader.LENGTH_DELIMITED) {
                reader.skip(tag);
                continue;
            }
            int length = reader.readLength();
            int start = reader.position();
            if (level == 2) {
                if (found < offsets.length) {
                    offsets[found] = start;
                    lengths[found] = length;
                }
                found++;
            } else {
                found = locate(new WireReader(payload, start, start + length), level + 1, found);
            }
            reader.moveTo(start + length);
        }
        return found;
    }
}
