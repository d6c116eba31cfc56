package io.otlpgovernor.job.operators;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The governance metrics of one operator instance, in Flink's metric system (so the dashboard and the Prometheus
 * reporter show them): group {@code governor}, labelled by tenant and at most one more dimension (reason, signal,
 * tier, classification label or outcome).
 *
 * <p>Cardinality is bounded per operator instance: at most {@value #MAX_TENANTS} tenants get their own label
 * (later ones share {@code _other}), and at most {@value #MAX_VALUES_PER_DIMENSION} values of any other dimension do
 * (later ones share {@code _other} too). Reasons, signals and outcomes are fixed small sets; tiers and labels come
 * from the rules.
 */
final class Metrics {

    static final String GROUP = "governor";

    // The job's metric names, all in this one place (docs/monitoring.md lists them; the alerts and the dashboard
    // query them as flink_taskmanager_job_task_operator_governor_<name>).
    static final String REQUESTS_DECODED = "requests_decoded";
    static final String REQUESTS_DEAD_LETTERED = "requests_dead_lettered";
    static final String REQUESTS_WITHOUT_RULES = "requests_without_rules";
    static final String ITEMS_RECEIVED = "items_received";
    static final String ITEMS_ACCEPTED = "items_accepted";
    static final String ITEMS_DROPPED = "items_dropped";
    static final String PROTECTIONS = "protections";
    static final String RULE_SET_VERSION = "rule_set_version";
    static final String RULE_SET_CHANGES = "rule_set_changes";
    static final String SUBJECT_CHANGES = "subject_changes";
    static final String SUBJECT_ENTRIES = "subject_entries";
    static final String SUBJECT_SUPPRESSED_ITEMS = "subject_suppressed_items";
    static final String TAIL_LATE_ITEMS = "tail_late_items";
    static final String TAIL_CAP_DECISIONS = "tail_cap_decisions";
    static final String TAIL_DECISIONS = "tail_decisions";
    static final String CARDINALITY_OVER_LIMIT_POINTS = "cardinality_over_limit_points";
    static final String CARDINALITY_ACTIVE_SERIES = "cardinality_active_series";
    static final String CARDINALITY_LIMIT_USED_PERCENT = "cardinality_limit_used_percent";

    // The dimensions a metric may carry besides its tenant, and the fixed values of reason.
    static final String SIGNAL = "signal";
    static final String TIER = "tier";
    static final String REASON = "reason";
    static final String LABEL = "label";
    static final String OUTCOME = "outcome";
    static final String ACTION = "action";
    static final String REASON_QUOTA = "quota";
    static final String REASON_SAMPLING = "sampling";
    static final String REASON_POLICY = "policy";
    static final String REASON_AGE = "age";
    static final String REASON_TAIL = "tail";
    static final String REASON_CARDINALITY = "cardinality";
    static final int MAX_TENANTS = 100;
    static final int MAX_VALUES_PER_DIMENSION = 50;

    private final MetricGroup group;
    private final TenantLabels tenants = new TenantLabels(MAX_TENANTS);
    private final Map<String, TenantLabels> dimensionValues = new HashMap<>();
    private final Map<String, Counter> counters = new HashMap<>();
    private final Map<String, Long> gaugeValues = new ConcurrentHashMap<>();

    Metrics(MetricGroup operatorGroup) {
        this.group = operatorGroup.addGroup(GROUP);
    }

    /** The counter {@code name} of {@code tenant}. */
    Counter counter(String name, String tenant) {
        String label = tenants.labelFor(tenant);
        return counters.computeIfAbsent(
                name + '\0' + label, k -> group.addGroup("tenant", label).counter(name));
    }

    /** The counter {@code name} of {@code tenant} with one more label, {@code dimension=value}. */
    Counter counter(String name, String tenant, String dimension, String value) {
        String label = tenants.labelFor(tenant);
        String bounded = dimensionValues
                .computeIfAbsent(dimension, d -> new TenantLabels(MAX_VALUES_PER_DIMENSION))
                .labelFor(value);
        return counters.computeIfAbsent(
                name + '\0' + label + '\0' + dimension + '\0' + bounded,
                k -> group.addGroup("tenant", label)
                        .addGroup(dimension, bounded)
                        .counter(name));
    }

    /** Sets the gauge {@code name} of {@code tenant} (registered on first use). */
    void gauge(String name, String tenant, long value) {
        String label = tenants.labelFor(tenant);
        if (TenantLabels.OVERFLOW.equals(label)) {
            return; // a shared label has no single value to show
        }
        String key = name + '\0' + label;
        if (gaugeValues.put(key, value) == null) {
            group.addGroup("tenant", label).gauge(name, () -> gaugeValues.get(key));
        }
    }
}
