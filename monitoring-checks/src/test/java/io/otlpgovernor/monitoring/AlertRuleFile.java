package io.otlpgovernor.monitoring;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/** A Prometheus rule file ({@code groups: [{name, rules: [...]}]}): its alerting and recording rules. */
final class AlertRuleFile {

    /** One rule; {@code alert} is null for a recording rule, {@code record} for an alerting one. */
    record Rule(
            String group,
            String alert,
            String record,
            String expr,
            Map<String, String> labels,
            Map<String, String> annotations) {

        String name() {
            return alert != null ? alert : record;
        }

        Query query() {
            return new Query("alert rule " + name() + " (group " + group + ")", expr);
        }
    }

    private final List<Rule> rules;

    private AlertRuleFile(List<Rule> rules) {
        this.rules = rules;
    }

    @SuppressWarnings("unchecked")
    static AlertRuleFile load(Path file) throws IOException {
        Map<String, Object> root;
        try (Reader reader = Files.newBufferedReader(file)) {
            root = new Yaml().load(reader);
        }
        List<Rule> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) root.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                rules.add(new Rule(
                        (String) group.get("name"),
                        (String) rule.get("alert"),
                        (String) rule.get("record"),
                        String.valueOf(rule.get("expr")),
                        (Map<String, String>) rule.getOrDefault("labels", Map.of()),
                        (Map<String, String>) rule.getOrDefault("annotations", Map.of())));
            }
        }
        return new AlertRuleFile(rules);
    }

    List<Rule> rules() {
        return rules;
    }

    List<Rule> alerts() {
        return rules.stream().filter(rule -> rule.alert() != null).toList();
    }

    /** The names of the recording rules: series the rules make themselves, which no exporter needs to serve. */
    List<String> recordedNames() {
        return rules.stream()
                .filter(rule -> rule.record() != null)
                .map(Rule::record)
                .toList();
    }

    List<Query> queries() {
        return rules.stream().map(Rule::query).toList();
    }
}
