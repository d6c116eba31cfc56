package io.otlpgovernor.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Queries written as a Prometheus rule file of recording rules ({@code dashboard:q<n>}), so that
 * {@code promtool check rules} parses each one as Prometheus would. A rule's name is its position; the report maps
 * positions back to where each query is used.
 */
final class RecordingRules {

    private RecordingRules() {}

    /** Writes {@code queries} (Grafana variables substituted) to {@code file}; returns the rule names with where each query is used. */
    static Map<String, String> write(List<Query> queries, Path file) throws IOException {
        Map<String, String> whereByRule = new LinkedHashMap<>();
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Query query : queries) {
            String record = "dashboard:q" + (rules.size() + 1);
            whereByRule.put(record, query.where());
            rules.add(Map.of("record", record, "expr", GrafanaDashboard.substituteVariables(query.expr())));
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.createDirectories(file.getParent());
        Files.writeString(
                file, new Yaml(options).dump(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))));
        return whereByRule;
    }
}
