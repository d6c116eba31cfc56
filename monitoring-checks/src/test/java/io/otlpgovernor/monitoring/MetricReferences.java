package io.otlpgovernor.monitoring;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The metric names that queries read, each with where it is read. */
final class MetricReferences {

    private final Map<String, List<String>> usesByMetric;

    private MetricReferences(Map<String, List<String>> usesByMetric) {
        this.usesByMetric = usesByMetric;
    }

    /** The names {@code queries} read, except {@code recorded} ones (series that recording rules make). */
    static MetricReferences of(Collection<Query> queries, Collection<String> recorded) {
        Map<String, List<String>> uses = new TreeMap<>();
        for (Query query : queries) {
            for (String name : PromQlNames.in(query.expr())) {
                if (!recorded.contains(name)) {
                    uses.computeIfAbsent(name, n -> new ArrayList<>()).add(query.where());
                }
            }
        }
        return new MetricReferences(uses);
    }

    /** What the dashboard and the alerts read. */
    static MetricReferences ofDashboardAndAlerts() throws IOException {
        AlertRuleFile alerts = AlertRuleFile.load(MonitoringFiles.ALERTS);
        List<Query> queries =
                new ArrayList<>(GrafanaDashboard.load(MonitoringFiles.DASHBOARD).allQueries());
        queries.addAll(alerts.queries());
        return of(queries, alerts.recordedNames());
    }

    Set<String> names() {
        return usesByMetric.keySet();
    }

    /**
     * The referenced names that are neither in {@code exported} nor {@code allowed}, each with where it is used, as
     * lines for a failure message; empty when every name is accounted for.
     */
    List<String> missingFrom(Set<String> exported, Set<String> allowed) {
        List<String> missing = new ArrayList<>();
        usesByMetric.forEach((name, uses) -> {
            if (!exported.contains(name) && !allowed.contains(name)) {
                missing.add(name + " — used by " + String.join("; ", uses));
            }
        });
        return missing;
    }
}
