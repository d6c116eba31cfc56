package io.otlpgovernor.rules.pipeline.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import io.otlpgovernor.rules.sampling.tail.BinaryStrings;
import io.otlpgovernor.rules.sampling.tail.TraceSummary;

/**
 * What tail sampling keeps about one trace besides its buffered pieces, in one keyed value so that each piece
 * costs one state read and one write: while the trace is pending, its summary and decision timer; once it is
 * decided, the verdict late pieces follow and when it is forgotten.
 *
 * @param summary    while pending: the summary of the spans buffered so far; null while only log records came
 * @param decisionAt while pending: the time of the trace's decision timer
 * @param verdict    once decided: the verdict; null while pending
 * @param expiresAt  once decided: the time of the timer that forgets the verdict
 */
public record TraceState(TraceSummary summary, long decisionAt, TailVerdict verdict, long expiresAt) {

    public static TraceState pending(TraceSummary summary, long decisionAt) {
        return new TraceState(summary, decisionAt, null, 0);
    }

    public static TraceState decided(TailVerdict verdict, long expiresAt) {
        return new TraceState(null, 0, verdict, expiresAt);
    }

    private static final byte PENDING_WITHOUT_SPANS = 0;
    private static final byte PENDING = 1;
    private static final byte DECIDED = 2;

    /**
     * Writes the state as what it is — a pending trace (its summary, if spans came, and its decision time) or a
     * decided one (its verdict and when it is forgotten) — behind one byte that says which.
     */
    public void writeTo(DataOutput out) throws IOException {
        if (isDecided()) {
            out.writeByte(DECIDED);
            out.writeBoolean(verdict.keep());
            out.writeLong(verdict.threshold());
            BinaryStrings.write(out, verdict.policyId());
            out.writeLong(expiresAt);
        } else if (summary == null) {
            out.writeByte(PENDING_WITHOUT_SPANS);
            out.writeLong(decisionAt);
        } else {
            out.writeByte(PENDING);
            summary.writeTo(out);
            out.writeLong(decisionAt);
        }
    }

    /** Reads what {@link #writeTo} wrote. */
    public static TraceState readFrom(DataInput in) throws IOException {
        byte kind = in.readByte();
        return switch (kind) {
            case DECIDED -> {
                TailVerdict verdict = new TailVerdict(in.readBoolean(), in.readLong(), BinaryStrings.read(in));
                yield decided(verdict, in.readLong());
            }
            case PENDING_WITHOUT_SPANS -> pending(null, in.readLong());
            case PENDING -> pending(TraceSummary.readFrom(in), in.readLong());
            default -> throw new IOException("unknown kind " + kind + " of a trace state");
        };
    }

    public boolean isDecided() {
        return verdict != null;
    }
}
