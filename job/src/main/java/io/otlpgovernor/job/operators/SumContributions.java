package io.otlpgovernor.job.operators;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BinaryOperator;

import io.otlpgovernor.rules.pipeline.reports.ReportKind;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sums report contributions per tenant, window and line ({@link ReportKind#sumKey}) for up to a second, chained to
 * the operator that makes them, so that one record per line and second crosses the network to the report operator
 * instead of one per request or decided trace (the report operator reads and writes RocksDB for each record).
 *
 * <p>Exactly-once without state of its own: the sums are written before every checkpoint barrier leaves this
 * operator ({@link #prepareSnapshotPreBarrier}), so a checkpoint never holds a decision whose contribution is still
 * here; and they are written at the end of a bounded input ({@link #finish}).
 */
public final class SumContributions<D> extends AbstractStreamOperator<D> implements OneInputStreamOperator<D, D> {

    private static final long FLUSH_MILLIS = 1000;
    /** More lines than this within a second are written at once: bounds the memory a burst of tenants can take. */
    private static final int MAX_LINES = 10_000;

    private final ReportKind<D> kind;
    private transient Map<Object, D> sums;
    /** {@link ReportKind#plus}, bound once rather than per contribution. */
    private transient BinaryOperator<D> plus;

    public SumContributions(ReportKind<D> kind) {
        this.kind = kind;
    }

    @Override
    public void open() throws Exception {
        super.open();
        sums = new HashMap<>();
        plus = kind::plus;
        scheduleFlush();
    }

    @Override
    public void processElement(StreamRecord<D> element) {
        D contribution = element.getValue();
        sums.merge(kind.sumKey(contribution), contribution, plus);
        if (sums.size() >= MAX_LINES) {
            flush();
        }
    }

    private void scheduleFlush() {
        long next = getProcessingTimeService().getCurrentProcessingTime() + FLUSH_MILLIS;
        getProcessingTimeService().registerTimer(next, time -> {
            flush();
            scheduleFlush();
        });
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() {
        for (D sum : sums.values()) {
            output.collect(new StreamRecord<>(sum));
        }
        sums.clear();
    }
}
