package io.otlpgovernor.job.operators;

import java.util.HashMap;
import java.util.Map;

import io.otlpgovernor.job.model.GovernedRecord;
import io.otlpgovernor.job.model.TenantTotals;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps each tenant's running totals in keyed state (RocksDB in every deployment, so they survive restarts and
 * rescaling) and exposes accepted volume as Flink metrics, then passes the record on unchanged.
 *
 * <p>Metrics, in group {@code governor} with labels {@code tenant} and {@code signal}: {@code items_accepted},
 * {@code requests_accepted}, {@code bytes_accepted} (counters since the operator instance started), and
 * {@code items_total} (a gauge of the tenant's all-time total from state, as of its latest request). At most
 * {@value #MAX_TENANT_LABELS} tenants per operator instance get their own label; others share {@code _other}.
 */
public final class TenantUsageFunction extends KeyedProcessFunction<String, GovernedRecord, GovernedRecord> {

    static final int MAX_TENANT_LABELS = 100;
    static final ValueStateDescriptor<TenantTotals> TOTALS = new ValueStateDescriptor<>("tenant-totals", TenantTotals.class);

    private transient ValueState<TenantTotals> totals;
    private transient MetricGroup metrics;
    private transient TenantLabels labels;
    private transient Map<String, TenantMeters> meters;

    @Override
    public void open(OpenContext context) {
        totals = getRuntimeContext().getState(TOTALS);
        metrics = getRuntimeContext().getMetricGroup().addGroup(DecodeFunction.METRIC_GROUP);
        labels = new TenantLabels(MAX_TENANT_LABELS);
        meters = new HashMap<>();
    }

    @Override
    public void processElement(GovernedRecord record, Context context, Collector<GovernedRecord> out) throws Exception {
        TenantTotals current = totals.value();
        TenantTotals updated = (current == null ? TenantTotals.ZERO : current).plus(record);
        totals.update(updated);
        metersFor(record.tenant()).record(record, updated);
        out.collect(record);
    }

    private TenantMeters metersFor(String tenant) {
        return meters.computeIfAbsent(labels.labelFor(tenant), label -> new TenantMeters(metrics.addGroup("tenant", label), !TenantLabels.OVERFLOW.equals(label)));
    }

    /** The metrics of one tenant label. */
    private static final class TenantMeters {
        private final MetricGroup group;
        private final Map<String, Counter> items = new HashMap<>();
        private final Counter requests;
        private final Counter bytes;
        private volatile TenantTotals lastTotals = TenantTotals.ZERO;

        TenantMeters(MetricGroup group, boolean singleTenant) {
            this.group = group;
            this.requests = group.counter("requests_accepted");
            this.bytes = group.counter("bytes_accepted");
            if (singleTenant) {
                // The shared overflow label has no single all-time total to report.
                group.gauge("items_total", () -> {
                    TenantTotals t = lastTotals;
                    return t.spans() + t.dataPoints() + t.logRecords();
                });
            }
        }

        void record(GovernedRecord record, TenantTotals totalsAfter) {
            items.computeIfAbsent(record.signal().id(), signal -> group.addGroup("signal", signal).counter("items_accepted"))
                    .inc(record.items());
            requests.inc();
            bytes.inc(record.payload().length);
            lastTotals = totalsAfter;
        }
    }
}
