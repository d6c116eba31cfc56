package io.otlpgovernor.rules.sampling.tail;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * What tail sampling remembers about one trace while its spans are buffered: everything {@link TailEvaluator}
 * needs to decide, updated span by span ({@link TailEvaluator#observe}) without reading the buffered spans
 * again. A value of primitives, strings and one primitive array, so it can live in keyed state as it is.
 *
 * <p>Every field is a commutative fold over the spans (a sum, a minimum, a maximum, a bitwise or, or the least
 * span in a fixed order), so a summary does not depend on the order the spans arrived in: the same spans in any
 * order give an equal summary, and so the same decision.
 *
 * @param spans                 spans observed
 * @param bytes                 their size, as the caller measured it
 * @param earliestStartNanos    the earliest non-zero span start; {@link Long#MAX_VALUE} when none
 * @param latestEndNanos        the latest non-zero span end; 0 when none
 * @param errorSeen             whether a span had status error
 * @param matched               bit i set when some span (or its resource) met leaf condition i of the evaluator
 *                              that built the summary: the {@code attribute} and {@code drop} conditions of its
 *                              policies, depth first in file order
 * @param conditionsFingerprint identifies those leaf conditions; an evaluator compiled from different conditions
 *                              does not trust {@code matched}
 * @param anchorIsRoot          whether the anchor span (the one {@code service} and {@code randomness} come
 *                              from) is a root span (no parent span id)
 * @param anchorStartNanos      the anchor's start ({@link Long#MAX_VALUE} when unknown or none)
 * @param service               the anchor's resource {@code service.name}, {@code ""} when none: the trace's root
 *                              service when the root span was seen. The anchor is the least span ordered by: root
 *                              first, earlier start, service name, randomness.
 * @param randomness            the anchor's randomness R (its {@code rv}, else its trace id's low 56 bits); -1
 *                              before the first span
 * @param threshold             the highest {@code th} a span arrived with that is consistent with its own
 *                              randomness (R ≥ T); -1 when none
 */
public record TraceSummary(
        long spans,
        long bytes,
        long earliestStartNanos,
        long latestEndNanos,
        boolean errorSeen,
        long[] matched,
        long conditionsFingerprint,
        boolean anchorIsRoot,
        long anchorStartNanos,
        String service,
        long randomness,
        long threshold) {

    /** The duration from the earliest start to the latest end, in nanoseconds; 0 when unknown or negative. */
    public long durationNanos() {
        if (earliestStartNanos == Long.MAX_VALUE || latestEndNanos == 0 || latestEndNanos <= earliestStartNanos) {
            return 0;
        }
        return latestEndNanos - earliestStartNanos;
    }

    /** Whether leaf condition {@code bit} was met. */
    boolean matched(int bit) {
        int word = bit >>> 6;
        return word < matched.length && (matched[word] & (1L << bit)) != 0;
    }

    /** Writes every field, in order (the binary form in a trace piece and in a trace's state). */
    public void writeTo(DataOutput out) throws IOException {
        out.writeLong(spans);
        out.writeLong(bytes);
        out.writeLong(earliestStartNanos);
        out.writeLong(latestEndNanos);
        out.writeBoolean(errorSeen);
        out.writeInt(matched.length);
        for (long word : matched) {
            out.writeLong(word);
        }
        out.writeLong(conditionsFingerprint);
        out.writeBoolean(anchorIsRoot);
        out.writeLong(anchorStartNanos);
        BinaryStrings.write(out, service);
        out.writeLong(randomness);
        out.writeLong(threshold);
    }

    /** Reads what {@link #writeTo} wrote. */
    public static TraceSummary readFrom(DataInput in) throws IOException {
        long spans = in.readLong();
        long bytes = in.readLong();
        long earliestStart = in.readLong();
        long latestEnd = in.readLong();
        boolean errorSeen = in.readBoolean();
        long[] matched = new long[in.readInt()];
        for (int i = 0; i < matched.length; i++) {
            matched[i] = in.readLong();
        }
        return new TraceSummary(
                spans,
                bytes,
                earliestStart,
                latestEnd,
                errorSeen,
                matched,
                in.readLong(),
                in.readBoolean(),
                in.readLong(),
                BinaryStrings.read(in),
                in.readLong(),
                in.readLong());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceSummary other
                && spans == other.spans
                && bytes == other.bytes
                && earliestStartNanos == other.earliestStartNanos
                && latestEndNanos == other.latestEndNanos
                && errorSeen == other.errorSeen
                && Arrays.equals(matched, other.matched)
                && conditionsFingerprint == other.conditionsFingerprint
                && anchorIsRoot == other.anchorIsRoot
                && anchorStartNanos == other.anchorStartNanos
                && service.equals(other.service)
                && randomness == other.randomness
                && threshold == other.threshold;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(spans);
        h = 31 * h + Long.hashCode(bytes);
        h = 31 * h + Long.hashCode(earliestStartNanos);
        h = 31 * h + Long.hashCode(latestEndNanos);
        h = 31 * h + Boolean.hashCode(errorSeen);
        h = 31 * h + Arrays.hashCode(matched);
        h = 31 * h + Long.hashCode(conditionsFingerprint);
        h = 31 * h + Boolean.hashCode(anchorIsRoot);
        h = 31 * h + Long.hashCode(anchorStartNanos);
        h = 31 * h + service.hashCode();
        h = 31 * h + Long.hashCode(randomness);
        return 31 * h + Long.hashCode(threshold);
    }

    @Override
    public String toString() {
        return "TraceSummary[spans=" + spans + ", bytes=" + bytes + ", start=" + earliestStartNanos + ", end="
                + latestEndNanos + ", error=" + errorSeen + ", matched=" + Arrays.toString(matched)
                + ", fingerprint=" + Long.toHexString(conditionsFingerprint) + ", anchorIsRoot=" + anchorIsRoot
                + ", anchorStart=" + anchorStartNanos + ", service=" + service + ", randomness="
                + (randomness < 0 ? "none" : Long.toHexString(randomness)) + ", threshold="
                + (threshold < 0 ? "none" : Long.toHexString(threshold)) + "]";
    }
}
