package io.otlpgovernor.rules.pipeline.model;

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

    public boolean isDecided() {
        return verdict != null;
    }
}
