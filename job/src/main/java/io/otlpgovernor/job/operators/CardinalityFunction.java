package io.otlpgovernor.job.operators;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.otlpgovernor.rules.cardinality.CardinalityWindow;
import io.otlpgovernor.rules.cardinality.SeriesLimiter;
import io.otlpgovernor.rules.pipeline.CardinalityOutput;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.MetricPiece;
import io.otlpgovernor.rules.pipeline.model.Report;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import io.otlpgovernor.rules.pipeline.registry.RuleRegistry;
import io.otlpgovernor.rules.pipeline.registry.TenantRules;
import io.otlpgovernor.rules.pipeline.reports.CardinalityReports;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Metric cardinality limits, keyed by cardinality key (a tenant, or one metric of a tenant; see {@link MetricPiece}):
 * the key's active series live in keyed state ({@link KeyedSeriesStore}), and {@link SeriesLimiter} decides each data
 * point against them. One processing-time timer per key and minute writes the key's cardinality document of the minute
 * that ended (side output {@link #REPORTS}, to the usage topic), forgets series inactive for {@code series-ttl}, and
 * sets the tenant's gauges; the timer stops when the key has no active series left. When the tenant's rules no longer
 * limit cardinality, its pieces are written as they are and its keys' state is cleared at their next timer.
 */
public final class CardinalityFunction
        extends KeyedBroadcastProcessFunction<String, MetricPiece, RuleUpdate, GovernedRecord> {

    private static final long MINUTE = 60_000;

    /** The cardinality documents, for the usage topic. */
    public static final OutputTag<Report> REPORTS = new OutputTag<>("cardinality-reports") {};

    private final RuleBootstrap bootstrap;
    private final int maxRecordBytes;
    private transient RuleRegistry registry;
    private transient Metrics metrics;
    private transient KeyedSeriesStore store;
    /** Per tenant and key of this instance: active series and percent of the fullest limit, for the gauges. */
    private transient Map<String, Map<String, long[]>> gauges;

    /** @param maxRecordBytes a limited piece larger than this is written as several records */
    public CardinalityFunction(RuleBootstrap bootstrap, int maxRecordBytes) {
        this.bootstrap = bootstrap;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        registry = bootstrap.newRegistry();
        metrics = new Metrics(getRuntimeContext().getMetricGroup());
        store = new KeyedSeriesStore(getRuntimeContext());
        gauges = new HashMap<>();
    }

    @Override
    public void processElement(MetricPiece piece, ReadOnlyContext context, Collector<GovernedRecord> out) {
        long now = context.timerService().currentProcessingTime();
        CardinalityOutput.Result result =
                CardinalityOutput.apply(piece, limiter(piece.tenant(), context), store, now, maxRecordBytes);
        for (GovernedRecord record : result.records()) {
            metrics.counter(Metrics.ITEMS_ACCEPTED, record.tenant(), Metrics.TIER, record.tier())
                    .inc(record.items());
            out.collect(record);
        }
        for (UsageDelta usage : result.usage()) {
            if (usage.droppedCardinality() > 0) {
                metrics.counter(Metrics.ITEMS_DROPPED, usage.tenant(), Metrics.REASON, Metrics.REASON_CARDINALITY)
                        .inc(usage.droppedCardinality());
            }
            context.output(Outputs.USAGE, usage);
        }
        for (AuditDelta audit : result.audit()) {
            metrics.counter(Metrics.CARDINALITY_OVER_LIMIT_POINTS, audit.tenant(), Metrics.ACTION, audit.action())
                    .inc(audit.count());
            context.output(Outputs.AUDIT, audit);
        }
        context.timerService().registerProcessingTimeTimer(Math.floorDiv(now, MINUTE) * MINUTE + MINUTE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<GovernedRecord> out) {
        String key = context.getCurrentKey();
        String tenant = MetricPiece.tenantOf(key);
        SeriesLimiter limiter = limiter(tenant, context);
        if (limiter == null) {
            store.clear();
            setGauges(tenant, key, 0, 0);
            return;
        }
        CardinalityWindow window = limiter.takeWindow(store);
        if (window != null) {
            long minuteStart = Math.floorDiv(timestamp, MINUTE) * MINUTE - MINUTE;
            context.output(REPORTS, new Report(tenant, CardinalityReports.write(tenant, key, minuteStart, window)));
        }
        limiter.expire(store, timestamp);
        setGauges(tenant, key, limiter.activeSeries(store), limiter.usedPercent(store));
        if (!store.isEmpty()) {
            context.timerService().registerProcessingTimeTimer(Math.floorDiv(timestamp, MINUTE) * MINUTE + MINUTE);
        }
    }

    /** Sets the tenant's gauges from this key's values and the other keys' last ones in this instance. */
    private void setGauges(String tenant, String key, long active, long usedPercent) {
        Map<String, long[]> keys = gauges.computeIfAbsent(tenant, t -> new HashMap<>());
        if (active == 0) {
            keys.remove(key);
        } else {
            keys.put(key, new long[] {active, usedPercent});
        }
        long total = 0;
        long fullest = 0;
        for (long[] values : keys.values()) {
            total += values[0];
            fullest = Math.max(fullest, values[1]);
        }
        metrics.gauge(Metrics.CARDINALITY_ACTIVE_SERIES, tenant, total);
        metrics.gauge(Metrics.CARDINALITY_LIMIT_USED_PERCENT, tenant, fullest);
    }

    private SeriesLimiter limiter(String tenant, ReadOnlyContext context) {
        Optional<TenantRules> rules =
                registry.rules(tenant, RulesBroadcast.view(context.getBroadcastState(RulesBroadcast.RULE_SETS)));
        return rules.map(TenantRules::cardinality).orElse(null);
    }

    @Override
    public void processBroadcastElement(RuleUpdate update, Context context, Collector<GovernedRecord> out)
            throws Exception {
        RulesBroadcast.apply(registry, update, context.getBroadcastState(RulesBroadcast.RULE_SETS));
    }
}
