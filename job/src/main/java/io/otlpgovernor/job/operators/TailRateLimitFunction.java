package io.otlpgovernor.job.operators;

import io.otlpgovernor.rules.pipeline.TailOutput;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.RateLimitedTrace;
import io.otlpgovernor.rules.pipeline.model.TailVerdict;
import io.otlpgovernor.rules.sampling.tail.ServiceRateLimiter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-service rate limit of tail sampling, keyed by {@code tenant/service}: a trace that hinges on a
 * rate-limit policy is admitted whole when the service's token bucket ({@link ServiceRateLimiter}, processing
 * time) holds all its spans, and then written with {@code th} erased (its probability is unknown); otherwise it is
 * dropped. A bucket left alone for a second is full again, the same as a new one, so a timer then clears it: the
 * state of a quiet service is empty.
 */
public final class TailRateLimitFunction extends KeyedProcessFunction<String, RateLimitedTrace, GovernedRecord> {

    private static final long NANOS_PER_MILLI = 1_000_000;
    private static final long SECOND = 1000;

    private final int maxRecordBytes;
    private transient ValueState<ServiceRateLimiter> limiter;
    private transient ValueState<Long> cleanupTimer;
    private transient Metrics metrics;

    /** @param maxRecordBytes an admitted trace larger than this is written as several records */
    public TailRateLimitFunction(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        metrics = new Metrics(getRuntimeContext().getMetricGroup());
        limiter = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("limiter", TypeInformation.of(ServiceRateLimiter.class)));
        cleanupTimer = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("cleanup-timer", TypeInformation.of(Long.class)));
    }

    @Override
    public void processElement(RateLimitedTrace trace, Context context, Collector<GovernedRecord> out)
            throws Exception {
        long now = context.timerService().currentProcessingTime();
        ServiceRateLimiter state = limiter.value();
        state = state == null
                ? ServiceRateLimiter.start(trace.spansPerSecond(), now * NANOS_PER_MILLI)
                : state.withRate(trace.spansPerSecond());
        ServiceRateLimiter.Take take = ServiceRateLimiter.take(state, trace.spans(), now * NANOS_PER_MILLI);
        limiter.update(take.state());
        TailOutput.Result result = TailOutput.apply(
                RateLimitedTrace.decode(trace.pieces()),
                new TailVerdict(take.admitted(), TailVerdict.ERASE, trace.policyId()),
                maxRecordBytes);
        TailResults.emit(
                result,
                metrics,
                out,
                usage -> context.output(Outputs.USAGE, usage),
                audit -> context.output(Outputs.AUDIT, audit));
        long cleanup = (Math.floorDiv(now, SECOND) + 2) * SECOND;
        Long previous = cleanupTimer.value();
        if (previous == null || previous != cleanup) {
            if (previous != null) {
                context.timerService().deleteProcessingTimeTimer(previous);
            }
            context.timerService().registerProcessingTimeTimer(cleanup);
            cleanupTimer.update(cleanup);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<GovernedRecord> out) throws Exception {
        Long cleanup = cleanupTimer.value();
        if (cleanup != null && cleanup == timestamp) {
            limiter.clear();
            cleanupTimer.clear();
        }
    }
}
