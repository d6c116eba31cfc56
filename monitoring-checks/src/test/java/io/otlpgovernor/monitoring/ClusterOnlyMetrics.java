package io.otlpgovernor.monitoring;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.yaml.snakeyaml.Yaml;

/** The allow-list of metrics only a real cluster has (see {@code cluster-only-metrics.yaml}): metric → reason. */
final class ClusterOnlyMetrics {

    private ClusterOnlyMetrics() {}

    @SuppressWarnings("unchecked")
    static Map<String, String> load(Path file) throws IOException {
        List<Map<String, String>> entries;
        try (Reader reader = Files.newBufferedReader(file)) {
            entries = new Yaml().load(reader);
        }
        Map<String, String> reasons = new TreeMap<>();
        for (Map<String, String> entry : entries == null ? List.<Map<String, String>>of() : entries) {
            reasons.put(entry.get("metric"), entry.get("reason"));
        }
        return reasons;
    }
}
