package io.otlpgovernor.job.operators;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.otlpgovernor.rules.pipeline.model.Report;
import io.otlpgovernor.rules.pipeline.reports.Bucket;
import io.otlpgovernor.rules.pipeline.reports.ReportKind;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sums one tenant's report contributions per window in keyed state and writes a report once a window is over:
 * when the wall clock passes the window's end (in data time) plus a grace period for stragglers. A window whose
 * data time lies ahead of the clock is written a window's length after it was first seen, so a skewed timestamp
 * cannot hold a report back. Written lines are removed from state.
 *
 * @param <D> the contributions
 */
public final class TenantReportFunction<D> extends KeyedProcessFunction<String, D, Report> {

    private static final char SEPARATOR = '|';
    private static final long SECOND = 1000;

    private final ReportKind<D> kind;
    private final long graceMillis;
    private transient MapState<String, Bucket> lines;

    public TenantReportFunction(ReportKind<D> kind, Duration grace) {
        this.kind = kind;
        this.graceMillis = grace.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        lines = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("report-lines", Types.STRING, TypeInformation.of(Bucket.class)));
    }

    @Override
    public void processElement(D contribution, Context context, Collector<Report> out) throws Exception {
        long windowLength = kind.window().toMillis();
        long windowStart = Math.floorDiv(kind.timeOf(contribution), windowLength) * windowLength;
        String key = windowStart + String.valueOf(SEPARATOR) + kind.line(contribution);
        Bucket amounts = kind.amounts(contribution);
        Bucket current = lines.get(key);
        lines.put(key, current == null ? amounts : current.plus(amounts));
        long now = context.timerService().currentProcessingTime();
        long due = Math.min(Math.max(now, windowStart + windowLength + graceMillis), now + windowLength + graceMillis);
        // Rounded up to a second: one timer per tenant and second, however many contributions arrive.
        context.timerService().registerProcessingTimeTimer(Math.floorDiv(due + SECOND - 1, SECOND) * SECOND);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Report> out) throws Exception {
        long windowLength = kind.window().toMillis();
        Map<Long, SortedMap<String, Bucket>> due = new TreeMap<>();
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, Bucket> entry : lines.entries()) {
            int separator = entry.getKey().indexOf(SEPARATOR);
            long windowStart = Long.parseLong(entry.getKey().substring(0, separator));
            boolean over = windowStart + windowLength + graceMillis <= timestamp;
            boolean aheadOfClock = windowStart > timestamp;
            if (over || aheadOfClock) {
                due.computeIfAbsent(windowStart, w -> new TreeMap<>())
                        .put(entry.getKey().substring(separator + 1), entry.getValue());
                written.add(entry.getKey());
            }
        }
        String tenant = context.getCurrentKey();
        due.forEach((windowStart, windowLines) ->
                out.collect(new Report(tenant, kind.write(tenant, windowStart, windowLines))));
        for (String key : written) {
            lines.remove(key);
        }
    }
}
