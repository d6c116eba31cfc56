package io.otlpgovernor.rules.pipeline.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.sampling.tail.BinaryStrings;
import io.otlpgovernor.rules.sampling.tail.TraceSummary;

/**
 * The governed items of one trace from one request and one retention tier, on their way to tail sampling: spans
 * (the trace's) or log records that carry its trace id, which wait for the trace's decision and follow it.
 *
 * @param key            the tail-sampling key: {@code tenant + "/" + hex(trace id)}
 * @param tenant         the owning tenant
 * @param signal         {@link Signal#SPANS} or {@link Signal#LOGS}
 * @param tier           the retention tier chosen for these items
 * @param ruleSetVersion the version of the rule set that governed them
 * @param labels         classification labels found in the request's items of this tier, comma-separated and sorted
 * @param payload        a serialized export request holding only these items
 * @param items          spans or log records in it
 * @param represented    the sum of their adjusted counts, as they are in {@code payload}
 * @param arrivalMillis  when the request reached Kafka (epoch milliseconds)
 * @param summary        for spans, their {@link TraceSummary} by the tenant's tail rules, computed where they were
 *                       parsed anyway; null for log records, and once the piece is buffered (the trace's summary
 *                       holds it then)
 */
public record TracePiece(
        String key,
        String tenant,
        Signal signal,
        String tier,
        long ruleSetVersion,
        String labels,
        byte[] payload,
        long items,
        double represented,
        long arrivalMillis,
        TraceSummary summary) {

    private static final byte SPANS = 1;
    private static final byte LOGS = 2;

    /**
     * Writes the piece: its strings, a signal code, its numbers, the payload's length and bytes, and its summary
     * when it has one. The one binary form of a piece: in tail-sampling state, between operators, and inside a
     * {@link RateLimitedTrace}.
     */
    public void writeTo(DataOutput out) throws IOException {
        BinaryStrings.write(out, key);
        BinaryStrings.write(out, tenant);
        out.writeByte(
                switch (signal) {
                    case SPANS -> SPANS;
                    case LOGS -> LOGS;
                    case METRICS -> throw new IllegalStateException("a trace piece holds spans or log records");
                });
        BinaryStrings.write(out, tier);
        out.writeLong(ruleSetVersion);
        BinaryStrings.write(out, labels);
        out.writeInt(payload.length);
        out.write(payload);
        out.writeLong(items);
        out.writeDouble(represented);
        out.writeLong(arrivalMillis);
        out.writeBoolean(summary != null);
        if (summary != null) {
            summary.writeTo(out);
        }
    }

    /** Reads what {@link #writeTo} wrote. */
    public static TracePiece readFrom(DataInput in) throws IOException {
        String key = BinaryStrings.read(in);
        String tenant = BinaryStrings.read(in);
        byte code = in.readByte();
        Signal signal = switch (code) {
            case SPANS -> Signal.SPANS;
            case LOGS -> Signal.LOGS;
            default -> throw new IOException("unknown signal code " + code + " in a trace piece");
        };
        String tier = BinaryStrings.read(in);
        long ruleSetVersion = in.readLong();
        String labels = BinaryStrings.read(in);
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        return new TracePiece(
                key,
                tenant,
                signal,
                tier,
                ruleSetVersion,
                labels,
                payload,
                in.readLong(),
                in.readDouble(),
                in.readLong(),
                in.readBoolean() ? TraceSummary.readFrom(in) : null);
    }

    /** This piece with other content: its payload, the items it holds and what they represent. */
    public TracePiece withPayload(byte[] newPayload, long newItems, double newRepresented) {
        return new TracePiece(
                key,
                tenant,
                signal,
                tier,
                ruleSetVersion,
                labels,
                newPayload,
                newItems,
                newRepresented,
                arrivalMillis,
                summary);
    }

    /** This piece as it is buffered: without its summary. */
    public TracePiece withoutSummary() {
        return summary == null
                ? this
                : new TracePiece(
                        key,
                        tenant,
                        signal,
                        tier,
                        ruleSetVersion,
                        labels,
                        payload,
                        items,
                        represented,
                        arrivalMillis,
                        null);
    }
}
